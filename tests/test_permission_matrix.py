"""Who may do what in the admin: every workspace action for every role, and for the anonymous public.

Each action returns whether it happened; the matrix says for whom it should.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cases.choices import CustodyState
from cases.models import Event, Person

from .factories import make_case, make_event, make_person, make_source
from .personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "Viewer", "Researcher", "Editor"]
STAFF = {"Viewer", "Researcher", "Editor"}
WRITERS = {"Researcher", "Editor"}
EDITORS = {"Editor"}


@pytest.fixture
def world():
    person = make_person("Max Bokayev", is_published=False)
    published = make_person("Published Person")
    loner = make_person("Nobody's Case", is_published=False)
    case = make_case("Prosecution of Max Bokayev", people=[person, published])
    event = make_event(case, "2018-03", custody=CustodyState.DETAINED, is_published=False)
    source = make_source("Court decision")
    source.attachment.save("decision.txt", ContentFile(b"The court decided."))
    return {"person": person, "published": published, "loner": loner, "case": case, "event": event, "source": source}


def ok(response) -> bool:
    return response.status_code == 200


def person_form(person, **changes):
    data = {
        "name": person.name, "slug": person.slug, "identity": person.identity, "role": person.role,
        "location": person.location, "summary": person.summary, "internal_notes": person.internal_notes,
        "edit_version": person.version, "public_alias": person.public_alias,
        "name_variants-TOTAL_FORMS": "0", "name_variants-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(changes)
    return data


def changed_summary(client, world, key):
    person = world[key]
    client.post(reverse("admin:cases_person_change", args=[person.pk]), person_form(person, summary="Changed."))
    return Person.objects.get(pk=person.pk).summary == "Changed."


def publish_action(client, world):
    event = world["event"]
    client.post(reverse("admin:cases_event_changelist"), {"action": "publish_selected", "_selected_action": [event.pk]})
    return Event.objects.get(pk=event.pk).is_published


def delete_person(client, world):
    client.post(reverse("admin:cases_person_delete", args=[world["loner"].pk]), {"post": "yes"})
    return not Person.objects.filter(pk=world["loner"].pk).exists()


def revert(client, world):
    person = world["person"]
    first = person.history.earliest()
    person.summary = "Later text."
    person.save()
    client.post(
        reverse("admin:cases_person_simple_history", args=[person.pk, first.history_id]),
        {**person_form(first.instance), "edit_version": Person.objects.get(pk=person.pk).version},
    )
    return Person.objects.get(pk=person.pk).summary == first.summary


ACTIONS = {
    "changelist": (lambda c, w: ok(c.get(reverse("admin:cases_person_changelist"))), STAFF),
    "add page": (lambda c, w: ok(c.get(reverse("admin:cases_person_add"))), WRITERS),
    "change an unpublished record": (lambda c, w: changed_summary(c, w, "person"), WRITERS),
    "change a published record": (lambda c, w: changed_summary(c, w, "published"), EDITORS),
    "delete": (delete_person, EDITORS),
    "publish action": (publish_action, EDITORS),
    "merge": (lambda c, w: ok(c.get(reverse("admin:cases_person_merge", args=[w["person"].pk, w["loner"].pk]))),
              EDITORS),
    "status update": (lambda c, w: ok(c.get(reverse("admin:cases_case_status_update", args=[w["case"].pk]))), WRITERS),
    "import": (lambda c, w: ok(c.get(reverse("admin:cases_person_import"))), WRITERS),
    "history": (lambda c, w: ok(c.get(reverse("admin:cases_person_history", args=[w["person"].pk]))), STAFF),
    "revert": (revert, WRITERS),
    "deleted records": (lambda c, w: ok(c.get(reverse("admin:cases_person_deleted"))), STAFF),
    "stale-cases dashboard": (lambda c, w: ok(c.get(reverse("admin:cases_case_stale"))), STAFF),
    "attachment download": (
        lambda c, w: ok(c.get(reverse("admin:cases_source_attachment", args=[w["source"].pk]))),
        STAFF,
    ),
    "lift a lockout": (lambda c, w: ok(c.get(reverse("admin:axes_accessattempt_changelist"))), EDITORS),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(client, world, role, action):
    if role != "anonymous":
        sign_in(client, make_staff(role.lower(), role))
    perform, allowed = ACTIONS[action]
    assert perform(client, world) == (role in allowed)


def test_the_anonymous_public_is_sent_to_the_login_page(client, world):
    response = client.get(reverse("admin:cases_case_stale"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_a_superuser_must_also_verify(client):
    client.force_login(make_staff("root", superuser=True))
    assert client.get(reverse("admin:index")).status_code == 302
