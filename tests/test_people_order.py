"""The people list's orders without a status date ("latest change first", "expected end") are read
from the custody copied onto each person, and equal the order of their open custody spans."""

import pytest
from django.urls import reverse

from cases.choices import CaseStage, CustodyState, EventType
from cases.models import Person
from cases.models.people import CURRENT_ORDER

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def sentenced(name: str, arrested: str, reported: str, months: int) -> Person:
    person = make_person(name)
    case = make_case(f"Prosecution of {name}", people=[person])
    make_event(case, arrested, type=EventType.DETAINED, custody=CustodyState.IMPRISONED, stage=CaseStage.CONVICTED)
    make_event(case, reported, type=EventType.STATUS_REPORTED, custody=CustodyState.IMPRISONED, sentence_months=months)
    return person


def listed(client, sort: str) -> list[str]:
    response = client.get(reverse("cases:person-list"), {"sort": sort})
    return [person.name for person in response.context["results"]]


def test_each_person_carries_their_open_spans_event_date_and_expected_end(client):
    sentenced("Aigul Long", "2016-05", "2018-03", 120)
    sentenced("Bolat Short", "2017-01", "2017-06", 12)
    make_person("Dana Unknown")

    copied = Person.objects.order_by("pk").values_list(*CURRENT_ORDER)
    joined = Person.objects.with_custody().order_by("pk")

    assert list(copied) == list(joined.values_list("custody_since_end", "expected_end_start", "expected_end_end"))
    assert all(row[2] for row in list(copied)[:2])


def test_latest_change_first_and_soonest_expected_end_first(client):
    sentenced("Aigul Short", "2016-05", "2016-06", 12)
    sentenced("Bolat Long", "2017-01", "2017-06", 120)
    make_person("Dana Unknown")

    assert listed(client, "latest") == ["Bolat Long", "Aigul Short", "Dana Unknown"]
    assert listed(client, "expected_end") == ["Aigul Short", "Bolat Long", "Dana Unknown"]
