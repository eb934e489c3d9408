"""A part of the sentence served by a report's date dates the latest the custody can have begun
("began by March 2016 at the latest: one third of six years served by March 2018"), and the
sentence's expected end becomes the range that estimate allows."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.choices import CaseStage, CustodyState, EventType, SentenceServed
from cases.models import CustodySpan, Event, Person

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def parole_denied(served: str = SentenceServed.ONE_THIRD, **fields) -> Event:
    fields.setdefault("custody", CustodyState.IMPRISONED)
    fields.setdefault("sentence_months", 72)
    person = make_person("Aset Test")
    case = make_case("Imprisonment of Aset Test", people=[person])
    make_event(case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    return make_event(case, "2018-03", type=EventType.PAROLE_DENIED, sentence_served=served, **fields)


def test_one_third_of_six_years_served_by_march_2018_dates_the_start_by_march_2016():
    event = parole_denied()
    assert event.custody_began_by.edtf == "2016-03"
    span = CustodySpan.objects.get(person__slug="aset-test")
    assert (span.began, span.began_by.edtf, span.began_by_event_id) == (False, "2016-03", event.pk)


def test_the_expected_end_is_the_range_from_the_report_to_the_latest_start_plus_the_sentence():
    parole_denied()
    span = CustodySpan.objects.get(person__slug="aset-test")
    assert span.expected_end.edtf == "2018-03/2022-03"
    assert span.expected_end.display_around == "some time between March 2018 and March 2022"


def test_a_part_of_an_odd_sentence_is_rounded_so_the_start_stays_a_latest_start():
    # Two thirds of 1 year 7 months is 12 months and 20 days: counted back from 17 August 2018.
    person = make_person("Odd Test")
    case = make_case("Odd case", people=[person])
    make_event(case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    event = make_event(
        case, "2018-08-17", type=EventType.PAROLE_DENIED, custody=CustodyState.IMPRISONED,
        sentence_months=19, sentence_served=SentenceServed.TWO_THIRDS,
    )  # fmt: skip
    assert event.custody_began_by.edtf == "2017-07-28"


def test_a_known_beginning_wins_over_the_estimate():
    person = make_person("Known Test")
    case = make_case("Known case", people=[person])
    make_event(case, "2016-05", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2016-10", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=72)
    make_event(
        case, "2018-03", type=EventType.PAROLE_DENIED, custody=CustodyState.IMPRISONED, sentence_months=72,
        sentence_served=SentenceServed.ONE_THIRD,
    )  # fmt: skip
    person = Person.objects.with_custody().get(pk=person.pk)
    assert person.custody_began_by is None
    assert person.expected_end.edtf == "2022-05"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sentence_months": None}, "sentence_served"),
        ({"custody": CustodyState.AT_LIBERTY}, "sentence_served"),
    ],
)
def test_a_part_served_needs_a_sentence_and_a_custody(fields, field):
    person = make_person("Refused Test")
    case = make_case("Refused case", people=[person])
    make_event(case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    event = Event(case=case, type=EventType.PAROLE_DENIED, description="Parole denied.")
    event.date_start, event.date_precision = date(2018, 3, 1), "month"
    event.custody, event.sentence_months, event.sentence_served = CustodyState.IMPRISONED, 72, SentenceServed.ONE_THIRD
    for name, value in fields.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert field in refused.value.message_dict


def test_the_status_update_form_records_the_part_served(researcher_client):
    person = make_person("Form Test")
    case = make_case("Form case", people=[person])
    make_event(case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    response = researcher_client.post(
        reverse("admin:cases_case_status_update", args=[case.pk]),
        {
            "case": case.pk, "date_start": "2018-03-01", "date_precision": "month", "type": "parole_denied",
            "custody": "imprisoned", "sentence_months": "72", "sentence_served": "1/3",
            "description": "Parole denied.",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    assert Event.objects.get(type="parole_denied").sentence_served == "1/3"


def test_the_status_update_form_refuses_a_part_served_without_a_sentence(researcher_client):
    person = make_person("Form Test")
    case = make_case("Form case", people=[person])
    response = researcher_client.post(
        reverse("admin:cases_case_status_update", args=[case.pk]),
        {
            "case": case.pk, "date_start": "2018-03-01", "date_precision": "month", "type": "status_reported",
            "custody": "imprisoned", "sentence_served": "1/3", "description": "In prison.",
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "sentence_served" in response.context["form"].errors
    assert not Event.objects.filter(type="status_reported").exists()
