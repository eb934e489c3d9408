"""Markup, script and formulas in every text a researcher can enter are shown as text: on every
public page (English and Russian), feed, export and API answer, and in the admin.

Each record's every free-text field holds a payload naming the field; the crawl looks for the
payload's tag or script where a browser, a feed reader or a spreadsheet would run it.
"""

import csv
import io
import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from cases.choices import CustodyState, EventType
from cases.models import Case, Charge, Event, NameVariant, Organization, Person, Source, Theme

from .factories import (
    make_case,
    make_charge,
    make_event,
    make_organization,
    make_person,
    make_source,
    make_theme,
    read_only_for_the_module,
)
from .test_private_never_public import public_urls

pytestmark = pytest.mark.django_db

TAG = "x-pwn"
# Fields no researcher types free text into, or that the public never sees.
NOT_TEXT = {"internal_notes", "search_text", "url", "archived_url", "language", "published", "attachment_sha256"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def payload(field: str) -> str:
    # Starts as a spreadsheet formula, closes an attribute, opens a tag and a script, and names a
    # script URL that a careless "linkify" would turn into a link.
    return f'=HYPERLINK("http://x") "><{TAG}>{field}</{TAG}><script>pwn("{field}")</script> javascript:alert(1)'


def fill_text_fields(record: models.Model) -> models.Model:
    for field in record._meta.concrete_fields:
        text = isinstance(field, models.CharField | models.TextField) and not isinstance(field, models.SlugField)
        if text and not field.choices and field.name not in NOT_TEXT:
            setattr(record, field.name, payload(f"{type(record).__name__}.{field.name}")[: field.max_length])
    record.save()
    return record


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with read_only_for_the_module(django_db_blocker):
        theme = fill_text_fields(make_theme("Theme"))
        charge = fill_text_fields(make_charge("charge"))
        person = fill_text_fields(make_person("Person", slug="person"))
        alias = payload("Person.public_alias")
        withheld = make_person("Hidden", slug="withheld", name_withheld=True, public_alias=alias)
        organization = fill_text_fields(make_organization("Organisation", slug="organisation"))
        for owner in ({"person": person}, {"organization": organization}):
            for language in ("ru", "en"):
                fill_text_fields(NameVariant(name="variant", language=language, **owner))
        case = fill_text_fields(
            make_case(
                "Case", slug="case", people=[person, withheld], organizations=[organization], charges=[charge],
                themes=[theme],
            )
        )  # fmt: skip
        source = fill_text_fields(make_source("Source", slug="source"))
        event = make_event(
            case, "2018-03", person=person, type=EventType.DETAINED, custody=CustodyState.DETAINED, source=source
        )
        fill_text_fields(event)
        fill_text_fields(event.citations.get())
        make_event(None, "2018-04", theme=theme, type=EventType.CONTEXT, source=source, description=payload("context"))
        yield case


class Markup(HTMLParser):
    """The tags a browser would build from a page, and every link and source address in it."""

    def __init__(self):
        super().__init__()
        self.tags, self.addresses, self.scripts = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script"
        self.addresses += [value or "" for name, value in attrs if name in {"href", "src", "action", "formaction"}]

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def problems_in_html(text: str) -> list[str]:
    markup = Markup()
    markup.feed(text)
    found = [f"a <{TAG}> element"] if TAG in markup.tags else []
    found += [f"script {script[:60]!r}" for script in markup.scripts if "pwn(" in script]
    found += [f"link to {address[:40]!r}" for address in markup.addresses if unsafe_scheme(address)]
    return found


def unsafe_scheme(address: str) -> bool:
    return address.strip().lower().startswith(("javascript:", "data:", "vbscript:"))


def problems_in_feed(text: str) -> list[str]:
    found = []
    for element in ElementTree.fromstring(text).iter():
        if element.get("type") == "html" and element.text:
            found += problems_in_html(element.text)
        if unsafe_scheme(element.get("href", "")):
            found.append(f"link to {element.get('href')[:40]!r}")
    return found


def problems_in_csv(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return [f"cell {cell[:40]!r}" for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def problems(url: str, response) -> list[str]:
    text, content_type = body(response), response["Content-Type"]
    if url.endswith(".csv"):
        return problems_in_csv(text)
    if "xml" in content_type:
        return problems_in_feed(text)
    if content_type.startswith("application/json"):
        json.loads(text)
        return []
    if content_type.startswith("text/html"):
        return problems_in_html(text)
    return []


def every_public_url() -> list[str]:
    urls = sorted(set(public_urls()))
    russian = [f"/ru{url}" for url in urls if not url.startswith(("/api/", "/sitemap", "/robots", "/i18n"))]
    return urls + russian


def test_no_public_page_feed_or_export_runs_entered_text(client, site):
    found, seen = {}, 0
    for url in every_public_url():
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        if bad := problems(url, response):
            found[url] = bad
    assert not found
    assert seen >= 60


def test_the_payloads_reach_the_pages_as_text(client, site):
    """The crawl above proves something only if the payloads are on the pages, escaped."""
    html = body(client.get(reverse("cases:person-detail", args=["person"])))
    assert "&lt;x-pwn&gt;Person.summary&lt;/x-pwn&gt;" in html
    assert "&lt;x-pwn&gt;Citation.quote&lt;/x-pwn&gt;" in html
    russian = body(client.get("/ru" + reverse("cases:person-detail", args=["person"])))
    assert "&lt;x-pwn&gt;NameVariant.name&lt;/x-pwn&gt;" in russian
    assert "&lt;x-pwn&gt;Person.summary_ru&lt;/x-pwn&gt;" in russian


def test_exports_prefix_every_cell_that_would_start_a_formula(client, site):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/people/export.csv")).lstrip("\ufeff"))))
    person = next(row for row in rows if row["slug"] == "person")
    assert person["summary"] == "'" + payload("Person.summary")
    assert person["name_variants"].startswith("'=HYPERLINK")


def test_json_exports_and_the_api_keep_the_text_exactly(client, site):
    data = json.loads(body(client.get("/people/export.json")))
    person = next(record for record in data["results"] if record["slug"] == "person")
    assert person["summary"] == payload("Person.summary")
    api = client.get(reverse("api:person-detail", args=["person"])).json()
    assert api["summary"] == payload("Person.summary")


def test_a_source_address_must_be_a_web_address(site):
    for address in ("javascript:alert(1)", "data:text/html,<script>pwn()</script>", "JaVaScRiPt:alert(1)"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.filter(slug="source").update(url=address)


ADMIN_MODELS = [Theme, Charge, Person, Organization, Case, Event, Source]


def admin_urls():
    for model in ADMIN_MODELS:
        prefix = f"admin:cases_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        for pk in model.objects.values_list("pk", flat=True):
            yield reverse(f"{prefix}_change", args=[pk])
            yield reverse(f"{prefix}_history", args=[pk])
    yield reverse("admin:index")


def test_the_admin_shows_entered_text_as_text(editor_client, site):
    found = {}
    for url in admin_urls():
        response = editor_client.get(url)
        assert response.status_code == 200, url
        if bad := problems_in_html(body(response)):
            found[url] = bad
    assert not found
    person = Person.objects.get(slug="person")
    change_form = body(editor_client.get(reverse("admin:cases_person_change", args=[person.pk])))
    assert "&lt;x-pwn&gt;Person.summary&lt;/x-pwn&gt;" in change_form
