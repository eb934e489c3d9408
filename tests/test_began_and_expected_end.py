"""A state that began is not a state on record since a report; a sentence's end is computed
only from a known beginning, and said as computed."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from cases import dates
from cases.choices import CaseStage, CustodyState, DatePrecision, EventType
from cases.models import CustodySpan, Person

from .factories import make_case, make_charge, make_event, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_2026(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: date(2026, 11, 25))


def spans_of(person):
    return list(person.custody_spans.order_by("valid_from").values_list("state", "valid_from", "valid_until"))


def custody_on(person, on):
    return Person.objects.with_custody(on).get(pk=person.pk).custody


def arrested_and_sentenced():
    """Arrested in May 2016; a report of 2018 says they serve five years."""
    person = make_person("Maks Test")
    case = make_case(
        "Prosecution of Maks Test", people=[person], charges=[make_charge("Inciting discord", article="174")]
    )
    make_event(case, "2016-05", type=EventType.DETAINED, custody=CustodyState.IMPRISONED, stage=CaseStage.CONVICTED)
    make_event(case, "2018", type=EventType.STATUS_REPORTED, custody=CustodyState.IMPRISONED, sentence_months=60)
    return person


def only_reported_in_prison():
    """Known only from a parole denial of March 2018: six years, served since some earlier date."""
    person = make_person("Aset Test")
    case = make_case("Prosecution of Aset Test", people=[person])
    make_event(case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    make_event(case, "2018-03", type=EventType.PAROLE_DENIED, custody=CustodyState.IMPRISONED, sentence_months=72)
    return person


def test_a_detention_reported_over_a_range_is_not_lost_to_a_transfer_ending_the_same_day():
    person = make_person("Natalya Test")
    case = make_case("Detention of Natalya Test", people=[person])
    make_event(
        case, "2016-10/2018-09", type=EventType.STATUS_REPORTED, custody=CustodyState.PSYCHIATRIC_DETENTION
    )  # fmt: skip
    make_event(case, "2018-09", type=EventType.TRANSFERRED, custody=CustodyState.HOUSE_ARREST)

    assert spans_of(person) == [
        (CustodyState.PSYCHIATRIC_DETENTION, date(2016, 10, 1), date(2018, 9, 30)),
        (CustodyState.HOUSE_ARREST, date(2018, 9, 30), None),
    ]
    assert custody_on(person, date(2018, 6, 30)) == CustodyState.PSYCHIATRIC_DETENTION
    assert custody_on(person, date(2018, 12, 31)) == CustodyState.HOUSE_ARREST


def test_a_report_that_a_state_held_comes_before_the_change_that_ends_it_whatever_was_recorded_first():
    person = make_person("Order Test")
    case = make_case("Order case", people=[person])
    make_event(case, "2018-09", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    make_event(case, "2018-09", type=EventType.STATUS_REPORTED, custody=CustodyState.IMPRISONED)

    assert [state for state, *_ in spans_of(person)] == [CustodyState.IMPRISONED, CustodyState.AT_LIBERTY]
    assert custody_on(person, date(2018, 10, 1)) == CustodyState.AT_LIBERTY


def test_two_changes_certain_on_the_same_day_both_keep_a_span():
    person = make_person("Same Day")
    case = make_case("Same day case", people=[person])
    make_event(case, "2018-03-10", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-03-10", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)

    assert [state for state, *_ in spans_of(person)] == [CustodyState.DETAINED, CustodyState.AT_LIBERTY]


def test_an_arrest_begins_the_state_it_sets(client):
    person = arrested_and_sentenced()
    api = client.get(reverse("api:person-detail", args=[person.slug])).json()
    assert api["custody_began"] == "2016-05"
    assert api["custody_on_record_since"] == "2016-05"
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Imprisoned — since May 2016" in page


def test_a_parole_denial_puts_an_imprisonment_on_record_without_dating_its_beginning(client):
    person = only_reported_in_prison()
    assert CustodySpan.objects.get(person=person).began is False
    api = client.get(reverse("api:person-detail", args=[person.slug])).json()
    assert api["custody_began"] is None
    assert api["custody_on_record_since"] == "2018-03"
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Imprisoned — on record since March 2018 (began earlier)" in page
    # Not a bare "since" (the last-reported row may say "unconfirmed since March 2018").
    assert "— since March 2018" not in page


def test_a_transfer_between_prisons_reports_an_imprisonment_but_a_transfer_to_house_arrest_begins_it():
    moved = make_person("Moved Between Prisons")
    case = make_case("Moved case", people=[moved])
    make_event(case, "2018-09", type=EventType.TRANSFERRED, custody=CustodyState.IMPRISONED)
    make_event(case, "2018-11", type=EventType.TRANSFERRED, custody=CustodyState.HOUSE_ARREST)

    assert list(CustodySpan.objects.filter(person=moved).order_by("valid_from").values_list("began", flat=True)) == [
        False,
        True,
    ]


def test_the_sentence_ends_counted_from_the_known_beginning_of_custody(client):
    person = arrested_and_sentenced()
    api = client.get(reverse("api:person-detail", args=[person.slug])).json()
    assert (api["sentence_months"], api["expected_end"]) == (60, "2021-05")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "5 years" in page
    assert "sentence would end around May 2021" in page
    assert "not reported" in page
    assert "Inciting discord (174)" in page and "Convicted" in page


def test_no_end_is_computed_from_a_first_report(client):
    person = only_reported_in_prison()
    api = client.get(reverse("api:person-detail", args=[person.slug])).json()
    assert (api["sentence_months"], api["expected_end"]) == (72, None)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "sentence would end" not in page
    assert "not computed: the start of this custody is not on record" in page


def test_a_vague_beginning_gives_the_range_of_ends_it_allows(client):
    person = make_person("Range Test")
    case = make_case("Range case", people=[person])
    make_event(case, "2018/2018-08", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-10", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=24)

    end = Person.objects.with_custody().get(pk=person.pk).expected_end
    assert (end.start, end.end, end.precision) == (date(2020, 1, 1), date(2020, 8, 31), DatePrecision.RANGE)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "sentence would end some time between January 2020 and August 2020" in page


def test_after_a_vague_expected_end_the_status_names_its_latest_month(client, in_2026):
    person = make_person("Range Test")
    case = make_case("Range case", people=[person])
    make_event(case, "2018/2018-08", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-10", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=24)

    page = client.get(person.get_absolute_url()).content.decode()
    assert "Expected to have been released by August 2020; unconfirmed" in page


def test_after_the_expected_end_with_no_later_report_the_status_says_release_is_unconfirmed(client, in_2026):
    person = arrested_and_sentenced()
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Expected to have been released by May 2021; unconfirmed" in page
    assert "no report since" in page
    assert "In custody: Imprisoned" not in page


def test_a_report_after_the_expected_end_keeps_the_reported_status(client, in_2026):
    person = arrested_and_sentenced()
    make_event(person.cases.get(), "2022-02", type=EventType.STATUS_REPORTED, custody=CustodyState.IMPRISONED)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Expected to have been released" not in page
    assert "In custody at last report: Imprisoned" in page


def test_before_the_expected_end_the_status_is_the_reported_one(client, monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: date(2020, 1, 1))
    page = client.get(arrested_and_sentenced().get_absolute_url()).content.decode()
    assert "Expected to have been released" not in page


def test_the_people_list_sorts_by_expected_end_with_those_without_one_last(client):
    later = arrested_and_sentenced()
    unknown = only_reported_in_prison()
    sooner = make_person("Zed Sooner")
    case = make_case("Sooner case", people=[sooner])
    make_event(case, "2017-01", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2017-06", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=12)

    response = client.get(reverse("cases:person-list"), {"sort": "expected_end"})
    assert [p.pk for p in response.context["results"]] == [sooner.pk, later.pk, unknown.pk]
    html = response.content.decode()
    assert "Expected end of sentence" in html and "around January 2018" in html
    assert "sort=expected_end" in client.get(reverse("cases:person-list")).content.decode()


def test_exports_carry_the_beginning_the_first_report_and_the_expected_end(client):
    arrested_and_sentenced()
    only_reported_in_prison()
    response = client.get(reverse("cases:person-export", args=["csv"]))
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}
    assert (rows["Maks Test"]["custody_began"], rows["Maks Test"]["expected_end"]) == ("2016-05", "2021-05")
    assert rows["Aset Test"]["custody_began"] == ""
    assert rows["Aset Test"]["custody_on_record_since"] == "2018-03"
    assert rows["Aset Test"]["sentence_months"] == "72"
