"""Columns kept in step with other records by their own code (a person's copied custody, a case's
latest event, what a source supports) survive a save of a copy read before they last changed: an
editor's form holds such a copy."""

from datetime import date

import pytest

from cases.choices import CustodyState, EventType
from cases.models import Case, Person, Source

from .factories import make_case, make_event, make_person, make_source

pytestmark = pytest.mark.django_db


def test_saving_a_person_read_before_their_custody_changed_keeps_the_custody_now():
    person = make_person()
    case = make_case(people=[person])
    stale = Person.objects.get(pk=person.pk)
    make_event(case, "2018-03-10", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    stale.summary = "A journalist."
    stale.save()
    person.refresh_from_db()
    assert (person.summary, person.current_custody) == ("A journalist.", CustodyState.DETAINED)


def test_saving_a_case_read_before_its_latest_event_keeps_that_event():
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    make_event(case, "2018-03-10")
    stale.summary = "Charged with inciting discord."
    stale.save()
    case.refresh_from_db()
    assert (case.summary, case.latest_event_end) == ("Charged with inciting discord.", date(2018, 3, 10))


def test_saving_a_source_read_before_it_was_cited_keeps_what_it_supports():
    source = make_source()
    stale = Source.objects.get(pk=source.pk)
    make_event(make_case(), "2018-03-10", source=source)
    stale.title = "World Report 2019"
    stale.save()
    source.refresh_from_db()
    assert (source.title, source.public_event_count, source.public_case_count) == ("World Report 2019", 1, 1)
