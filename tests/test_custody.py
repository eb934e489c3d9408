"""A person's custody state on any date, read from the derived spans."""

import random
from datetime import date

import pytest

from cases.choices import CustodyState, EventType
from cases.custody import derive_custody_spans, rebuild_all_custody_spans, sync_custody_spans
from cases.models import CustodySpan, Event, Person

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def custody_on(person, on=None):
    return Person.objects.with_custody(on).get(pk=person.pk).custody


def spans_of(person):
    return list(
        CustodySpan.objects.filter(person=person)
        .order_by("valid_from")
        .values_list("state", "valid_from", "valid_until")
    )


def test_a_state_holds_from_the_day_its_event_was_certainly_over():
    person = make_person()
    case = make_case(people=[person])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)

    assert custody_on(person, date(2018, 3, 15)) == CustodyState.UNKNOWN
    assert custody_on(person, date(2018, 3, 31)) == CustodyState.DETAINED
    assert custody_on(person, date(2018, 4, 1)) == CustodyState.DETAINED


def test_the_latest_event_sets_the_state_and_earlier_ones_still_answer_for_their_dates():
    person = make_person()
    case = make_case(people=[person])
    make_event(case, "2016-05", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(case, "2018-04", type=EventType.RELEASED_ON_PAROLE, custody=CustodyState.CONDITIONAL_RELEASE)

    assert custody_on(person, date(2017, 1, 1)) == CustodyState.IMPRISONED
    assert custody_on(person, date(2018, 6, 30)) == CustodyState.CONDITIONAL_RELEASE
    assert custody_on(person) == CustodyState.CONDITIONAL_RELEASE
    assert not Person.objects.with_custody().get(pk=person.pk).in_custody


def test_events_that_confirm_a_state_keep_the_date_it_was_first_set():
    person = make_person()
    case = make_case(people=[person])
    first = make_event(case, "2016-05", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(case, "2018-09", type=EventType.TRANSFERRED, custody=CustodyState.IMPRISONED)

    annotated = Person.objects.with_custody().get(pk=person.pk)
    assert annotated.custody == CustodyState.IMPRISONED
    assert annotated.custody_event_id == first.pk
    assert annotated.custody_since.edtf == "2016-05"


def test_an_event_for_one_person_of_a_shared_case_changes_only_that_person():
    bokaev, ayan = make_person("Maks Bokaev"), make_person("Talgat Ayan")
    case = make_case(people=[bokaev, ayan])
    make_event(case, "2016-11", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(
        case, "2018-04", type=EventType.RELEASED_ON_PAROLE, custody=CustodyState.CONDITIONAL_RELEASE, person=ayan
    )

    assert custody_on(bokaev, date(2018, 6, 30)) == CustodyState.IMPRISONED
    assert custody_on(ayan, date(2018, 6, 30)) == CustodyState.CONDITIONAL_RELEASE


def test_in_custody_on_counts_house_arrest_and_psychiatric_detention():
    people = {state: make_person() for state in CustodyState.values}
    for state, person in people.items():
        make_event(make_case(people=[person]), "2018-01-10", custody=state)

    in_custody = set(Person.objects.in_custody_on(date(2018, 2, 1)).values_list("pk", flat=True))
    expected = {
        people[s].pk
        for s in (
            CustodyState.DETAINED,
            CustodyState.HOUSE_ARREST,
            CustodyState.PSYCHIATRIC_DETENTION,
            CustodyState.IMPRISONED,
        )
    }
    assert in_custody == expected
    assert not Person.objects.in_custody_on(date(2018, 1, 9)).exists()


def test_unpublished_events_do_not_move_the_public_status():
    person = make_person()
    case = make_case(people=[person])
    make_event(case, "2018-03", custody=CustodyState.DETAINED)
    draft = make_event(case, "2018-05", custody=CustodyState.AT_LIBERTY, is_published=False)

    assert custody_on(person) == CustodyState.DETAINED
    draft.is_published = True
    draft.save()
    assert custody_on(person) == CustodyState.AT_LIBERTY


def test_spans_follow_edits_deletions_and_changes_of_a_cases_people():
    person, other = make_person(), make_person()
    case = make_case(people=[person])
    event = make_event(case, "2018-03", custody=CustodyState.DETAINED)
    assert spans_of(person) == [(CustodyState.DETAINED, date(2018, 3, 31), None)]

    event.custody = CustodyState.HOUSE_ARREST
    event.save()
    assert spans_of(person)[0][0] == CustodyState.HOUSE_ARREST

    case.people.add(other)
    assert spans_of(other) == [(CustodyState.HOUSE_ARREST, date(2018, 3, 31), None)]
    case.people.remove(person)
    assert spans_of(person) == []

    case.is_published = False
    case.save()
    assert spans_of(other) == []
    case.is_published = True
    case.save()

    event.delete()
    assert spans_of(other) == []


def test_stored_spans_equal_a_fresh_recomputation_after_many_random_changes():
    rng = random.Random(2018)
    people = [make_person() for _ in range(5)]
    cases = [make_case(people=rng.sample(people, 2)) for _ in range(4)]
    events = []
    for _ in range(40):
        case = rng.choice(cases)
        events.append(
            make_event(
                case,
                f"2018-{rng.randint(1, 12):02d}",
                custody=rng.choice(CustodyState.values + [""]),
                person=rng.choice([None, *case.people.all()]),
                quote=None,
            )
        )
    for event in rng.sample(events, 10):
        event.delete()
    cases[0].people.set(people[:1])

    for person in people:
        stored = [
            (s.state, s.valid_from, s.valid_until, s.event_id) for s in person.custody_spans.order_by("valid_from")
        ]
        fresh = [(s.state, s.valid_from, s.valid_until, s.event_id) for s in derive_custody_spans(person)]
        assert stored == fresh


def test_rebuilding_restores_spans_lost_outside_the_normal_paths():
    person = make_person()
    make_event(make_case(people=[person]), "2018-03", custody=CustodyState.IMPRISONED)
    before = spans_of(person)
    CustodySpan.objects.all().delete()

    assert rebuild_all_custody_spans() == 1
    assert spans_of(person) == before


def test_syncing_an_unknown_person_id_is_harmless():
    sync_custody_spans([999_999])
    assert CustodySpan.objects.count() == 0


def test_an_event_of_a_whole_case_concerns_each_co_accused_once():
    first, second = make_person("First Accused"), make_person("Second Accused")
    case = make_case("Two accused", people=[first, second])
    make_event(case, "2018-03", type=EventType.CHARGED)
    assert Event.objects.published().concerning(first).count() == 1
