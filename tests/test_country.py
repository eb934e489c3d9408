"""A case and a person have a country (ISO 3166-1); every public list, export, figure and API
list narrows to one with `?country=KZ`, and pages name it."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.urls import reverse

from cases.choices import CustodyState, EventType
from cases.models import ImportedItem, Person

from .factories import make_case, make_event, make_organization, make_person
from .test_import import confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_countries():
    """A detained journalist in Kazakhstan and one in Kyrgyzstan, each with a case and an organisation."""
    people = {}
    for code, name in [("KZ", "Aigerim Kazakh"), ("KG", "Bakyt Kyrgyz")]:
        person = make_person(name, country=code)
        case = make_case(f"Case of {name}", country=code, people=[person], organizations=[make_organization(code)])
        make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
        people[code] = person
    return people


LISTS = ["cases:person-list", "cases:case-list", "cases:organization-list", "cases:event-list"]
API_LISTS = ["api:person-list", "api:case-list", "api:organization-list", "api:event-list"]


def test_every_list_narrows_to_a_country_given_by_its_code_in_either_case(client, two_countries):
    for code in ["KZ", "kz", " kZ "]:
        people = client.get(reverse("cases:person-list"), {"country": code}).context["results"]
        assert [person.name for person in people] == ["Aigerim Kazakh"]
        cases = client.get(reverse("cases:case-list"), {"country": code}).context["results"]
        assert [case.title for case in cases] == ["Case of Aigerim Kazakh"]
        organizations = client.get(reverse("cases:organization-list"), {"country": code}).context["results"]
        assert [organization.name for organization in organizations] == ["KZ"]
        events = client.get(reverse("cases:event-list"), {"country": code}).context["results"]
        assert [event.case.title for event in events] == ["Case of Aigerim Kazakh"]


def test_the_api_narrows_every_list_to_a_country_and_names_each_record_s_country(client, two_countries):
    for name in API_LISTS:
        assert client.get(reverse(name), {"country": "kg"}).json()["count"] == 1, name
    person = client.get(reverse("api:person-list"), {"country": "kg"}).json()["results"][0]
    assert (person["slug"], person["country"]) == (two_countries["KG"].slug, "KG")
    case = client.get(reverse("api:case-list"), {"country": "KG"}).json()["results"][0]
    assert case["country"] == "KG"
    assert client.get(reverse("api:person-detail", args=[two_countries["KZ"].slug])).json()["country"] == "KZ"


def test_a_record_with_no_country_says_null_in_the_api(client):
    make_person("Nobody Known")
    assert client.get(reverse("api:person-list")).json()["results"][0]["country"] is None


def test_exports_narrow_to_a_country_and_carry_its_code(client, two_countries):
    response = client.get(reverse("cases:person-export", args=["csv"]), {"country": "kz"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    header, rows = lines[0].lstrip("\ufeff").split(","), lines[1:]
    assert len(rows) == 1 and "Aigerim Kazakh" in rows[0]
    assert rows[0].split(",")[header.index("country")] == "KZ"
    response = client.get(reverse("cases:case-export", args=["json"]), {"country": "KG"})
    assert '"country": "KG"' in b"".join(response.streaming_content).decode()


def test_statistics_count_only_the_people_of_the_country(client, two_countries):
    make_person("Chingiz Kazakh", country="KZ")
    response = client.get(reverse("cases:statistics"), {"country": "kz"})
    assert response.context["headcount"].individuals == 2
    assert "<title>Statistics: Kazakhstan — casetracker</title>" in response.content.decode()


@pytest.mark.parametrize("url", [*LISTS, "cases:statistics"])
@pytest.mark.parametrize("code", ["XX", "KAZ", "Kazakhstan", "K", "%s"])
def test_an_unknown_country_code_is_a_400_that_names_the_parameter(client, url, code):
    response = client.get(reverse(url), {"country": code})
    assert response.status_code == 400
    assert "is not a country code" in response.content.decode()


@pytest.mark.parametrize("url", API_LISTS)
@pytest.mark.parametrize("code", ["XX", "%d%"])
def test_the_api_answers_an_unknown_country_code_with_400_naming_it(client, url, code):
    response = client.get(reverse(url), {"country": code})
    assert response.status_code == 400
    assert f"“{code.upper()}” is not a country code" in response.json()["country"][0]


def test_an_export_with_an_unknown_country_code_is_a_400(client):
    response = client.get(reverse("cases:person-export", args=["csv"]), {"country": "zz"})
    assert response.status_code == 400
    assert "country:" in response.content.decode()


def test_a_real_country_with_no_records_is_an_empty_list_not_an_error(client, two_countries):
    response = client.get(reverse("cases:person-list"), {"country": "fr"})
    assert response.status_code == 200 and response.context["count"] == 0
    assert "<title>People: France — casetracker</title>" in response.content.decode()


def test_the_country_list_offers_the_countries_of_published_records_only(client, two_countries):
    make_person("Hidden Uzbek", country="UZ", is_published=False)
    html = client.get(reverse("cases:person-list"), {"country": "kz"}).content.decode()
    assert '<option value="KZ" selected>Kazakhstan</option>' in html
    assert '<option value="KG">Kyrgyzstan</option>' in html
    assert "Uzbekistan" not in html


def test_the_countries_offered_come_from_published_people_and_published_cases_alike():
    from cases.countries import public_countries

    make_person("No country")
    make_person("Hidden Uzbek", country="UZ", is_published=False)
    make_case("Hidden Russian case", country="RU", is_published=False)
    make_person("Belarusian", country="BY")
    make_case("Kazakh case", country="KZ")
    make_case("Another Kazakh case", country="KZ")
    make_person("Kyrgyz", country="KG")
    make_case("Kyrgyz case", country="KG")
    assert [country.code for country in public_countries()] == ["BY", "KZ", "KG"]


def test_a_person_s_and_a_case_s_page_name_their_country_in_the_title_and_the_facts(client, two_countries):
    person = two_countries["KZ"]
    html = client.get(person.get_absolute_url()).content.decode()
    assert "<title>Aigerim Kazakh (Kazakhstan) — casetracker</title>" in html
    assert f'<a href="{reverse("cases:person-list")}?country=KZ">Kazakhstan</a>' in html
    html = client.get(person.cases.get().get_absolute_url()).content.decode()
    assert "<title>Case of Aigerim Kazakh (Kazakhstan) — casetracker</title>" in html
    assert f'<a href="{reverse("cases:case-list")}?country=KZ">Kazakhstan</a>' in html


def test_a_russian_page_names_the_country_in_russian(client, two_countries):
    html = client.get(f"/ru{two_countries['KZ'].get_absolute_url()}").content.decode()
    assert "<title>Aigerim Kazakh (Казахстан) — casetracker</title>" in html


def test_the_home_page_names_the_countries_its_published_records_cover(client, two_countries):
    make_person("Hidden Uzbek", country="UZ", is_published=False)
    html = client.get(reverse("cases:home")).content.decode()
    assert "<title>Political prisoners and persecuted people in Kazakhstan and Kyrgyzstan — casetracker</title>" in html
    assert f'<a href="{reverse("cases:person-list")}?country=KG">Kyrgyzstan</a>' in html
    assert "Uzbekistan" not in html


def test_the_database_refuses_a_country_that_is_not_an_iso_code():
    person = make_person()
    with pytest.raises(IntegrityError):
        Person.objects.filter(pk=person.pk).update(country="XX")


def test_the_admin_refuses_a_country_that_is_not_an_iso_code_with_a_form_error(researcher_client):
    data = {"name": "Someone", "slug": "someone", "identity": "named", "role": "other", "country": "XX"}
    response = researcher_client.post(reverse("admin:cases_person_add"), data)
    assert response.status_code == 200
    assert "country" in response.context["adminform"].form.errors
    assert not Person.objects.exists()


def test_a_person_imported_from_csv_keeps_the_country_column(researcher_client):
    csv = "name,slug,identity,role,country,location\nZhanara Akhmetova,zhanara-akhmetova,named,journalist,KZ,Almaty\n"
    confirm(researcher_client, "person", upload(researcher_client, "person", csv))
    assert Person.objects.get(slug="zhanara-akhmetova").country.code == "KZ"


def test_the_migration_puts_what_the_kazakhstan_report_loaded_in_kazakhstan():
    migration = importlib.import_module("cases.migrations.0006_country_of_cases_and_people")
    loaded = make_person("Maks Bokaev", slug="maks-bokaev")
    case = make_case("Bokaev case", slug="bokaev-case")
    added_by_hand = make_person("Someone Else")
    for key in ["person:maks-bokaev", "case:bokaev-case"]:
        ImportedItem.objects.create(dataset=migration.KAZAKHSTAN_REPORT, key=key)
    migration.report_records_are_in_kazakhstan(apps, None)
    for record in (loaded, case, added_by_hand):
        record.refresh_from_db()
    assert (loaded.country.code, case.country.code, added_by_hand.country.code) == ("KZ", "KZ", "")
