"""Custody derivation: a person's custody spans, computed from their published events.

A state holds from the day its event was certainly over until the next change. The spans are
stored (cases.models.CustodySpan) and kept in step by cases.signals in the transaction of every
write they depend on; `manage.py rebuild_custody_spans` recomputes them all.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .models import Case, CustodySpan, Event, Person


def _custody_events_by_person(person_ids: set[int]) -> dict[int, list[tuple]]:
    """Each person's published custody-setting events as (date_end, date_start, pk, state), in order.

    Index-friendly reads (a person's own events; their cases; those cases' events that name
    no one person) instead of one OR across joins, which databases answer by scanning events.
    """
    events = Event.objects.published().exclude(custody="")
    fields = ("date_end", "date_start", "pk", "custody")
    by_person: dict[int, list[tuple]] = {pk: [] for pk in person_ids}
    for person_id, *event in events.filter(person_id__in=person_ids).values_list("person_id", *fields):
        by_person[person_id].append(tuple(event))
    people_of_case: dict[int, list[int]] = {}
    for case_id, person_id in Case.people.through.objects.filter(person_id__in=person_ids).values_list(
        "case_id", "person_id"
    ):
        people_of_case.setdefault(case_id, []).append(person_id)
    shared = events.filter(person__isnull=True, case_id__in=people_of_case).values_list("case_id", *fields)
    for case_id, *event in shared:
        for person_id in people_of_case[case_id]:
            by_person[person_id].append(tuple(event))
    for timeline in by_person.values():
        timeline.sort()
    return by_person


def _spans_from(person_id: int, timeline: list[tuple]) -> list[CustodySpan]:
    """A state holds from the day its event was certainly over (the end of its date interval)
    until the next change; events that confirm the same state extend one span, so it keeps
    the date it was first set. Of several events ending on the same day, the last wins."""
    last_per_day: dict[date, tuple[int, str]] = {}
    for day, _start, pk, state in timeline:
        last_per_day[day] = (pk, state)
    spans: list[CustodySpan] = []
    for day, (pk, state) in last_per_day.items():
        if spans and spans[-1].state == state:
            continue
        if spans:
            spans[-1].valid_until = day
        spans.append(CustodySpan(person_id=person_id, state=state, valid_from=day, event_id=pk))
    _set_last_reports(spans, timeline)
    return spans


def _set_last_reports(spans: list[CustodySpan], timeline: list[tuple]) -> None:
    """Each span's last report: of the events of its state that ended within it, the latest in
    timeline order (by start), so a report dated only "2018" is not later than "September 2018"."""
    for span in spans:
        reports = [
            (start, day, pk)
            for day, start, pk, state in timeline
            if state == span.state and span.valid_from <= day and (span.valid_until is None or day < span.valid_until)
        ]
        span.last_report_id = max(reports)[2] if reports else span.event_id


def derive_custody_spans(person: Person) -> list[CustodySpan]:
    """Recompute a person's custody spans from their published events, without saving."""
    return _spans_from(person.pk, _custody_events_by_person({person.pk})[person.pk])


@transaction.atomic
def sync_custody_spans(people: Iterable[Person | int]) -> None:
    """Replace the stored custody spans of `people` with a fresh derivation."""
    given = {p.pk if isinstance(p, Person) else p for p in people}
    # Unsaved people have no pk; people since deleted have no spans left to replace.
    ids = set(Person.objects.filter(pk__in=given - {None}).values_list("pk", flat=True))
    if not ids:
        return
    CustodySpan.objects.filter(person_id__in=ids).delete()
    timelines = _custody_events_by_person(ids)
    CustodySpan.objects.bulk_create(span for pk in sorted(ids) for span in _spans_from(pk, timelines[pk]))


def rebuild_all_custody_spans(batch_size: int = 1000) -> int:
    """Rebuild every person's spans, a batch of people per transaction; returns how many people."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        sync_custody_spans(ids[start : start + batch_size])
    return len(ids)
