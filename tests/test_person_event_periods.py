"""When each person's published events may have happened (PersonEventPeriod), which the people list
filtered by a period reads: kept in step with every write to an event, a case's people or its
publication and a person's publication, size or custody, finding exactly the people whose published
events overlap the period, and counting them and their headcounts as the people themselves do."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import dates
from cases.choices import CustodyState, EventType, Identity
from cases.models import Event, Person, PersonEventPeriod
from cases.models.events import PERSON_COPIES
from cases.services import merge_people, set_published

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def stored() -> list:
    """Every row, with the start of the next stretch and the copies of its person."""
    return sorted(
        PersonEventPeriod.objects.values_list("person", "date_start", "date_end", "next_start", *PERSON_COPIES)
    )


def assert_in_step():
    kept = stored()
    PersonEventPeriod.objects.rewrite()
    assert stored() == kept


@pytest.fixture
def world():
    """Ardak's own events and his case's; a case shared with Bolat; an unpublished case and event."""
    ardak, bolat = make_person("Ardak Ashim"), make_person("Bolat Nur")
    draft = make_person("Draft", is_published=False)
    alone = make_case("Ardak alone", people=[ardak])
    shared = make_case("Ardak and Bolat", people=[ardak, bolat])
    hidden = make_case("Unpublished", people=[bolat], is_published=False)
    make_event(alone, "2018-03-10", person=ardak)  # his own, a day
    make_event(alone, "2018-05")  # his whole case's, a month
    make_event(shared, "2018-06-01/2018-09-30")  # both of theirs, a range
    make_event(shared, "2018", person=bolat)  # Bolat's own, a year
    make_event(hidden, "2018-02")  # unpublished case
    make_event(shared, "2018-01", is_published=False)  # unpublished event
    make_event(make_case("Draft's", people=[draft]), "2018-04", person=draft)
    return {"ardak": ardak, "bolat": bolat, "draft": draft, "alone": alone, "shared": shared, "hidden": hidden}


def overlapping(since, until) -> set[str]:
    """The published people with a published event concerning them that overlaps [since, until],
    worked out from the events one person at a time."""
    return {
        person.slug
        for person in Person.objects.published()
        if Event.objects.published().concerning(person).between(since, until).exists()
    }


PERIODS = [
    (date(2018, 3, 10), date(2018, 3, 10)),  # the day itself
    (date(2018, 3, 11), date(2018, 4, 30)),  # between Ardak's day and his month: only Bolat's year
    (date(2018, 5, 31), None),  # the month's last day, open-ended
    (None, date(2018, 6, 1)),  # the range's first day
    (date(2018, 10, 1), date(2018, 12, 31)),  # after the range: Bolat's year alone
    (date(2019, 1, 1), None),  # after everything
    (date(2018, 1, 1), date(2018, 2, 28)),  # Bolat's year alone: the others then are unpublished
]


def counted_from_the_people(since, until) -> tuple:
    """How many records the people of the period are and their headcounts (all, in custody at last
    report, unconfirmed), counted from the people themselves, found from their events."""
    people = Person.objects.filter(slug__in=overlapping(since, until))
    return people.count(), people.headcounts()


def counted_from_the_periods(since, until) -> tuple:
    """The same, as the people list of the period counts them: from their periods' copies."""
    people = Person.objects.published().with_events_between(since, until)
    assert people.period_summary() is not None
    return people.known_count(), people.headcounts()


def period_query(since, until) -> dict:
    return {key: value.isoformat() for key, value in (("since", since), ("until", until)) if value}


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_a_person_is_listed_for_a_period_exactly_when_a_published_event_of_theirs_overlaps_it(
    client, world, since, until
):
    response = client.get(reverse("cases:person-list"), period_query(since, until))
    assert {person.slug for person in response.context["results"]} == overlapping(since, until)
    records, (everyone, in_custody, unconfirmed) = counted_from_the_people(since, until)
    assert response.context["count"] == records
    assert response.context["headcount"] == everyone
    assert tuple(response.context["report_counts"]) == (in_custody, unconfirmed)


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_the_api_counts_a_period_s_people_as_the_people_do(client, world, since, until):
    found = client.get(reverse("api:person-list"), period_query(since, until)).json()
    records, (everyone, _, _) = counted_from_the_people(since, until)
    assert (found["count"], found["individuals"], found["groups_of_unknown_size"]) == (
        records,
        everyone.individuals,
        everyone.unknown_groups,
    )


def test_a_period_s_people_and_their_headcounts_are_counted_in_one_query_of_the_periods(client, world):
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("cases:person-list"), {"since": "2018-01-01", "until": "2018-12-31"})
    counting = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"]]
    assert len(counting) == 1
    assert "cases_personeventperiod" in counting[0]
    assert '"cases_person"' not in counting[0]


def test_a_person_s_overlapping_periods_are_one_stretch_that_knows_when_the_next_begins(world):
    def stretches(person):
        return list(
            PersonEventPeriod.objects.filter(person=person)
            .order_by("date_start")
            .values_list("date_start", "date_end", "next_start")
        )

    # Ardak's day, his case's month and the shared range (which begins the day after the month ends).
    assert stretches(world["ardak"]) == [
        (date(2018, 3, 10), date(2018, 3, 10), date(2018, 5, 1)),
        (date(2018, 5, 1), date(2018, 5, 31), date(2018, 6, 1)),
        (date(2018, 6, 1), date(2018, 9, 30), None),
    ]
    # Bolat's year holds the shared range.
    assert stretches(world["bolat"]) == [(date(2018, 1, 1), date(2018, 12, 31), None)]


def edit_events(w):
    event = make_event(w["alone"], "2019-02", person=w["ardak"])
    yield
    event.date_start, event.date_end = date(2020, 1, 1), date(2020, 1, 31)
    event.save()
    yield
    event.person = w["bolat"]
    event.case = w["shared"]
    event.save()
    yield
    event.is_published = False
    event.save()
    yield
    event.delete()
    yield
    make_event(w["shared"], "2021")  # the whole shared case's


def edit_cases(w):
    set_published([w["hidden"]], True)
    yield
    w["shared"].is_published = False
    w["shared"].save()
    yield
    w["alone"].people.add(w["bolat"])
    yield
    w["alone"].people.remove(w["ardak"])
    yield
    w["shared"].people.clear()
    yield
    w["shared"].people.set([w["draft"], w["ardak"]])
    yield
    merge_people(w["ardak"], w["bolat"])


def edit_people(w):
    """Each write of what a period copies of its person: publication, size, custody at last report."""
    ardak, bolat, draft = w["ardak"], w["bolat"], w["draft"]
    bolat.identity, bolat.group_size = Identity.GROUP, 12
    bolat.save()
    yield
    bolat.group_size_is_minimum = True
    bolat.save()
    yield
    bolat.group_size, bolat.group_size_is_minimum = None, False
    bolat.save()
    yield
    make_event(w["alone"], "2018-02-10", person=ardak, type=EventType.DETAINED, custody=CustodyState.DETAINED)
    yield
    recently = (dates.today() - timedelta(days=30)).isoformat()
    make_event(w["alone"], recently, person=ardak, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    yield
    make_event(w["shared"], "2018-04", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    yield
    set_published([ardak], False)
    yield
    set_published([ardak], True)
    yield
    draft.is_published = True
    draft.save()
    yield
    w["shared"].people.add(draft)


def assert_counted_as_the_people_are():
    for since, until in PERIODS:
        assert counted_from_the_periods(since, until) == counted_from_the_people(since, until), (since, until)


@pytest.mark.parametrize("edits", [edit_events, edit_cases, edit_people])
def test_after_every_kind_of_edit_the_periods_equal_a_rewrite_and_count_as_the_people_do(world, edits):
    assert_counted_as_the_people_are()
    assert_in_step()
    for _ in edits(world):
        # Counted first: the rewrite that `assert_in_step` compares with replaces the rows.
        assert_counted_as_the_people_are()
        assert_in_step()
    assert PersonEventPeriod.objects.exists()
