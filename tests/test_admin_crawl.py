"""Every admin page answers without a server error: for every role, with a record of every kind.

The pages are found by walking the admin's URLs, not listed by hand, so a new model or a new admin
view is crawled as soon as it is registered. A page whose arguments the crawl cannot fill, or a
model with no record to open, fails the test until the crawl learns it.
"""

from contextlib import suppress

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.choices import CustodyState
from cases.models import ImportedItem, NameVariant, Person
from cases.models.base import Publishable

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme
from .personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["Viewer", "Researcher", "Editor", "superuser"]
# A 1×1 PNG: the person's portrait, so the crawl opens the person's pages with one.
PORTRAIT = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
    "53de0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def private_media(tmp_path_factory):
    """Replaces conftest's per-test folder: the attachment here lives as long as the module's records."""
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private-media")):
        yield


@pytest.fixture(scope="module")
def team(django_db_setup, django_db_blocker, private_media):
    """A record of every kind, published and not, and a member of every role: built once, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        members = {role: make_staff(role.lower(), role) for role in ROLES[:-1]}
        members["superuser"] = make_staff("root", superuser=True)
        for member in members.values():
            TOTPDevice.objects.create(user=member, name="Authenticator app", confirmed=True)
        StaticDevice.objects.create(user=members["Editor"], name="Backup codes", confirmed=True).token_set.create(
            token="backupcode1234"
        )
        person = make_person("Ardak Ashim", variants=["Ардак Ашим"])
        person.portrait.save("face.png", ContentFile(PORTRAIT))
        draft = make_person("Draft Person", is_published=False)
        organization = make_organization()
        NameVariant.objects.create(organization=organization, name="Another spelling")
        case = make_case(people=[person, draft], organizations=[organization], charges=[make_charge()])
        case.themes.add(make_theme())
        source = make_source("Court decision")
        source.attachment.save("decision.pdf", ContentFile(b"%PDF-1.4 The court decided."))
        make_event(case, "2018-08-17", custody=CustodyState.DETAINED, person=person, source=source)
        make_event(case, "2018-09", is_published=False, quote=None)
        make_person("Deleted Person", is_published=False).delete()  # for the deleted-records page
        ImportedItem.objects.create(dataset="kazakhstan-2018", key="people/ardak-ashim")
        _record_sign_in_attempts(members["Researcher"].username)
        yield members
        transaction.set_rollback(True)


def _record_sign_in_attempts(username):
    where = {"username": username, "ip_address": "198.51.100.7", "user_agent": "Firefox", "path_info": "/admin/"}
    AccessAttempt.objects.create(**where, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**where)
    AccessLog.objects.create(**where)


def admin_patterns():
    """Every named admin URL pattern, those of each model included."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern

    return list(walk(admin.site.get_urls()))


def model_of(url_name):
    """The registered model a URL name belongs to ("cases_person_merge" → Person), if any."""
    for model in admin.site._registry:
        if url_name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def record_ids(model) -> list:
    """The records of a model the crawl opens, one of each kind: published and not, and deleted with
    its history left."""
    ids = model._default_manager.order_by("pk").values_list("pk", flat=True)
    if issubclass(model, Publishable):
        picked = [ids.filter(is_published=True).first(), ids.filter(is_published=False).first()]
    else:
        picked = [ids.first()]
    if hasattr(model, "history"):
        picked.append(model.history.exclude(id__in=ids).values_list("id", flat=True).order_by("id").first())
    picked = [pk for pk in picked if pk is not None]
    assert picked, f"Give the crawl a record of {model._meta.label}."
    return picked


def arguments(pattern) -> list[dict | tuple]:
    """Each set of arguments to open `pattern` with: the records there are, or what the page takes."""
    model = model_of(pattern.name)
    names = set(pattern.pattern.regex.groupindex)
    unnamed = pattern.pattern.regex.groups - len(names)
    if not names and not unnamed:
        return [()]
    if pattern.name.endswith("_simple_history") and unnamed == 2:
        return [(pk, model.history.filter(id=pk).latest().history_id) for pk in record_ids(model)]
    if names == {"app_label"}:
        return [{"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if names == {"content_type_id", "object_id"}:
        person = Person.objects.first()
        return [{"content_type_id": ContentType.objects.get_for_model(person).pk, "object_id": person.pk}]
    if model is not None and len(names) == 1 and not unnamed:
        (name,) = names
        return [{name: pk} for pk in record_ids(model)]
    if model is not None and names == {"first", "second"}:
        first, second = record_ids(model)[:2]
        return [{"first": first, "second": second}]
    raise AssertionError(f"The crawl does not know how to open {pattern.name} ({pattern.pattern}): teach it.")


def admin_pages() -> list[str]:
    """Every admin page, opened on each record the crawl picked."""
    pages = []
    for pattern in admin_patterns():
        for args in arguments(pattern):
            kwargs = args if isinstance(args, dict) else {}
            pages.append(reverse(f"admin:{pattern.name}", args=() if kwargs else args, kwargs=kwargs))
    return pages


def malformed_pages() -> list[str]:
    """Every admin page that takes arguments, with one of them "abc" (where the URL accepts it at all)."""
    pages = set()
    for pattern in admin_patterns():
        for args in arguments(pattern):
            for i, key in enumerate(args):
                if isinstance(args, dict):
                    args_, kwargs = (), {**args, key: "abc"}
                else:
                    args_, kwargs = (*args[:i], "abc", *args[i + 1 :]), {}
                with suppress(NoReverseMatch):  # the URL's converter refuses it: 404 before any view
                    pages.add(reverse(f"admin:{pattern.name}", args=args_, kwargs=kwargs))
    return sorted(pages)


def crawl(client, pages, method="get", data=None) -> dict[str, int]:
    client.raise_request_exception = False  # collect every failure, not only the first
    return {page: getattr(client, method)(page, data).status_code for page in pages}


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_page_answers_a_server_error(client, team, role):
    sign_in(client, team[role])
    pages = admin_pages()
    assert len(pages) > 100
    answers = crawl(client, pages)
    assert client.get(reverse("admin:index")).status_code == 200  # still signed in: the crawl saw the pages
    failures = [f"{status} {page}" for page, status in answers.items() if status >= 500]
    assert not failures, "\n".join(failures)


def test_an_admin_address_naming_a_record_that_cannot_exist_is_not_found(client, team):
    sign_in(client, team["superuser"])
    answers = crawl(client, malformed_pages())
    assert len(answers) > 40
    # Django's own pages send the user to the index with "doesn't exist"; the others answer 404, or
    # 403 where no one may do what the page does.
    failures = [f"{status} {page}" for page, status in answers.items() if status not in {302, 403, 404}]
    assert not failures, "\n".join(failures)


def nul_queries(user) -> list[tuple[str, dict]]:
    """Every list filter, the search and every autocomplete, each given a NUL byte."""
    queries = [
        # As reported: parameters no filter takes are lookups on the field of that name.
        (reverse("admin:cases_event_changelist"), {"custody": "\x00"}),
        (reverse("admin:cases_person_changelist"), {"custody": "\x00"}),
    ]
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        request = RequestFactory().get(changelist)
        request.user = user
        filters = model_admin.get_changelist_instance(request).filter_specs
        for param in sorted({"q", *(param for spec in filters for param in spec.expected_parameters())}):
            queries.append((changelist, {param: "\x00"}))
        for source_admin in [model_admin, *model_admin.inlines]:
            for field in source_admin.autocomplete_fields:
                target = source_admin.model._meta
                term = {"app_label": target.app_label, "model_name": target.model_name, "field_name": field}
                queries.append((reverse("admin:autocomplete"), {**term, "term": "\x00"}))
    return queries


def test_a_nul_byte_in_any_admin_filter_search_or_autocomplete_answers_400(client, team):
    sign_in(client, team["superuser"])
    client.raise_request_exception = False
    queries = nul_queries(team["superuser"])
    assert len(queries) > 40
    assert (reverse("admin:cases_person_changelist"), {"role__exact": "\x00"}) in queries
    assert (reverse("admin:cases_event_changelist"), {"type__exact": "\x00"}) in queries
    failures = []
    for url, query in queries:
        response = client.get(url, query)
        if response.status_code != 400:
            failures.append(f"{response.status_code} {url} {query}")
    assert not failures, "\n".join(failures)
    assert "NUL character" in response.content.decode()


def test_an_action_on_records_selected_by_ids_that_cannot_exist_answers_400(client, team):
    sign_in(client, team["superuser"])
    changelists = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]
    for selected in ["abc", "\x00", "99999999999999999999"]:
        answers = crawl(client, changelists, "post", {"action": "delete_selected", "_selected_action": [selected]})
        failures = [f"{status} {page}" for page, status in answers.items() if status != 400]
        assert not failures, f"{selected!r}:\n" + "\n".join(failures)
