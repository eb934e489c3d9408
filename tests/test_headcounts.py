"""The headcounts of the home page, the people list and the API, and the statistics' months: the custody
copied onto each person and the tallies kept of the published people answer them as a count over every
span would."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from cases import dates
from cases.choices import IN_CUSTODY_STATES, CustodyState, EventType, Identity
from cases.custody import rebuild_all_custody_spans
from cases.models import CustodyDayTally, CustodySpan, CustodyTally, Headcount, Person
from cases.models.people import CURRENT_CUSTODY, CURRENT_ORDER, headcount_aggregates, headcount_from
from cases.statistics import counts_by_charge, counts_by_theme, custody_by_month, day_changes

from .factories import make_case, make_charge, make_event, make_person, make_theme

pytestmark = pytest.mark.django_db

TALLY = ("state", "reported_end", "individuals", "minimums", "unknown_groups")
DAY_TALLY = ("state", "day", "kind", "individuals", "minimums", "unknown_groups")
# What a status date's filters ask for: in custody or not (unknown among the latter), and one state.
STATE_SETS = [
    frozenset(IN_CUSTODY_STATES),
    frozenset(CustodyState.values) - frozenset(IN_CUSTODY_STATES),
    frozenset([CustodyState.IMPRISONED]),
]


def counted_over_the_spans(people) -> tuple[dict[str, Headcount], Headcount, Headcount, Headcount]:
    """The headcounts as the join of every person with their open span and its report gives them."""
    joined = people.with_custody().order_by()
    by_state = {state: Headcount() for state in CustodyState.values}
    by_state |= {
        row["custody"]: headcount_from(row) for row in joined.values("custody").annotate(**headcount_aggregates())
    }
    in_custody = Q(custody__in=IN_CUSTODY_STATES)
    stale = Q(custody_reported_end__lt=dates.confirmed_since()) | Q(custody_reported_end__isnull=True)
    row = joined.aggregate(
        **headcount_aggregates(in_custody, prefix="in_"), **headcount_aggregates(in_custody & stale, prefix="stale_")
    )
    everyone = headcount_from(people.order_by().aggregate(**headcount_aggregates()))
    return by_state, headcount_from(row, "in_"), headcount_from(row, "stale_"), everyone


def kept(people) -> tuple[dict[str, Headcount], Headcount, Headcount, Headcount]:
    return (*(people.custody_counts(), *people.custody_report_counts()), people.headcount())  # type: ignore[return-value]


def status_days() -> set:
    """Every day on which a stored span begins or ends, and the day before: where a count could go wrong."""
    days = set()
    for valid_from, valid_until in CustodySpan.objects.values_list("valid_from", "valid_until"):
        for day in (valid_from, valid_until):
            if day is not None:
                days |= {day, day - timedelta(days=1)}
    return days


def assert_status_on_every_day_in_step():
    """The headcounts of everyone in some custody states on a date, kept by day, equal the join's."""
    published = Person.objects.published()
    for on in sorted(status_days()):
        for states in STATE_SETS:
            joined = published.in_custody_states(states, on).filter(pk__in=Person.objects.values("pk"))
            assert not joined._every_published(joined._custody_filter)
            expected = joined.headcount()
            assert published.custody_headcount(states, on) == expected, (on, states)
            # A list filtered by those states alone counts from the tally too.
            listed = published.in_custody_states(states, on)
            assert listed._every_published(listed._custody_filter)
            assert listed.headcount() == expected, (on, states)


def assert_in_step():
    published = Person.objects.published()
    assert published._every_published()
    assert kept(published) == counted_over_the_spans(published)
    # A list of everyone in some states at last report counts from CustodyTally, as its people would.
    for states in STATE_SETS:
        listed = published.in_custody_states(states)
        counted = listed.filter(pk__in=Person.objects.values("pk"))
        assert listed._tallied_states(None) == states and counted._tallied_states(None) is None
        assert listed.headcounts() == counted.headcounts(), states
    # The status days, kept for all the published people, equal the sums over their spans.
    recounted = day_changes(CustodySpan.objects.filter(person__is_published=True))
    assert sorted(CustodyDayTally.objects.values_list(*DAY_TALLY)) == sorted(
        (row["state"], row["day"], row["kind"], row["individuals"], row["minimums"], row["unknown_groups"])
        for row in recounted
    )
    # A filtered list counts its own people, from their copied custody.
    named = published.filter(identity=Identity.NAMED)
    assert not named._every_published()
    assert kept(named) == counted_over_the_spans(named)
    # The statistics' months, kept for all the published people, equal the sums over their spans.
    every_one = published.filter(pk__in=Person.objects.values("pk"))
    assert not every_one._every_published()
    assert custody_by_month(published, until=date(2025, 1, 31)) == custody_by_month(every_one, until=date(2025, 1, 31))
    assert counts_by_charge(published) == counts_by_charge(every_one)
    assert counts_by_theme(published) == counts_by_theme(every_one)
    # What the people list sorts by without a status date is the open span's, as the join gives it.
    copied_order = Person.objects.order_by("pk").values_list(*CURRENT_ORDER)
    joined_order = Person.objects.with_custody().order_by("pk")
    assert list(copied_order) == list(
        joined_order.values_list("custody_since_end", "expected_end_start", "expected_end_end")
    )
    stored = list(CustodyTally.objects.order_by("state", "reported_end").values_list(*TALLY))
    stored_days = list(CustodyDayTally.objects.order_by(*DAY_TALLY[:3]).values_list(*DAY_TALLY))
    copied = list(Person.objects.order_by("pk").values_list("pk", *CURRENT_CUSTODY))
    rebuild_all_custody_spans()
    assert list(CustodyTally.objects.order_by("state", "reported_end").values_list(*TALLY)) == stored
    assert list(CustodyDayTally.objects.order_by(*DAY_TALLY[:3]).values_list(*DAY_TALLY)) == stored_days
    assert list(Person.objects.order_by("pk").values_list("pk", *CURRENT_CUSTODY)) == copied
    assert kept(published) == counted_over_the_spans(published)


def test_the_kept_headcounts_equal_a_count_over_the_spans_after_a_series_of_edits():
    ardak = make_person("Ardak Ashim")
    crowd = make_person("Protesters in Zhanaozen", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    unknown = make_person("Unnamed relatives", identity=Identity.GROUP)
    draft = make_person("Draft person", is_published=False)
    discord, fraud, civil = make_charge("inciting discord"), make_charge("fraud"), make_theme("Civil Society")
    case = make_case(people=[ardak, crowd, unknown, draft], charges=[discord], themes=[civil])
    other = make_case(people=[crowd], charges=[fraud])
    assert_in_step()
    other.charges.add(discord)
    assert_in_step()
    fraud.cases.clear()
    assert_in_step()
    other.people.add(ardak)
    assert_in_step()
    other.is_published = False
    other.save()
    assert_in_step()

    make_event(case, "2016-05", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    assert_in_step()
    make_event(case, "2024-01-10", person=ardak, type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    assert_in_step()
    make_event(case, "2019-07", type=EventType.OTHER, custody=CustodyState.IMPRISONED)  # a later report
    assert_in_step()

    crowd.group_size = 30
    crowd.save()
    assert_in_step()
    unknown.group_size, unknown.group_size_is_minimum = 4, False
    unknown.save()
    assert_in_step()
    draft.is_published = True
    draft.save()
    assert_in_step()
    ardak.is_published = False
    ardak.save()
    assert_in_step()

    newcomer = make_person("Newcomer")
    assert_in_step()
    newcomer.delete()
    assert_in_step()
    case.themes.clear()
    assert_in_step()
    civil.cases.add(other)
    other.is_published = True
    other.save()
    assert_in_step()
    other.people.clear()
    assert_in_step()
    other.delete()
    assert_in_step()


def test_the_status_on_any_day_counted_from_the_tally_equals_a_count_over_the_spans():
    ardak = make_person("Ardak Ashim")
    crowd = make_person("Protesters in Zhanaozen", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    unknown = make_person("Unnamed relatives", identity=Identity.GROUP)
    make_person("Draft person", is_published=False)
    case = make_case(people=[ardak, crowd, unknown])
    make_event(case, "2016-05", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2016-11-20", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(case, "2019", person=crowd, type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    make_event(case, "2024-01-10", person=ardak, type=EventType.RELEASED, custody=CustodyState.CONDITIONAL_RELEASE)
    assert len(status_days()) > 6
    assert_status_on_every_day_in_step()


def test_unconfirmed_is_measured_against_the_day_asked(monkeypatch):
    case = make_case(people=[make_person()])
    make_event(case, "2020-03-10", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    monkeypatch.setattr(dates, "today", lambda: date(2020, 6, 1))
    in_custody, unconfirmed = Person.objects.published().custody_report_counts()
    assert (in_custody.individuals, unconfirmed.individuals) == (1, 0)
    monkeypatch.setattr(dates, "today", lambda: date(2022, 6, 1))
    in_custody, unconfirmed = Person.objects.published().custody_report_counts()
    assert (in_custody.individuals, unconfirmed.individuals) == (1, 1)


def test_a_staff_preview_counts_from_the_people_not_the_tally(monkeypatch):
    make_person(is_published=False)
    monkeypatch.setattr("cases.models.people.previewed_record", lambda: object())
    assert not Person.objects.published()._every_published()


def test_the_home_page_reads_the_custody_tally_once(client):
    make_event(make_case(people=[make_person("Ardak Ashim")]), "2018-03", custody=CustodyState.IMPRISONED)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", secure=True)
    assert response.status_code == 200
    assert sum(CustodyTally._meta.db_table in query["sql"] for query in queries.captured_queries) == 1
