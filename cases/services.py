"""Writes that touch several models, each in one transaction."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .models import Citation, CustodySpan, Event, Person


def derive_custody_spans(person: Person) -> list[CustodySpan]:
    """Recompute a person's custody spans from their published events, without saving.

    A state holds from the day its event was certainly over (the end of the event's
    date interval) until the next change; consecutive events that confirm the same state
    extend one span, so it keeps the date it was first set.
    """
    events = (
        Event.objects.published()
        .concerning(person)
        .exclude(custody="")
        .order_by("date_end", "date_start", "pk")
        .distinct()
        .values_list("pk", "custody", "date_end")
    )
    # Several events may end on the same day: the last in order wins that day.
    last_per_day: dict[date, tuple[int, str]] = {}
    for pk, state, day in events:
        last_per_day[day] = (pk, state)
    spans: list[CustodySpan] = []
    for day, (pk, state) in last_per_day.items():
        if spans and spans[-1].state == state:
            continue
        if spans:
            spans[-1].valid_until = day
        spans.append(CustodySpan(person=person, state=state, valid_from=day, event_id=pk))
    return spans


@transaction.atomic
def sync_custody_spans(people: Iterable[Person | int]) -> None:
    """Replace the stored custody spans of `people` with a fresh derivation."""
    ids = {p.pk if isinstance(p, Person) else p for p in people}
    ids.discard(None)
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        CustodySpan.objects.filter(person=person).delete()
        CustodySpan.objects.bulk_create(derive_custody_spans(person))


def rebuild_all_custody_spans() -> int:
    """Rebuild every person's spans; returns how many people were processed."""
    ids = list(Person.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        sync_custody_spans(ids[start : start + 500])
    return len(ids)


def people_affected_by(event: Event) -> set[int]:
    if event.person_id:
        return {event.person_id}
    if event.case_id:
        return set(event.case.people.values_list("pk", flat=True))
    return set()


@transaction.atomic
def record_event(*, citations: Iterable[tuple], **fields) -> Event:
    """Create an event with its citations ((source, quote) pairs) and update custody spans."""
    event = Event(**fields)
    event.full_clean()
    event.save()
    Citation.objects.bulk_create(Citation(event=event, source=source, quote=quote) for source, quote in citations)
    sync_custody_spans(people_affected_by(event))
    return event
