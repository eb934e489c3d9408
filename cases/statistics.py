"""Figures for the statistics page, computed from the custody spans and the cases of a set of people.

`people` is always a queryset of published people, usually the people list's filtered queryset,
so the figures follow the same filters as the list.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q, QuerySet

from . import dates
from .choices import IN_CUSTODY_STATES, Identity
from .dates import last_day_of_month
from .models import Charge, CustodySpan, Event, Headcount, Person, Theme


@dataclass(frozen=True)
class MonthCount:
    month_end: date
    count: int  # individuals: a group counts as its size
    unknown_groups: int = 0  # groups of unknown size, counted apart
    at_least: bool = False  # some group's size is a minimum
    # Of `count`, those whose custody is only carried forward from a report before this month:
    # their custody span is still open and nothing has been reported of them since.
    carried_forward: int = 0

    @property
    def headcount(self) -> Headcount:
        return Headcount(self.count, self.at_least, self.unknown_groups)

    @property
    def reported(self) -> int:
        return self.count - self.carried_forward


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_end(index: int) -> date:
    return last_day_of_month(index // 12, index % 12 + 1)


def custody_by_month(people: QuerySet, since: date | None = None, until: date | None = None) -> list[MonthCount]:
    """How many of `people` were in custody at the end of each month.

    From the month the first of them entered custody (or `since`, if later) to the month of
    the latest published event, what the records can speak for (or `until`); never past the
    current month. One query for the spans, then a sweep: a span counts at a month's end D
    when it had begun by D and had not yet ended (valid_until is exclusive). A span still open
    is carried forward, unconfirmed, at each month's end after the month of its last report.
    """
    spans = CustodySpan.objects.filter(
        person__in=people.order_by().values("pk"), state__in=IN_CUSTODY_STATES
    ).values_list(
        "valid_from",
        "valid_until",
        "last_report__date_end",
        "person__identity",
        "person__group_size",
        "person__group_size_is_minimum",
    )
    # Per month, the change in (individuals, groups whose size is a minimum, groups of unknown size),
    # and in the individuals whose custody is only carried forward from an earlier report.
    changes: dict[int, tuple[int, int, int]] = {}
    carried_changes: dict[int, int] = {}
    first = None
    for valid_from, valid_until, reported, identity, group_size, minimum in spans:
        start = _month_index(valid_from)
        end = _month_index(valid_until) if valid_until else None
        if end is not None and end <= start:
            continue  # begun and ended within one month: never in custody at a month's end
        if identity != Identity.GROUP:
            weight = (1, 0, 0)
        elif group_size is None:
            weight = (0, 0, 1)
        else:
            weight = (group_size, int(minimum), 0)
        changes[start] = _plus(changes.get(start), weight)
        if end is not None:
            changes[end] = _plus(changes.get(end), tuple(-part for part in weight))
        else:
            carried_from = _month_index(reported or valid_from) + 1
            carried_changes[carried_from] = carried_changes.get(carried_from, 0) + weight[0]
        first = start if first is None else min(first, start)
    if first is None:
        return []
    if until is None:
        until = Event.objects.published().aggregate(last=Max("date_end"))["last"] or dates.today()
    last = _month_index(min(until, dates.today()))
    # Months before anyone's custody would all be zero: they are left out, however early `since` is.
    start = max(first, _month_index(since)) if since else first
    counts, running, carried = [], (0, 0, 0), 0
    for index in range(first, last + 1):
        running = _plus(running, changes.get(index))
        carried += carried_changes.get(index, 0)
        if index >= start:
            individuals, minimums, unknown_groups = running
            counts.append(MonthCount(_month_end(index), individuals, unknown_groups, minimums > 0, carried))
    return counts


def _plus(counts: tuple[int, ...] | None, change: tuple[int, ...] | None) -> tuple[int, int, int]:
    a, b = counts or (0, 0, 0), change or (0, 0, 0)
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


@dataclass(frozen=True)
class CategoryCount:
    name: str
    slug: str
    url: str
    people: int  # individuals: a group counts as its size
    cases: int
    unknown_groups: int = 0  # groups of unknown size, counted apart
    at_least: bool = False  # some group's size is a minimum

    @property
    def headcount(self) -> Headcount:
        return Headcount(self.people, self.at_least, self.unknown_groups)


def _counts_by(model, people: QuerySet) -> list[CategoryCount]:
    """For each charge or theme: how many individuals of `people` have a published case under it, and how many cases."""
    pks = people.order_by().values("pk")
    theirs = Q(cases__is_published=True, cases__people__in=pks)
    rows = model.objects.annotate(case_count=Count("cases", filter=theirs, distinct=True)).filter(case_count__gt=0)
    # Each person once per category, however many of their cases fall under it.
    lookup = f"cases__{model._meta.model_name}s"
    members = (
        Person.objects.filter(pk__in=pks, cases__is_published=True, **{f"{lookup}__isnull": False})
        .values(lookup, "pk", "identity", "group_size", "group_size_is_minimum")
        .distinct()
    )
    headcounts: dict[int, Headcount] = {}
    for member in members:
        one = Person(**{f: member[f] for f in ("identity", "group_size", "group_size_is_minimum")}).headcount
        headcounts[member[lookup]] = headcounts.get(member[lookup], Headcount()) + one
    counts = [
        CategoryCount(
            row.name, row.slug, row.get_absolute_url(), count.individuals, row.case_count, count.unknown_groups,
            count.at_least,
        )
        for row in rows
        if (count := headcounts.get(row.pk, Headcount()))
    ]  # fmt: skip
    return sorted(counts, key=lambda row: (-row.people, -row.unknown_groups, row.name))


def counts_by_charge(people: QuerySet) -> list[CategoryCount]:
    return _counts_by(Charge, people)


def counts_by_theme(people: QuerySet) -> list[CategoryCount]:
    return _counts_by(Theme, people)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    month: MonthCount
    # The top part of the bar: the people whose custody is only carried forward (see MonthCount).
    carried_height: float = 0

    @property
    def reported_y(self) -> float:
        return round(self.y + self.carried_height, 2)

    @property
    def reported_height(self) -> float:
        return round(self.height - self.carried_height, 2)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    """The geometry of an SVG bar chart, in viewBox units; the template only draws it."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    maximum: int

    @property
    def x_label_y(self) -> float:
        return self.bottom + 18

    @property
    def y_label_x(self) -> int:
        return self.left - 6


def _step(maximum: int) -> int:
    """A round gridline step giving at most five lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if maximum / step <= 5:
            return step
    return 10 ** len(str(maximum))


# Half the width of a year ("2019") in 12px text, in viewBox units.
YEAR_HALF_WIDTH = 16


def bar_chart(months: Sequence[MonthCount], width: int = 720, height: int = 260) -> BarChart | None:
    if not months:
        return None
    left, right, top, bottom = 40, width - 8, 10, height - 26
    plot_width, plot_height = right - left, bottom - top
    maximum = max(month.count for month in months) or 1
    step = _step(maximum)
    ceiling = -(-maximum // step) * step
    slot = plot_width / len(months)
    gap = min(2.0, slot * 0.2)
    bars = []
    for index, month in enumerate(months):
        bar_height = plot_height * month.count / ceiling
        x = left + index * slot + gap / 2
        carried_height = round(plot_height * month.carried_forward / ceiling, 2)
        bars.append(
            Bar(
                round(x, 2),
                round(bottom - bar_height, 2),
                round(slot - gap, 2),
                round(bar_height, 2),
                month,
                carried_height,
            )
        )
    y_ticks = [
        Tick(round(bottom - plot_height * value / ceiling, 2), str(value)) for value in range(0, ceiling + 1, step)
    ]
    # The year under each January (and under the first month when there is room), never colliding.
    x_ticks: list[Tick] = []
    for index, month in enumerate(months):
        position = round(left + index * slot + slot / 2, 2)
        if month.month_end.month == 1 and (not x_ticks or position - x_ticks[-1].position >= 40):
            # A year under the last bars is pulled in, not cut off at the edge.
            x_ticks.append(Tick(min(position, width - YEAR_HALF_WIDTH), str(month.month_end.year)))
    first_position = round(left + slot / 2, 2)
    if months[0].month_end.month != 1 and (not x_ticks or x_ticks[0].position - first_position >= 40):
        x_ticks.insert(0, Tick(first_position, str(months[0].month_end.year)))
    return BarChart(width, height, left, right, top, bottom, bars, y_ticks, x_ticks, maximum)
