"""Custody derivation: a person's custody spans, computed from their published events.

A state holds from the day its event was certainly over until the next change; a span knows
whether its event began the state or only put it on record. The spans are
stored (cases.models.CustodySpan) and kept in step by cases.signals in the transaction of every
write they depend on; `manage.py rebuild_custody_spans` recomputes them all.
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import reduce
from itertools import groupby
from operator import attrgetter, or_
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q, QuerySet

from .choices import (
    IN_CUSTODY_STATES,
    STATE_BEGINNING_TYPES,
    STATE_CHANGING_TYPES,
    CustodyState,
    DatePrecision,
    SentenceServed,
)
from .dates import FuzzyDate
from .figures_on_a_date import rebuild_figures_on_a_date
from .models import (
    Case,
    CustodyDayTally,
    CustodyMonthTally,
    CustodySpan,
    CustodyTally,
    Event,
    Person,
    PersonEventPeriod,
    Slice,
    SliceMonthTally,
)
from .models.people import COPIED_CUSTODY, CURRENT_CUSTODY, headcount_aggregates
from .statistics import (
    BEGUN,
    ENDED,
    UNCONFIRMED,
    day_changes,
    lock_tally,
    month_changes,
    month_end,
    month_index,
    month_start,
    rebuild_category_tally,
    rebuild_person_categories,
    rebuild_slice_category_tally,
    refresh_charge_people,
)


class Report(NamedTuple):
    """A published event that sets a custody state, with what the derivation reads of it."""

    date_end: date
    date_start: date
    pk: int
    state: str
    type: str
    date_precision: str
    sentence_months: int | None
    sentence_days: int | None
    sentence_served: str

    @property
    def date(self) -> FuzzyDate:
        return FuzzyDate(self.date_start, self.date_end, self.date_precision)

    @property
    def custody_began_by(self) -> FuzzyDate | None:
        """The latest the custody can have begun, from the part of the sentence served by this date."""
        if not self.sentence_served or not (self.sentence_months or self.sentence_days):
            return None
        fraction = SentenceServed(self.sentence_served).fraction
        return self.date.less_part_of_sentence(self.sentence_months, self.sentence_days, fraction)

    @property
    def reports_a_state_held(self) -> bool:
        """Whether it says a state held rather than changing it: a status report, a parole denial,
        or any event dated over a range (the state held through it)."""
        return self.type not in STATE_BEGINNING_TYPES | STATE_CHANGING_TYPES or (
            self.date_precision == DatePrecision.RANGE
        )

    @property
    def order(self) -> tuple:
        # Of events certainly over on the same day, what happened first comes first: a report that
        # a state held comes before the event that changed it.
        return (self.date_end, not self.reports_a_state_held, self.date_start, self.pk)


REPORT_FIELDS = ("date_end", "date_start", "pk", "custody", *Report._fields[4:])


def _custody_events_by_person(person_ids: set[int]) -> dict[int, list[Report]]:
    """Each person's published custody-setting events, in the order they happened.

    Index-friendly reads (a person's own events; their cases; those cases' events that name
    no one person) instead of one OR across joins, which databases answer by scanning events.
    """
    events = Event.objects.published().exclude(custody="")
    by_person: dict[int, list[Report]] = {pk: [] for pk in person_ids}
    for person_id, *event in events.filter(person_id__in=person_ids).values_list("person_id", *REPORT_FIELDS):
        by_person[person_id].append(Report(*event))
    people_of_case: dict[int, list[int]] = {}
    for case_id, person_id in Case.people.through.objects.filter(person_id__in=person_ids).values_list(
        "case_id", "person_id"
    ):
        people_of_case.setdefault(case_id, []).append(person_id)
    shared = events.filter(person__isnull=True, case_id__in=people_of_case).values_list("case_id", *REPORT_FIELDS)
    for case_id, *event in shared:
        for person_id in people_of_case[case_id]:
            by_person[person_id].append(Report(*event))
    for timeline in by_person.values():
        timeline.sort(key=attrgetter("order"))
    return by_person


def _changes_of_the_day(reports: list[Report], state: str | None) -> list[tuple[Report | None, list[Report]]]:
    """One day's reports grouped by change of state: each change (None first, for the reports that
    confirm the state the day began with) with the reports that confirm it."""
    changes: list[tuple[Report | None, list[Report]]] = [(None, [])]
    for report in reports:
        if report.state == state:
            changes[-1][1].append(report)
        else:
            changes.append((report, []))
            state = report.state
    return changes


def _spans_from(person_id: int, timeline: list[Report]) -> list[CustodySpan]:
    """A state holds from the day its event was certainly over (the end of its date interval)
    until the next change; events that confirm the same state extend one span, so it keeps
    the date it was first set.

    Several changes certainly over on the same day all keep a span: the last starts that day, the
    earlier ones (in the order things happened) as early as their own dates allow, so a state is
    never lost to the one that followed it.
    """
    spans: list[CustodySpan] = []
    reports_of_span: list[list[Report]] = []
    for day, reports in groupby(timeline, key=attrgetter("date_end")):
        (_, confirming), *changes = _changes_of_the_day(list(reports), spans[-1].state if spans else None)
        if spans:
            reports_of_span[-1].extend(confirming)
        for index, (report, more) in enumerate(changes):
            assert report is not None
            wanted = day if index == len(changes) - 1 else report.date_start
            valid_from = max(wanted, spans[-1].valid_from + timedelta(days=1)) if spans else wanted
            if spans:
                spans[-1].valid_until = valid_from
            began = report.type in STATE_BEGINNING_TYPES or (report.type in STATE_CHANGING_TYPES and bool(spans))
            spans.append(
                CustodySpan(
                    person_id=person_id,
                    state=report.state,
                    valid_from=valid_from,
                    event_id=report.pk,
                    since_end=report.date_end,
                    began=began,
                )
            )
            reports_of_span.append([report, *more])
    _add_sentences(spans, reports_of_span)
    _set_last_reports(spans, reports_of_span)
    return spans


def _set_last_reports(spans: list[CustodySpan], reports_of_span: list[list[Report]]) -> None:
    """Each span's last report: of the reports of its state within it, the latest in timeline
    order (by start), so a report dated only "2018" is not later than "September 2018"."""
    for span, reports in zip(spans, reports_of_span, strict=True):
        span.last_report_id = max(reports, key=attrgetter("date_start", "date_end", "pk")).pk


def _add_sentences(spans: list[CustodySpan], reports_of_span: list[list[Report]]) -> None:
    """Give each span in custody the latest sentence reported in that stretch of custody and, when
    the custody's beginning is known, the sentence's expected end counted from it: never from a
    first report, which only says the custody began earlier.

    When the beginning is not known but a report says how much of the sentence was served by its
    date, the custody began by then at the latest, and the sentence ends some time between that
    report and the same latest beginning plus the sentence: the range the uncertainty allows.
    """
    custody_began: FuzzyDate | None = None
    estimate: Report | None = None
    sentence: Report | None = None
    previous: CustodySpan | None = None
    for span, reports in zip(spans, reports_of_span, strict=True):
        if span.state not in IN_CUSTODY_STATES:
            custody_began, estimate, sentence = None, None, None
        elif previous is None or previous.state not in IN_CUSTODY_STATES:
            # Pre-trial detention counts towards the sentence, as the courts credit it.
            custody_began, estimate, sentence = (reports[0].date if span.began else None), None, None
        for report in reports:
            if report.sentence_months or report.sentence_days:
                sentence = report
            if custody_began is None and report.custody_began_by is not None:
                estimate = report
        if span.state in IN_CUSTODY_STATES and estimate is not None:
            span.began_by, span.began_by_event_id = estimate.custody_began_by, estimate.pk
        if sentence is not None and span.state in IN_CUSTODY_STATES:
            span.sentence_event_id = sentence.pk
            span.expected_end = _expected_end(custody_began, estimate, sentence)
        previous = span


def _expected_end(began: FuzzyDate | None, estimate: Report | None, sentence: Report) -> FuzzyDate | None:
    months, days = sentence.sentence_months or 0, sentence.sentence_days or 0
    if began is not None:
        return began.shifted(months, days)
    if estimate is None or (began_by := estimate.custody_began_by) is None:
        return None
    latest = began_by.shifted(months, days).end
    # Still serving at the report, so the sentence ends after it began, at the earliest.
    return FuzzyDate(min(estimate.date.start, latest), latest, DatePrecision.RANGE)


def derive_custody_spans(person: Person) -> list[CustodySpan]:
    """Recompute a person's custody spans from their published events, without saving."""
    return _spans_from(person.pk, _custody_events_by_person({person.pk})[person.pk])


@transaction.atomic
def sync_custody_spans(people: Iterable[Person | int], tally: bool = True, tally_keys: Iterable[tuple] = ()) -> None:
    """Replace the stored custody spans of `people` with a fresh derivation, copy each one's
    custody now onto the person, and recount the CustodyTally, CustodyMonthTally and CustodyDayTally
    rows they left or joined, and `tally_keys` (rows of spans already deleted, see `span_tally_keys`),
    unless `tally` is false: a caller that recounts them whole afterwards."""
    given = {p.pk if isinstance(p, Person) else p for p in people}
    # Unsaved people have no pk; people since deleted have no spans left to replace.
    rows = Person.objects.filter(pk__in=given - {None}).values_list("pk", *COPIED_CUSTODY)
    copied_before = {pk: tuple(copied) for pk, *copied in rows}
    # The CustodyTally row each person counted in: (state, report end).
    before = {pk: copied[:2] for pk, copied in copied_before.items()}
    ids = set(before)
    if not ids:
        return
    keys = set(tally_keys) | span_tally_keys(
        CustodySpan.objects.filter(person_id__in=ids).values_list("state", "valid_from", "valid_until"),
        before.values(),
    )
    CustodySpan.objects.filter(person_id__in=ids).delete()
    timelines = _custody_events_by_person(ids)
    spans = {pk: _spans_from(pk, timelines[pk]) for pk in sorted(ids)}
    CustodySpan.objects.bulk_create(span for pk in sorted(ids) for span in spans[pk])
    copied_now = {pk: copied_custody(spans[pk], timelines[pk]) for pk in ids}
    now = {pk: copied[:2] for pk, copied in copied_now.items()}
    changed = [
        Person(pk=pk, **dict(zip(COPIED_CUSTODY, copied, strict=True)))
        for pk, copied in copied_now.items()
        if copied != copied_before[pk]
    ]
    Person.objects.bulk_update(changed, COPIED_CUSTODY, batch_size=500)
    # The same writes change when their events may have happened; their periods copy what the person
    # is counted by, the custody now just copied included.
    PersonEventPeriod.objects.rewrite(ids)
    if tally:
        # Also the rows of people who stayed put: their publication or group size may be what changed.
        refresh_custody_tally(set(before.values()) | set(now.values()))
        new_spans = [(span.state, span.valid_from, span.valid_until) for pk in ids for span in spans[pk]]
        refresh_span_tallies(keys | span_tally_keys(new_spans, now.values()))


def copied_custody(spans: list[CustodySpan], timeline: list[Report]) -> tuple:
    """A person's COPIED_CUSTODY: the state of the span still open (the last one), the end of its
    latest report, the end of the event that set it, and its expected end of sentence."""
    if not spans:
        return CustodyState.UNKNOWN, None, None, None, None
    open_span = spans[-1]
    ends: dict[int | None, date] = {report.pk: report.date_end for report in timeline}
    return (
        open_span.state,
        ends.get(open_span.last_report_id),
        ends.get(open_span.event_id),
        open_span.expected_end_start,
        open_span.expected_end_end,
    )


def _tally_rows(people) -> list[CustodyTally]:
    rows = people.filter(is_published=True).values(*CURRENT_CUSTODY).annotate(**headcount_aggregates()).order_by()
    return [
        CustodyTally(
            state=row["current_custody"],
            reported_end=row["current_report_end"],
            individuals=row["individuals"],
            minimums=row["minimums"],
            unknown_groups=row["unknown_groups"],
        )
        for row in rows
    ]


def _keys_q(keys: Iterable[tuple[str, date | None]], state: str, reported_end: str) -> Q:
    def one(key_state: str, end: date | None) -> Q:
        return Q(**{state: key_state}) & (
            Q(**{f"{reported_end}__isnull": True}) if end is None else Q(**{reported_end: end})
        )

    return reduce(or_, (one(*key) for key in keys))


def _in_hundreds(keys: Iterable, key=None) -> Iterator[list]:
    """`keys` in order, a hundred at a time: a hundred keys a query keeps within SQLite's limit on the
    depth of an expression."""
    ordered = sorted(keys, key=key)
    for start in range(0, len(ordered), 100):
        yield ordered[start : start + 100]


@transaction.atomic
def refresh_custody_tally(keys: set[tuple[str, date | None]]) -> None:
    """Recount the CustodyTally rows of these (state, report end) keys from the people in them."""
    if not keys:
        return
    lock_tally(CustodyTally)
    for chunk in _in_hundreds(keys, key=lambda key: (key[0], key[1] or date.min)):
        CustodyTally.objects.filter(_keys_q(chunk, "state", "reported_end")).delete()
        CustodyTally.objects.bulk_create(_tally_rows(Person.objects.filter(_keys_q(chunk, *CURRENT_CUSTODY))))


def month_keys(spans: Iterable[tuple], now: Iterable[tuple[str, date | None]]) -> set[tuple[int, int]]:
    """The CustodyMonthTally rows that (state, valid_from, valid_until) spans and people's custody now
    (state, latest report's end) count in."""
    keys = set()
    for state, valid_from, valid_until in spans:
        if state in IN_CUSTODY_STATES:
            keys.add((BEGUN, month_index(valid_from)))
            if valid_until is not None:
                keys.add((ENDED, month_index(valid_until)))
    for state, reported_end in now:
        if state in IN_CUSTODY_STATES and reported_end is not None:
            keys.add((UNCONFIRMED, month_index(reported_end) + 1))
    return keys


class DayKey(NamedTuple):
    """A CustodyDayTally row."""

    state: str
    kind: int
    day: date


def day_keys(spans: Iterable[tuple]) -> set[DayKey]:
    """The CustodyDayTally rows that (state, valid_from, valid_until) spans count in."""
    keys = set()
    for state, valid_from, valid_until in spans:
        keys.add(DayKey(state, CustodyDayTally.Kind.BEGUN, valid_from))
        if valid_until is not None:
            keys.add(DayKey(state, CustodyDayTally.Kind.ENDED, valid_until))
    return keys


def span_tally_keys(spans: Iterable[tuple], now: Iterable[tuple[str, date | None]]) -> set[tuple]:
    """The CustodyMonthTally and CustodyDayTally rows (`month_keys`, `day_keys`) that (state,
    valid_from, valid_until) spans and people's custody now count in."""
    spans = list(spans)
    return month_keys(spans, now) | day_keys(spans)


def tally_keys_of_spans(person_ids: Iterable[int]) -> set[tuple]:
    """The CustodyMonthTally and CustodyDayTally rows the stored spans and custody now of these people count in."""
    ids = list(person_ids)
    spans = CustodySpan.objects.filter(person_id__in=ids).values_list("state", "valid_from", "valid_until")
    return span_tally_keys(spans, Person.objects.filter(pk__in=ids).values_list(*CURRENT_CUSTODY))


def refresh_span_tallies(keys: set[tuple]) -> None:
    """Recount these rows of CustodyDayTally (the DayKeys) and of CustodyMonthTally (the others)."""
    days = {key for key in keys if isinstance(key, DayKey)}
    refresh_day_tally(days)
    refresh_month_tally(keys - days)


def _day_tally_rows(counted: QuerySet) -> list[CustodyDayTally]:
    return [
        CustodyDayTally(
            state=row["state"],
            kind=row["kind"],
            day=row["day"],
            individuals=row["individuals"] or 0,
            minimums=row["minimums"] or 0,
            unknown_groups=row["unknown_groups"] or 0,
        )
        for row in counted
    ]


def _spans_on_days(keys: list[DayKey], kind: int, field: str) -> Q:
    """The spans that the `kind` rows among `keys` count: in their state, begun or ended on their day."""
    return reduce(or_, (Q(state=key.state, **{field: key.day}) for key in keys if key.kind == kind), Q())


@transaction.atomic
def refresh_day_tally(keys: set[DayKey]) -> None:
    """Recount these rows of CustodyDayTally from the spans of the published people."""
    if not keys:
        return
    lock_tally(CustodyDayTally)
    published = CustodySpan.objects.filter(person__is_published=True)
    for chunk in _in_hundreds(keys):
        counted = day_changes(
            published,
            begun=_spans_on_days(chunk, CustodyDayTally.Kind.BEGUN, "valid_from"),
            ended=_spans_on_days(chunk, CustodyDayTally.Kind.ENDED, "valid_until"),
        )
        CustodyDayTally.objects.filter(reduce(or_, (Q(**key._asdict()) for key in chunk))).delete()
        CustodyDayTally.objects.bulk_create(_day_tally_rows(counted))


def _within_months(field: str, months: list[int]) -> Q:
    return reduce(or_, (Q(**{f"{field}__range": (month_start(m), month_end(m))}) for m in months), Q())


def _slice_month_rows(counted: QuerySet) -> list[SliceMonthTally]:
    """SliceMonthTally's rows from month changes summed by country and role together (`month_changes`
    by both): each person has one of each, so a value's weights are the sums over the other's."""
    summed: dict[tuple, list[int]] = {}
    for row in counted:
        for field in Slice.values:
            sums = summed.setdefault((field, row[f"by_{field}"], row["kind"], int(row["month"])), [0, 0, 0])
            for position, weight in enumerate(("individuals", "minimums", "unknown_groups")):
                sums[position] += row[weight] or 0
    return [
        SliceMonthTally(
            slice=field, value=value, kind=kind, month=month, individuals=individuals, minimums=minimums,
            unknown_groups=unknown_groups,
        )
        for (field, value, kind, month), (individuals, minimums, unknown_groups) in summed.items()
    ]  # fmt: skip


@transaction.atomic
def rebuild_slice_month_tally() -> None:
    """Recount every SliceMonthTally row from the spans of the published people."""
    lock_tally(CustodyMonthTally)
    SliceMonthTally.objects.all().delete()
    published = CustodySpan.objects.filter(person__is_published=True)
    SliceMonthTally.objects.bulk_create(_slice_month_rows(month_changes(published, by=Slice.values)), batch_size=5000)


def _month_tally_rows(counted: QuerySet) -> list[CustodyMonthTally]:
    return [
        CustodyMonthTally(
            kind=row["kind"],
            month=int(row["month"]),
            individuals=row["individuals"] or 0,
            minimums=row["minimums"] or 0,
            unknown_groups=row["unknown_groups"] or 0,
        )
        for row in counted
    ]


@transaction.atomic
def refresh_month_tally(keys: set[tuple[int, int]]) -> None:
    """Recount these (kind, month) rows of CustodyMonthTally, and of SliceMonthTally for every country
    and role, from the spans of the published people."""
    if not keys:
        return
    lock_tally(CustodyMonthTally)
    published = CustodySpan.objects.filter(person__is_published=True)
    for chunk in _in_hundreds(keys):
        begun, ended, unconfirmed = (
            [month for kind, month in chunk if kind == wanted] for wanted in CustodyMonthTally.Kind.values
        )
        # An open span's latest report is its person's copied one, which an index finds.
        within = (
            _within_months("valid_from", begun),
            _within_months("valid_until", ended),
            _within_months("person__current_report_end", [month - 1 for month in unconfirmed]),
        )
        rows = reduce(or_, (Q(kind=kind, month=month) for kind, month in chunk))
        CustodyMonthTally.objects.filter(rows).delete()
        CustodyMonthTally.objects.bulk_create(_month_tally_rows(month_changes(published, *within)))
        # Under the same lock: the months of each country and role, recounted for every value at once.
        SliceMonthTally.objects.filter(rows).delete()
        SliceMonthTally.objects.bulk_create(_slice_month_rows(month_changes(published, *within, by=Slice.values)))


@transaction.atomic
def rebuild_custody_tally() -> None:
    """Recount every CustodyTally, CustodyMonthTally and CustodyDayTally row from the people and their spans."""
    lock_tally(CustodyTally)
    CustodyTally.objects.all().delete()
    CustodyTally.objects.bulk_create(_tally_rows(Person.objects.all()))
    lock_tally(CustodyMonthTally)
    CustodyMonthTally.objects.all().delete()
    CustodyMonthTally.objects.bulk_create(
        _month_tally_rows(month_changes(CustodySpan.objects.filter(person__is_published=True)))
    )
    lock_tally(CustodyDayTally)
    CustodyDayTally.objects.all().delete()
    CustodyDayTally.objects.bulk_create(
        _day_tally_rows(day_changes(CustodySpan.objects.filter(person__is_published=True))), batch_size=5000
    )
    rebuild_slice_month_tally()
    rebuild_category_tally()
    rebuild_slice_category_tally()
    refresh_charge_people()
    rebuild_person_categories()
    # Last, as every write path takes the tallies' locks in one order: the shares read the people's categories.
    rebuild_figures_on_a_date()


def rebuild_all_custody_spans(batch_size: int = 1000) -> int:
    """Rebuild every person's spans, a batch of people per transaction, and recount CustodyTally;
    returns how many people."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        sync_custody_spans(ids[start : start + batch_size], tally=False)
    rebuild_custody_tally()
    return len(ids)
