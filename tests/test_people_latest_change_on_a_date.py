"""The people list sorted by latest change on a status date reads a long list's page of keys in three
runs from indexes (PersonQuerySet.keys_between); they give exactly the order of the one sort of every
person with the span that held then, over events of every date precision that a status date falls
within, ties, withheld names and people with no span then."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.http import QueryDict

from cases.choices import CustodyState, EventType
from cases.filters import PersonFilter
from cases.models import CustodySpan, Person
from cases.models.people import PersonQuerySet

from .factories import make_case, make_event, make_person, read_only_for_the_module
from .people_lists import (
    assert_every_page_equals_its_place,
    assert_runs_equal_the_one_sort,
    listed_everywhere,
    page_queries,
)

pytestmark = pytest.mark.django_db

# A change dated vaguely, and another certainly over on the same day as it: the vague one's span then
# holds from the start of its date (cases.custody), so a status date within it finds a span whose
# event's date ends after that status date.
STRADDLING = {
    "Month": ("2018-06", "2018-06-30"),
    "Early": ("early 2018", "2018-04-30"),
    "Mid": ("mid 2018", "2018-08-31"),
    "Late": ("late 2018", "2018-12-31"),
    "Firsthalf": ("2018-40", "2018-06-30"),
    "Secondhalf": ("2018-41", "2018-12-31"),
    "Year": ("2018", "2018-12-31"),
    "Range": ("2017-03/2019-02", "2019-02-28"),
}
# People whose latest change falls on the same day, one of them known by an alias that sorts apart.
TIED = ["Dina", "Bolat", "Aaron"]


def detained_then_released(name: str, detained: str, released: str, **fields) -> Person:
    person = make_person(name, **fields)
    case = make_case(f"Case of {name} {fields.get('slug', '')}", people=[person])
    make_event(case, detained, type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, released, type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    return person


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with read_only_for_the_module(django_db_blocker):
        for name, (vague, certain) in STRADDLING.items():
            detained_then_released(name, vague, certain)
        for name in TIED:
            withheld = {"name_withheld": True, "public_alias": "Zhanna"} if name == "Aaron" else {}
            detained_then_released(name, "2018-03-10", "2019-05-01", **withheld)
        # Two people of one name: the key decides.
        detained_then_released("Twin", "2018-05", "2019-01-15", slug="twin-1")
        detained_then_released("Twin", "2018-05", "2019-01-15", slug="twin-2")
        # Two changes of one day: the second holds from the next day, after its event's date.
        detained_then_released("Sameday", "2018-04-04", "2018-04-04")
        make_person("Nobody")
        detained_then_released("Later", "2019-05", "2020-02")
        detained_then_released("Hidden", "2018-06", "2018-06-30", is_published=False)
        yield


def status_dates() -> list[date]:
    """Each day a span begins, ends or its event's date ends, and the days either side."""
    days = set()
    for span in CustodySpan.objects.all():
        for day in (span.valid_from, span.since_end, span.valid_until):
            if day is not None:
                days.update({day - timedelta(days=1), day, day + timedelta(days=1)})
    return sorted(days)


def sorted_by_latest_change(on: date, **filters) -> PersonQuerySet:
    """The people list's filtered and sorted people, as the list, the API and the export read them."""
    query = QueryDict(mutable=True)
    query.update({"as_of": on.isoformat(), "sort": "latest", **filters})
    return PersonFilter(query, queryset=Person.objects.published()).qs


def one_sort(on: date) -> list[int]:
    """The order worked out in Python from the spans: the end of the date of the event that set the
    span holding on `on`, newest first, those with none last; then the public name and the key."""

    def key(person: Person):
        span = CustodySpan.objects.filter(person=person, valid_from__lte=on).order_by("-valid_from").first()
        holds = span is not None and (span.valid_until is None or span.valid_until > on)
        since_end = span.since_end if holds else None
        return (since_end is None, -(since_end or date.min).toordinal(), person.public_name, person.pk)

    return [person.pk for person in sorted(Person.objects.published(), key=key)]


def test_the_world_has_spans_that_hold_before_or_after_their_events_date_is_over(world):
    straddling = CustodySpan.objects.filter(person__is_published=True, valid_from__lt=F("since_end"))
    same_day = CustodySpan.objects.get(person__name="Sameday", state=CustodyState.AT_LIBERTY)

    assert set(straddling.values_list("person__name", flat=True)) == set(STRADDLING)
    assert same_day.valid_from > same_day.since_end


def test_the_database_sorts_by_the_span_that_held_then(world):
    for on in status_dates():
        assert list(sorted_by_latest_change(on).values_list("pk", flat=True)) == one_sort(on), on


def test_a_long_lists_keys_read_in_runs_equal_the_one_sort_on_every_status_date(world):
    for on in status_dates():
        assert_runs_equal_the_one_sort(sorted_by_latest_change(on), on)


def test_every_page_of_runs_equals_its_place_in_the_one_sort(world):
    for on in (date(2018, 3, 31), date(2018, 6, 15), date(2018, 10, 1), date(2019, 1, 31)):
        assert_every_page_equals_its_place(sorted_by_latest_change(on), on)


@pytest.mark.parametrize(
    "custody", [{"in_custody": "true"}, {"in_custody": "false"}, {"custody": "unknown"}, {"custody": "detained"}]
)
def test_runs_under_a_custody_filter_equal_the_one_sort(world, custody):
    for on in status_dates():
        assert_runs_equal_the_one_sort(sorted_by_latest_change(on, **custody), on, custody)


def test_the_api_pages_and_the_export_list_the_people_in_one_order(world, client, monkeypatch):
    # Every list as long as one past the cap, so that its pages are read in runs.
    monkeypatch.setattr("cases.models.people.MAX_ROWS", 0)
    on = date(2018, 6, 15)
    expected = [Person.objects.get(pk=pk).slug for pk in one_sort(on)]

    paged, exported, listed = listed_everywhere(client, {"as_of": on.isoformat(), "sort": "latest"})

    assert paged == expected
    assert exported == expected
    assert listed == expected


def test_a_long_lists_page_reads_its_keys_in_three_runs_a_short_one_in_one_sort(world, client, monkeypatch):
    params = {"as_of": "2018-06-15", "sort": "latest"}
    sorted_whole = page_queries(client, params)
    monkeypatch.setattr("cases.models.people.MAX_ROWS", 0)

    assert page_queries(client, params) == sorted_whole + 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="covering indexes are PostgreSQL's")
def test_on_postgresql_a_span_on_a_date_is_looked_up_by_person_from_an_index_holding_what_the_lists_read():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_span_person_on_a_date'")
        (definition,) = cursor.fetchone()
    assert "(person_id) INCLUDE (valid_from, valid_until, state, since_end, expected_end_start, expected_end_end)" in (
        definition
    )
