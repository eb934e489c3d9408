"""The people list sorted by the expected end of a sentence on a status date reads a long list's page
of keys in two runs (PersonQuerySet.keys_between): those with an expected end then, from an index of
the spans by it, then the others by name. They give exactly the order of the one sort of every
person with the span that held then, over sentences of every length, ties, withheld names, people
serving no sentence and people with no custody then."""

from datetime import date, timedelta

import pytest
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


def sentenced(name: str, convicted: str, months: int, released: str | None = None, **fields) -> Person:
    person = make_person(name, **fields)
    case = make_case(f"Case of {name} {fields.get('slug', '')}", people=[person])
    make_event(case, convicted, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=months)
    if released:
        make_event(case, released, type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    return person


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with read_only_for_the_module(django_db_blocker):
        sentenced("Long", "2016-05-17", 96)
        sentenced("Short", "2018-02-01", 6)
        sentenced("Vague", "2017", 24)  # an end known to the year
        sentenced("Released", "2017-03-01", 60, released="2018-09-10")
        sentenced("Later", "2019-02", 12)
        # Two people of one sentence, one known by an alias that sorts apart, and two of one name.
        sentenced("Bolat", "2017-06-01", 36)
        sentenced("Aaron", "2017-06-01", 36, name_withheld=True, public_alias="Zhanna")
        sentenced("Twin", "2017-06-01", 36, slug="twin-1")
        sentenced("Twin", "2017-06-01", 36, slug="twin-2")
        detained = make_person("Detained")
        make_event(make_case("Detention case", people=[detained]), "2018-01-10", type=EventType.DETAINED,
                   custody=CustodyState.DETAINED)  # fmt: skip
        make_person("Nobody")
        sentenced("Hidden", "2017-06-01", 12, is_published=False)
        yield


def status_dates() -> list[date]:
    """Each day a span begins or ends, or its expected end allows, and the days either side."""
    days = set()
    for span in CustodySpan.objects.all():
        for day in (span.valid_from, span.valid_until, span.expected_end_start, span.expected_end_end):
            if day is not None:
                days.update({day - timedelta(days=1), day, day + timedelta(days=1)})
    return sorted(days)


def sorted_by_expected_end(on: date, **filters) -> PersonQuerySet:
    """The people list's filtered and sorted people, as the list, the API and the export read them."""
    query = QueryDict(mutable=True)
    query.update({"as_of": on.isoformat(), "sort": "expected_end", **filters})
    return PersonFilter(query, queryset=Person.objects.published()).qs


def one_sort(on: date) -> list[int]:
    """The order worked out in Python from the spans: the latest day the expected end of the sentence
    served on `on` allows, soonest first, then its earliest day; those with none last; then the public
    name and the key."""

    def key(person: Person):
        span = CustodySpan.objects.filter(person=person, valid_from__lte=on).order_by("-valid_from").first()
        holds = span is not None and (span.valid_until is None or span.valid_until > on)
        end = span.expected_end_end if holds else None
        start = span.expected_end_start if holds else None
        return (end is None, end or date.max, start is None, start or date.max, person.public_name, person.pk)

    return [person.pk for person in sorted(Person.objects.published(), key=key)]


def test_the_world_has_sentences_ending_apart_and_together_and_people_serving_none(world):
    ends = CustodySpan.objects.filter(person__is_published=True, expected_end_end__isnull=False)
    assert ends.values("expected_end_end").distinct().count() >= 5
    assert ends.filter(person__name="Twin").count() == 2
    assert not CustodySpan.objects.filter(person__name="Detained", expected_end_end__isnull=False).exists()


def test_the_database_sorts_by_the_sentence_served_then(world):
    for on in status_dates():
        assert list(sorted_by_expected_end(on).values_list("pk", flat=True)) == one_sort(on), on


def test_a_long_lists_keys_read_in_runs_equal_the_one_sort_on_every_status_date(world):
    for on in status_dates():
        assert_runs_equal_the_one_sort(sorted_by_expected_end(on), on)


def test_every_page_of_runs_equals_its_place_in_the_one_sort(world):
    for on in (date(2017, 6, 15), date(2018, 6, 30), date(2019, 3, 1)):
        assert_every_page_equals_its_place(sorted_by_expected_end(on), on)


@pytest.mark.parametrize("custody", [{"in_custody": "true"}, {"in_custody": "false"}, {"custody": "unknown"}])
def test_runs_under_a_custody_filter_equal_the_one_sort(world, custody):
    for on in status_dates():
        assert_runs_equal_the_one_sort(sorted_by_expected_end(on, **custody), on, custody)


def test_the_api_pages_and_the_export_list_the_people_in_one_order(world, client, monkeypatch):
    # Every list as long as one past the cap, so that its pages are read in runs.
    monkeypatch.setattr("cases.models.people.MAX_ROWS", 0)
    on = date(2018, 6, 30)
    expected = [Person.objects.get(pk=pk).slug for pk in one_sort(on)]

    paged, exported, listed = listed_everywhere(client, {"as_of": on.isoformat(), "sort": "expected_end"})

    assert paged == expected
    assert exported == expected
    assert listed == expected


def test_a_long_lists_page_reads_its_keys_in_two_runs_a_short_one_in_one_sort(world, client, monkeypatch):
    params = {"as_of": "2018-06-30", "sort": "expected_end"}
    sorted_whole = page_queries(client, params)
    monkeypatch.setattr("cases.models.people.MAX_ROWS", 0)

    assert page_queries(client, params) == sorted_whole + 1
