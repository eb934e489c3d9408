"""When each person's published events may have happened (PersonEventPeriod), which the people list
filtered by a period reads: kept in step with every write to an event, a case's people or its
publication, and finding exactly the people whose published events overlap the period."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Event, Person, PersonEventPeriod
from cases.services import merge_people, set_published

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def stored() -> list:
    return sorted(PersonEventPeriod.objects.values_list("person", "date_start", "date_end"))


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


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_a_person_is_listed_for_a_period_exactly_when_a_published_event_of_theirs_overlaps_it(
    client, world, since, until
):
    query = {key: value.isoformat() for key, value in (("since", since), ("until", until)) if value}
    response = client.get(reverse("cases:person-list"), query)
    assert {person.slug for person in response.context["results"]} == overlapping(since, until)


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


@pytest.mark.parametrize("edits", [edit_events, edit_cases])
def test_after_every_kind_of_edit_the_periods_equal_a_rewrite(world, edits):
    assert_in_step()
    for _ in edits(world):
        assert_in_step()
    assert_in_step()
    assert PersonEventPeriod.objects.exists()
