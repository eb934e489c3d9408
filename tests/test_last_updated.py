"""A page's "last updated" and the sitemap's lastmod move with what the public sees, and only with it."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cases.models import Case, Event, NameVariant, Person, Source

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme
from .test_permission_matrix import person_form
from .test_sitemaps import sitemap_urls

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2019, 1, 5, tzinfo=UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def bokaev():
    person = make_person("Maks Bokaev", slug="maks-bokaev")
    case = make_case("Prosecution of Maks Bokaev", slug="bokaev-case", people=[person])
    event = make_event(case, "2016-11", person=person, source=make_source("World Report", slug="world-report"))
    for model in (Person, Case, Event, Source):
        model.objects.update(updated_at=LONG_AGO)
    return {"person": person, "case": case, "event": event, "source": event.citations.get().source}


def lastmods(client) -> dict[str, str]:
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in sitemap_urls(client)}


def updated(record) -> datetime:
    return type(record).objects.get(pk=record.pk).updated_at


def test_editing_only_what_the_public_never_sees_leaves_last_updated_and_the_sitemap_as_they_were(
    researcher_client, client, bokaev
):
    person = bokaev["person"]
    url = reverse("admin:cases_person_change", args=[person.pk])
    response = researcher_client.post(url, person_form(person, internal_notes="Check the sentence with his lawyer."))
    assert response.status_code == 302
    for record in (bokaev["case"], bokaev["event"], bokaev["source"]):
        record.refresh_from_db()
        record.internal_notes = "Verified by phone."
        record.save()
    bokaev["source"].reliability = "high"
    bokaev["source"].save()
    assert Person.objects.get(pk=person.pk).internal_notes == "Check the sentence with his lawyer."

    assert all(updated(record) == LONG_AGO for record in bokaev.values())
    page = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert '<time datetime="2019-01-05">5 January 2019</time>' in page
    assert set(lastmods(client).values()) - {None} == {"2019-01-05"}


def test_a_change_the_public_sees_moves_last_updated(bokaev):
    person, case, event = bokaev["person"], bokaev["case"], bokaev["event"]
    event.citations.create(source=make_source(), quote="He was sentenced.")
    NameVariant.objects.create(person=person, name="Максат Бокаев")
    case.charges.add(make_charge())
    source = Source.objects.get(pk=bokaev["source"].pk)
    source.title = "World Report 2019"
    source.save()
    assert all(updated(record) > LONG_AGO for record in (event, person, case, source))


@pytest.mark.parametrize(
    "clear",
    [
        lambda case: case.people.get().cases.clear(),
        lambda case: case.organizations.get().cases.clear(),
        lambda case: case.charges.get().cases.clear(),
        lambda case: case.themes.get().cases.clear(),
    ],
    ids=["person", "organisation", "charge", "theme"],
)
def test_clearing_a_records_cases_from_its_side_moves_their_last_updated(clear):
    case = make_case(
        people=[make_person()], organizations=[make_organization()], charges=[make_charge()], themes=[make_theme()]
    )
    Case.objects.update(updated_at=LONG_AGO)
    clear(case)
    assert updated(case) > LONG_AGO
