"""A custody status says when it was last reported and how long ago; "now" only when that is recent."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from cases.choices import CustodyState, EventType, Identity
from cases.models import Person
from cases.statistics import custody_by_month

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db

NOW_WORDS = re.compile(r"\b(now|currently)\b", re.IGNORECASE)


@pytest.fixture
def bokaev():
    """Imprisoned in 2016, confirmed by a report in January 2019, and nothing since."""
    person = make_person("Maks Bokaev")
    case = make_case("Prosecution of Maks Bokaev", people=[person])
    make_event(case, "2016-11", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=60)
    make_event(case, "2019-01", type=EventType.STATUS_REPORTED, custody=CustodyState.IMPRISONED)
    return person


def test_an_old_report_is_said_as_at_last_report_with_its_date_and_age_never_as_now(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    html = client.get(bokaev.get_absolute_url()).content.decode()
    # His five years would have ended since, with no report after: the status says that first.
    assert (
        "Expected to have been released by November 2021; unconfirmed — in custody at last report: Imprisoned — "
        "since November 2016" in html
    )
    assert '<time datetime="2019-01">January 2019</time> (7 years ago); unconfirmed since January 2019</dd>' in html
    assert not NOW_WORDS.search(html)


def test_a_recent_report_says_in_custody_now(client, bokaev, set_today):
    set_today(date(2019, 6, 15))
    html = client.get(bokaev.get_absolute_url()).content.decode()
    assert "In custody now: Imprisoned — since November 2016" in html
    assert '<time datetime="2019-01">January 2019</time> (4 months ago)</dd>' in html
    assert "unconfirmed" not in html


def test_how_old_a_report_may_be_and_still_confirm_is_a_setting(client, bokaev, set_today, settings):
    # Before his sentence would have ended (November 2021), a report of January 2019 is too old by default.
    set_today(date(2021, 6, 1))
    assert "In custody at last report: Imprisoned" in client.get(bokaev.get_absolute_url()).content.decode()
    settings.CUSTODY_CONFIRMED_MONTHS = 120
    assert "In custody now: Imprisoned" in client.get(bokaev.get_absolute_url()).content.decode()


def test_a_report_recent_enough_is_no_now_once_the_sentence_would_have_ended_with_no_report_since(
    client, bokaev, set_today, settings
):
    set_today(date(2026, 11, 25))
    settings.CUSTODY_CONFIRMED_MONTHS = 120
    html = client.get(bokaev.get_absolute_url()).content.decode()
    assert "Expected to have been released by November 2021; unconfirmed — in custody at last report" in html
    assert "In custody now" not in html


def test_the_last_report_is_the_latest_confirming_event_not_the_one_that_set_the_state(bokaev):
    person = Person.objects.with_custody().get(pk=bokaev.pk)
    assert person.custody_since.edtf == "2016-11"
    assert person.custody_last_reported.edtf == "2019-01"


def test_a_later_report_of_another_state_is_no_report_of_the_earlier_state(bokaev):
    make_event(bokaev.cases.get(), "2020-03", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    person = Person.objects.with_custody(date(2019, 6, 30)).get(pk=bokaev.pk)
    assert (person.custody, person.custody_last_reported.edtf) == (CustodyState.IMPRISONED, "2019-01")


def test_home_counts_people_in_custody_at_last_report_and_how_many_reports_are_too_old(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    make_event(make_case(people=[make_person("Recent Detainee")]), "2026-09", custody=CustodyState.DETAINED)
    html = client.get(reverse("cases:home")).content.decode()
    assert "2 people in custody at last report" in html
    assert "For 1 of them the last report is more than 12 months old" in html
    assert not NOW_WORDS.search(html)


def test_the_counts_at_last_report_count_a_group_as_its_size(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    group = make_person("Three people convicted", identity=Identity.GROUP, group_size=3)
    make_event(make_case(people=[group]), "2018-03", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(make_case(people=[make_person("Recent Detainee")]), "2026-09", custody=CustodyState.DETAINED)
    html = client.get(reverse("cases:home")).content.decode()
    assert "5 people in custody at last report" in html
    assert "For 4 of them the last report is more than 12 months old" in html


def test_the_people_list_gives_each_last_report_and_marks_the_unconfirmed(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    html = client.get(reverse("cases:person-list")).content.decode()
    assert "Custody at last report</th>" in html
    assert (
        '<time datetime="2019-01">January 2019</time> (7 years ago), <span class="unconfirmed">unconfirmed</span>'
        in html
    )
    assert "For 1 of them the last report is more than 12 months old" in html


def test_the_api_and_exports_say_when_custody_was_last_reported_and_whether_that_confirms_it(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    api = client.get(reverse("api:person-detail", args=[bokaev.slug])).json()
    assert (api["status_date"], api["custody_last_reported"], api["custody_confirmed"]) == ("2016-11", "2019-01", False)
    [row] = json.loads(b"".join(client.get(reverse("cases:person-export", args=["json"])).streaming_content))["results"]
    assert (row["custody_last_reported"], row["custody_confirmed"]) == ("2019-01", False)


def test_on_a_past_date_a_report_within_the_threshold_before_it_confirms_the_status(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    response = client.get(reverse("api:person-list"), {"as_of": "2019-06-30"})
    [person] = response.json()["results"]
    assert (person["custody_last_reported"], person["custody_confirmed"]) == ("2019-01", True)


def test_a_person_with_no_custody_report_is_never_confirmed(client):
    make_person("Nobody Reported")
    [person] = client.get(reverse("api:person-list")).json()["results"]
    assert (person["custody"], person["custody_last_reported"], person["custody_confirmed"]) == ("unknown", None, False)


def test_statistics_tell_the_months_carried_forward_after_the_last_report_apart(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    months = {f"{m.month_end:%Y-%m}": m for m in custody_by_month(Person.objects.all(), until=date(2019, 3, 31))}
    assert (months["2019-01"].count, months["2019-01"].carried_forward) == (1, 0)
    assert (months["2019-03"].count, months["2019-03"].carried_forward) == (1, 1)
    html = client.get(reverse("cases:statistics"), {"until": "2019-03-31"}).content.decode()
    assert "Of whom carried forward, unconfirmed" in html
    assert '<rect class="bar carried"' in html


def test_a_page_says_what_its_latest_information_dates_from_beside_when_it_last_changed(client, bokaev, set_today):
    set_today(date(2026, 11, 25))
    html = client.get(bokaev.get_absolute_url()).content.decode()
    assert "Last updated</dt>" in html
    assert (
        '<dt>Latest information dates from</dt>\n        <dd><time datetime="2019-01">January 2019</time></dd>' in html
    )
