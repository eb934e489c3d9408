"""A group is not one person: counts are of individuals, a group by its size, groups of unknown size apart."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.choices import CustodyState, EventType, Identity
from cases.models import Person
from cases.statistics import counts_by_charge, custody_by_month

from .factories import make_case, make_charge, make_event, make_person

pytestmark = pytest.mark.django_db


def make_group(name: str, size: int | None, *, minimum: bool = False) -> Person:
    return make_person(name, identity=Identity.GROUP, group_size=size, group_size_is_minimum=minimum)


def imprison(*people, date: str = "2018-03"):
    case = make_case(people=people)
    make_event(case, date, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    return case


def test_the_home_page_counts_a_group_as_its_size_and_groups_of_unknown_size_apart(client):
    imprison(make_person("Maks Bokaev"), make_group("Three people convicted", 3))
    make_group("Protesters detained", None)
    response = client.get(reverse("cases:home"))
    html = response.content.decode()
    assert "Following 4 people and 1 group of unknown size" in html
    assert response.context["in_custody_headcount"].individuals == 4
    assert "4 people in custody at last report" in html


def test_a_size_given_as_a_minimum_makes_the_count_a_minimum(client):
    make_person("Maks Bokaev")
    make_group("At least 12 people investigated", 12, minimum=True)
    html = client.get(reverse("cases:person-list")).content.decode()
    assert "At least 13 people" in html
    assert "group of 12+" in html
    assert "2 records: a group counts as its size." in html


def test_the_people_list_marks_groups_and_filters_individuals_or_groups(client):
    make_person("Maks Bokaev")
    make_group("Fifty-seven people charged", 57)
    groups = client.get(reverse("cases:person-list"), {"group": "true"})
    assert [person.name for person in groups.context["results"]] == ["Fifty-seven people charged"]
    assert "group of 57" in groups.content.decode()
    individuals = client.get(reverse("cases:person-list"), {"group": "false"})
    assert [person.name for person in individuals.context["results"]] == ["Maks Bokaev"]
    assert "group of" not in individuals.content.decode()
    assert client.get(reverse("cases:person-list"), {"group": "maybe"}).status_code == 400


def test_a_group_page_says_it_is_a_group_and_its_size_and_its_cases_mark_it(client):
    known = make_group("Fifty-seven people charged", 57)
    unknown = make_group("Protesters detained", None)
    case = make_case(people=[known, unknown])
    assert "This record is a group of 57 people, not one person." in client.get(known.get_absolute_url()).text
    assert "a group of people of unknown size, not one person" in client.get(unknown.get_absolute_url()).text
    case_page = client.get(case.get_absolute_url()).text
    assert "group of 57" in case_page
    assert "group of unknown size" in case_page


def test_statistics_count_a_group_in_custody_as_its_size_at_each_months_end(client):
    imprison(make_person("Maks Bokaev"), make_group("Three people convicted", 3), make_group("Some others", None))
    months = custody_by_month(Person.objects.published(), until=date(2018, 4, 30))
    assert [(m.count, m.unknown_groups) for m in months] == [(4, 1), (4, 1)]
    html = client.get(reverse("cases:statistics")).content.decode()
    assert "Matching these filters: 4 people and 1 group of unknown size." in html


def test_counts_by_charge_count_individuals_once_however_many_cases(client):
    charge = make_charge("inciting discord")
    group = make_group("Fifty-seven people charged", 57)
    make_case(people=[group, make_person("Ardak Ashim")], charges=[charge])
    make_case(people=[group], charges=[charge])
    (row,) = counts_by_charge(Person.objects.published())
    assert (row.people, row.cases) == (58, 2)


def test_the_api_people_list_counts_individuals_beside_records(client):
    make_person("Maks Bokaev")
    make_group("At least 12 people investigated", 12, minimum=True)
    make_group("Protesters detained", None)
    data = client.get(reverse("api:person-list")).json()
    assert (data["count"], data["individuals"], data["individuals_is_minimum"], data["groups_of_unknown_size"]) == (
        3,
        13,
        True,
        1,
    )
    group = next(p for p in data["results"] if p["identity"] == "group" and p["group_size"] == 12)
    assert group["group_size_is_minimum"] is True


def test_the_export_gives_how_many_individuals_each_record_stands_for(client):
    make_person("Maks Bokaev")
    make_group("At least 12 people investigated", 12, minimum=True)
    make_group("Protesters detained", None)
    response = client.get(reverse("cases:person-export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {row["name"]: (row["individuals"], row["group_size_is_minimum"]) for row in rows} == {
        "Maks Bokaev": ("1", "false"),
        "At least 12 people investigated": ("12", "true"),
        "Protesters detained": ("", "false"),
    }


def test_a_minimum_without_a_size_is_refused_with_a_clear_message():
    person = Person(name="Some people", slug="some-people", identity=Identity.GROUP, group_size_is_minimum=True)
    with pytest.raises(ValidationError, match="A size that is a minimum needs the number"):
        person.full_clean()
