"""Figures for the statistics page, computed from the custody spans and the cases of a set of people.

`people` is always a queryset of published people, usually the people list's filtered queryset,
so the figures follow the same filters as the list.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from . import dates
from .choices import IN_CUSTODY_STATES, Identity
from .dates import last_day_of_month
from .models import Case as CaseRecord
from .models import (
    CategoryTally,
    Charge,
    ChargePeople,
    CustodyDayTally,
    CustodyMonthTally,
    CustodySpan,
    Event,
    Headcount,
    Person,
    PersonCategory,
    SharedCaseLink,
    Slice,
    SliceCategoryTally,
    SliceMonthTally,
    Theme,
)
from .models.base import insert_selected
from .models.cases import FIRST_PEOPLE_STORED
from .models.custody import CategoryKind
from .models.figures import Part


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


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    return last_day_of_month(index // 12, index % 12 + 1)


def _month_of(field: str | Coalesce) -> CombinedExpression:
    """The month index (year * 12 + month - 1) of a date, in SQL."""
    return ExtractYear(field) * 12 + ExtractMonth(field) - 1


def _weights(person: str = "person__") -> dict[str, Case]:
    """What a person adds to a figure (as `Person.headcount`): one individual, or a group's size; a
    group whose size is a minimum; a group of unknown size (counted apart, adding no individual)."""
    group = Q(**{f"{person}identity": Identity.GROUP})
    sized = group & Q(**{f"{person}group_size__isnull": False})
    minimum = sized & Q(**{f"{person}group_size_is_minimum": True})
    return {
        "individuals": Case(When(group, then=Coalesce(f"{person}group_size", 0)), default=Value(1)),
        "minimums": Case(When(minimum, then=Value(1)), default=Value(0)),
        "unknown_groups": Case(When(group & ~sized, then=Value(1)), default=Value(0)),
    }


# What a row of `month_changes` sums: spans begun in a month, ended in it, or open and unconfirmed
# from it on (CustodyMonthTally keeps the same rows for all the published people).
BEGUN, ENDED, UNCONFIRMED = CustodyMonthTally.Kind.values


def month_changes(
    spans: QuerySet,
    begun: Q | None = None,
    ended: Q | None = None,
    unconfirmed: Q | None = None,
    by: Sequence[str] = (),
):
    """The weights of `spans` in custody summed by (kind, month): one query of up to three grouped
    parts, a few hundred rows whatever the number of people. `begun`, `ended` and `unconfirmed`
    narrow a part; None leaves it whole, and an empty Q() leaves it out. `by` sums them apart for
    each combination of values of these fields of the person (as `by_<field>`)."""
    spans = (
        spans.filter(state__in=IN_CUSTODY_STATES)
        .annotate(start=_month_of("valid_from"), end=_month_of("valid_until"))
        # Begun and ended within one month: never in custody at a month's end.
        .filter(Q(valid_until__isnull=True) | Q(end__gt=F("start")))
        .order_by()
    )
    weights = {name: Sum(weight) for name, weight in _weights().items()}
    parts = [
        (BEGUN, spans, F("start"), begun),
        (ENDED, spans.filter(valid_until__isnull=False), F("end"), ended),
        (UNCONFIRMED, spans.filter(valid_until__isnull=True),
         _month_of(Coalesce("last_report__date_end", "valid_from")) + 1, unconfirmed),
    ]  # fmt: skip
    sliced = {f"by_{field}": F(f"person__{field}") for field in by}
    queries = [
        part.filter(among or Q())
        .annotate(kind=Value(kind), month=month, **sliced)
        .values("kind", "month", *sliced)
        .annotate(**weights)
        for kind, part, month, among in parts
        if among is None or among
    ]
    return queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]


def day_changes(spans: QuerySet, begun: Q | None = None, ended: Q | None = None):
    """The weights of `spans` summed by (state, kind, day): the spans that began on a day and those
    that ended on it (CustodyDayTally's rows). `begun` and `ended` narrow a part; None leaves it
    whole, and an empty Q() leaves it out."""
    weights = {name: Sum(weight) for name, weight in _weights().items()}
    spans = spans.order_by()
    parts = [
        (CustodyDayTally.Kind.BEGUN, spans, F("valid_from"), begun),
        (CustodyDayTally.Kind.ENDED, spans.filter(valid_until__isnull=False), F("valid_until"), ended),
    ]
    queries = [
        part.filter(among or Q()).annotate(kind=Value(kind), day=day).values("state", "kind", "day").annotate(**weights)
        for kind, part, day, among in parts
        if among is None or among
    ]
    return queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]


def _every_published(people: QuerySet) -> bool:
    return getattr(people, "_every_published", lambda: False)()


# The month index (year * 12 + month - 1) of a date column in each database's SQL: integers, which
# cost less than EXTRACT's numerics over a hundred thousand spans.
MONTH_SQL = {
    "postgresql": "(CAST(date_part('year', {0}) AS integer) * 12 + CAST(date_part('month', {0}) AS integer) - 1)",
    "sqlite": "(CAST(strftime('%%Y', {0}) AS integer) * 12 + CAST(strftime('%%m', {0}) AS integer) - 1)",
}


CATEGORIES = [(Charge, Part.CHARGE_CASES, Part.CHARGE_PEOPLE), (Theme, Part.THEME_CASES, Part.THEME_PEOPLE)]


def _headcount(individuals: int | None, minimums: int | None, unknown_groups: int | None) -> Headcount:
    return Headcount(int(individuals or 0), bool(minimums), int(unknown_groups or 0))


@dataclass(frozen=True)
class Sums:
    """The figures of a filtered set of people, as `summed_for` reads them."""

    headcount: Headcount
    month_rows: list[dict]  # as `month_changes` gives them
    # For each charge and each theme (by pk) with a published case naming one of the people: how many
    # such cases, and the individuals of those people under it.
    by_category: dict[type, dict[int, tuple[int, Headcount]]]


def chosen_people(people: QuerySet) -> tuple[str, list[Any]]:
    """The SQL of `people` as the statistics sum them: each person's id (`person`), weights (as
    `_weights`, and `flagged`: any size given as a minimum, as the headcount counts it) and the end of
    their custody's latest report (`reported`)."""
    weights = _weights(person="")
    chosen = (
        people.order_by()
        .annotate(
            person=F("pk"),
            w_individuals=weights["individuals"],
            w_minimums=weights["minimums"],
            w_unknown=weights["unknown_groups"],
            # The headcount's minimum, as `headcount_aggregates`: any person whose size is a minimum.
            w_flagged=Case(When(group_size_is_minimum=True, then=Value(1)), default=Value(0)),
        )
        .values("person", "w_individuals", "w_minimums", "w_unknown", "w_flagged", "current_report_end")
    )
    sql, params = chosen.query.sql_with_params()
    return (
        "SELECT person, w_individuals AS individuals, w_minimums AS minimums, w_unknown AS unknown_groups,"
        f" w_flagged AS flagged, current_report_end AS reported FROM ({sql}) people"
    ), list(params)


def people_parts(vendor: str, months: bool = True, categories: bool = True, by_person: bool = False):
    """The parts of the statistics that the people in a CTE `chosen` (as `chosen_people`) add up: the
    CTEs they read, the parts (each `part, key, cases, individuals, minimums, unknown_groups`, after
    the person when `by_person`) and their parameters. Summed over everyone, or for each person."""
    month = MONTH_SQL[vendor].format
    who = "person, " if by_person else ""

    def grouped(*keys: str) -> str:
        columns = [*(["person"] if by_person else []), *keys]
        return f" GROUP BY {', '.join(columns)}" if columns else ""

    sums = "SUM(individuals), SUM(minimums), SUM(unknown_groups)"
    ctes: list[str] = []
    params: list[Any] = []
    parts = [f"SELECT {who}{Part.EVERYONE:d}, 0, COUNT(*), SUM(individuals), SUM(flagged), SUM(unknown_groups)"
             f" FROM chosen{grouped()}"]  # fmt: skip
    if months:
        span = CustodySpan._meta.db_table
        ctes.append(
            f"spans AS (SELECT chosen.person, {month('s.valid_from')} AS start, {month('s.valid_until')} AS until,"
            f" CASE WHEN s.valid_until IS NULL THEN {month('COALESCE(chosen.reported, s.valid_from)')} + 1 END"
            " AS unconfirmed, individuals, minimums, unknown_groups"
            f" FROM {span} s JOIN chosen ON chosen.person = s.person_id"
            f" WHERE s.state IN ({', '.join(['%s'] * len(IN_CUSTODY_STATES))}))"
        )
        params += list(IN_CUSTODY_STATES)
        # Begun and ended within one month: never in custody at a month's end.
        parts += [
            f"SELECT {who}{Part.BEGUN:d}, start, 0, {sums} FROM spans WHERE until IS NULL OR until > start"
            + grouped("start"),
            f"SELECT {who}{Part.ENDED:d}, until, 0, {sums} FROM spans WHERE until > start" + grouped("until"),
            f"SELECT {who}{Part.UNCONFIRMED:d}, unconfirmed, 0, {sums} FROM spans WHERE unconfirmed IS NOT NULL"
            + grouped("unconfirmed"),
        ]
    if categories:
        # Each person once under each of their charges and themes, with their cases naming no one
        # else, from their rows of PersonCategory: no pairs to make distinct.
        params += [CategoryKind.CHARGE.value]
        parts.append(
            f"SELECT {who}CASE p.kind WHEN %s THEN {Part.CHARGE_PEOPLE:d} ELSE {Part.THEME_PEOPLE:d} END,"
            f" p.category_id, SUM(p.solo_cases), {sums} FROM {PersonCategory._meta.db_table} p"
            " JOIN chosen ON chosen.person = p.person_id" + grouped("p.kind", "p.category_id")
        )
    return ctes, parts, params


def shared_case_parts(cases_cte: str, by_case: bool = False) -> list[str]:
    """The parts (as `people_parts`) of the cases naming several people in a CTE `cases_cte`
    (`case_id`): under each of their charges and themes, how many of them; for each case when
    `by_case` (after the case)."""
    who = f"{cases_cte}.case_id, " if by_case else ""
    parts = []
    for model, cases_part, _ in CATEGORIES:
        through = getattr(CaseRecord, f"{model._meta.model_name}s").through
        table, column = through._meta.db_table, through._meta.get_field(model._meta.model_name).column
        parts.append(
            f"SELECT {who}{cases_part:d}, t.{column}, COUNT(*), 0, 0, 0 FROM {cases_cte} JOIN {table} t"
            f" ON t.case_id = {cases_cte}.case_id GROUP BY {who}t.{column}"
        )
    return parts


def summed_for(people: QuerySet, months: bool = True, categories: bool = True) -> Sums:
    """The statistics of `people` in one query, whatever their number: the filter runs once and the
    database sums their spans by month (as `month_changes`), their cases and themselves by charge and
    theme (from each person's rows of PersonCategory and the links of the cases naming several
    people) and their headcount (as `PersonQuerySet.headcount`), each from one pass over the rows it
    reads, joined on the people by hashing rather than person by person.

    An open span's report is read from the person's copy of their custody now (COPIED_CUSTODY),
    not from its event among the million: the open span is that custody."""
    chosen_sql, params = chosen_people(people)
    connection = connections[people.db]
    ctes, parts, part_params = people_parts(connection.vendor, months, categories)
    ctes = [f"chosen AS ({chosen_sql})", *ctes]
    if categories:
        # The cases naming several people, each once however many of its people are chosen: found
        # once for both the charges and the themes.
        ctes.append(
            f"shared AS (SELECT DISTINCT s.case_id FROM {SharedCaseLink._meta.db_table} s"
            " JOIN chosen ON chosen.person = s.person_id)"
        )
        parts += shared_case_parts("shared")
    sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(parts)
    with transaction.atomic(using=people.db, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its cost estimate, over a hundred thousand rows, makes PostgreSQL compile the statement
            # (JIT) first, which took a third of its time and saved nothing; for this statement only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [*params, *part_params])
        return sums_from(cursor.fetchall())


def sums_from(rows: Iterable[tuple]) -> Sums:
    """Sums from rows of (part, key, cases, individuals, minimums, unknown_groups)."""
    found: dict[int, dict[int, tuple]] = {part: {} for part in Part}
    for part, key, cases, *weights in rows:
        found[part][key] = (cases, *weights)
    month_rows = [
        {"kind": part, "month": month, "individuals": individuals, "minimums": minimums, "unknown_groups": unknown}
        for part in (Part.BEGUN, Part.ENDED, Part.UNCONFIRMED)
        for month, (_, individuals, minimums, unknown) in found[part].items()
    ]
    by_category = {
        model: {
            pk: (solo + found[cases_part].get(pk, (0,))[0], _headcount(*weights))
            for pk, (solo, *weights) in found[people_part].items()
        }
        for model, cases_part, people_part in CATEGORIES
    }
    headcount = _headcount(*found[Part.EVERYONE].get(0, (0, 0, 0, 0))[1:])
    return Sums(headcount, month_rows, by_category)


def custody_by_month(people: QuerySet, since: date | None = None, until: date | None = None) -> list[MonthCount]:
    """How many of `people` were in custody at the end of each month.

    From the month the first of them entered custody (or `since`, if later) to the month of
    the latest published event, what the records can speak for (or `until`); never past the
    current month. A span counts at a month's end D when it had begun by D and had not yet ended
    (valid_until is exclusive). A span still open is carried forward, unconfirmed, at each month's
    end after the month of its last report.

    The database sums the spans' weights by month (`summed_for`), or for all the published people
    and for those of one country or one role keeps them summed (CustodyMonthTally, SliceMonthTally);
    the sweep adds them up.
    """
    rows = _tallied_months(people)
    if rows is None:
        rows = summed_for(people, categories=False).month_rows
    return _swept(rows, since, until)


def _tallied_slice(people: QuerySet) -> tuple[str, str] | None:
    return getattr(people, "tallied_slice", lambda: None)()


def _tallied_months(people: QuerySet) -> QuerySet | None:
    """The month rows kept for these people (as `month_changes` gives them), or None if none are."""
    columns = ("kind", "month", "individuals", "minimums", "unknown_groups")
    if _every_published(people):
        return CustodyMonthTally.objects.values(*columns)
    if sliced := _tallied_slice(people):
        field, value = sliced
        return SliceMonthTally.objects.filter(slice=field, value=value).values(*columns)
    return None


def _swept(rows: Iterable[dict], since: date | None, until: date | None) -> list[MonthCount]:
    """The month counts from rows of month changes (kind, month and the weights, as `month_changes`)."""
    # Per month, the change in (individuals, groups whose size is a minimum, groups of unknown size),
    # and in the individuals whose custody is only carried forward from an earlier report.
    changes: dict[int, tuple[int, int, int]] = {}
    carried_changes: dict[int, int] = {}
    for row in rows:
        month, weight = int(row["month"]), _weight(row)
        if row["kind"] == UNCONFIRMED:
            carried_changes[month] = carried_changes.get(month, 0) + weight[0]
        else:
            sign = -1 if row["kind"] == ENDED else 1
            changes[month] = _plus(changes.get(month), tuple(sign * part for part in weight))
    if not changes:
        return []
    first = min(changes)
    if until is None:
        # The newest first along an index, rather than MAX over every published event.
        latest = Event.objects.published().order_by("-date_end").values_list("date_end", flat=True).first()
        until = latest or dates.today()
    last = month_index(min(until, dates.today()))
    # Months before anyone's custody would all be zero: they are left out, however early `since` is.
    start = max(first, month_index(since)) if since else first
    counts, running, carried = [], (0, 0, 0), 0
    for index in range(first, last + 1):
        running = _plus(running, changes.get(index))
        carried += carried_changes.get(index, 0)
        if index >= start:
            individuals, minimums, unknown_groups = running
            counts.append(MonthCount(month_end(index), individuals, unknown_groups, minimums > 0, carried))
    return counts


def _weight(row: dict) -> tuple[int, int, int]:
    return (row["individuals"] or 0, row["minimums"] or 0, row["unknown_groups"] or 0)


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


def _category_sums(
    model, pks: QuerySet, among: list[int] | None = None, headcounts: dict[int, Headcount] | None = None
) -> dict[int, tuple[Any, int, Headcount]]:
    """For each charge or theme (of `among`, or all): how many published cases name one of the people
    `pks`, and the individuals those people stand for, each person once however many of their cases
    fall under it (`headcounts`, when already summed). Two queries; the database sums the distinct
    (category, person) pairs."""
    theirs = Q(cases__is_published=True, cases__people__in=pks)
    categories = model.objects.all() if among is None else model.objects.filter(pk__in=among)
    rows = {
        row.pk: row
        for row in categories.annotate(case_count=Count("cases", filter=theirs, distinct=True))
        .filter(case_count__gt=0)
        .order_by()
    }
    if headcounts is None:
        headcounts = _members_summed(model, pks, among)
    return {pk: (row, row.case_count, headcounts.get(pk, Headcount())) for pk, row in rows.items()}


def _members_summed(model, pks: QuerySet, among: list[int] | None = None, by: Sequence[str] = ()) -> dict:
    """For each charge or theme (of `among`, or all): the individuals the people `pks` with a published
    case under it stand for, each person once however many of their cases fall under it; keyed by
    the category, or by (the person's values of the fields `by`, the category)."""
    lookup = f"cases__{model._meta.model_name}s"
    under = {} if among is None else {f"{lookup}__in": among}
    grouped = {f"by_{field}": F(field) for field in by}
    members = (
        # One filter(): the case that is published is the one under the category.
        Person.objects.filter(pk__in=pks, cases__is_published=True, **{f"{lookup}__isnull": False}, **under)
        .annotate(category=F(lookup), person=F("pk"), **grouped, **_weights(person=""))
        .values(*grouped, "category", "person", "individuals", "minimums", "unknown_groups")
        .distinct()
        .order_by()
    )
    members_sql, params = members.query.sql_with_params()
    key = ", ".join([*grouped, "category"])
    with connections[members.db].cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, SUM(individuals), SUM(minimums), SUM(unknown_groups) FROM ({members_sql}) members"
            f" GROUP BY {key}",
            params,
        )
        return {
            (tuple(keys) if by else keys[0]): _headcount(individuals, minimums, unknown_groups)
            for *keys, individuals, minimums, unknown_groups in cursor.fetchall()
        }


def _counts_by(model, people: QuerySet, summed: Sums | None = None) -> list[CategoryCount]:
    """For each charge or theme: how many individuals of `people` have a published case under it, and
    how many cases; read from CategoryTally for all the published people, from SliceCategoryTally
    for those of one country or one role, else from `summed` (or a `summed_for` of its own)."""
    kept: QuerySet | None = None
    if _every_published(people):
        kept = CategoryTally.objects.all()
    elif sliced := _tallied_slice(people):
        kept = SliceCategoryTally.objects.filter(slice=sliced[0], value=sliced[1])
    if kept is not None:
        tallied = {
            row.category_id: (row.cases, Headcount(row.individuals, bool(row.minimums), row.unknown_groups))
            for row in kept.filter(kind=model._meta.model_name)
        }
    else:
        tallied = (summed or summed_for(people, months=False)).by_category[model]
    counts = [
        CategoryCount(
            row.name, row.slug, row.get_absolute_url(), count.individuals, cases, count.unknown_groups, count.at_least
        )
        for row in model.objects.filter(pk__in=list(tallied))
        for cases, count in [tallied[row.pk]]
        if cases and count
    ]
    return sorted(counts, key=lambda row: (-row.people, -row.unknown_groups, row.name))


@transaction.atomic
def refresh_category_tally(model, among: set[int]) -> None:
    """Recount the CategoryTally rows of these charges or themes (`model`), and their SliceCategoryTally
    rows of every country and role, from the published people."""
    if not among:
        return
    lock_tally(CategoryTally)
    ordered = sorted(among)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        # The people summed once by country and role, and added up for everyone: each person has one
        # value of each.
        by_both = _members_by_slices(model, chunk)
        everyone: dict[int, Headcount] = {}
        for (*_, category), count in by_both.items():
            everyone[category] = everyone.get(category, Headcount()) + count
        CategoryTally.objects.filter(kind=model._meta.model_name, category_id__in=chunk).delete()
        CategoryTally.objects.bulk_create(_category_tally_rows(model, chunk, everyone))
        # Under the same lock: the rows of each country and role recounted with those of everyone.
        SliceCategoryTally.objects.filter(kind=model._meta.model_name, category_id__in=chunk).delete()
        SliceCategoryTally.objects.bulk_create(_slice_category_rows(model, chunk, by_both))
    if model is Charge:
        refresh_charge_people(among)


@transaction.atomic
def rebuild_category_tally() -> None:
    """Recount every CategoryTally row (SliceCategoryTally apart: migration 0017 calls this, before
    that table exists; `rebuild_slice_category_tally`)."""
    lock_tally(CategoryTally)
    CategoryTally.objects.all().delete()
    for model in (Charge, Theme):
        CategoryTally.objects.bulk_create(_category_tally_rows(model))


@transaction.atomic
def rebuild_slice_category_tally() -> None:
    lock_tally(CategoryTally)
    SliceCategoryTally.objects.all().delete()
    for model in (Charge, Theme):
        SliceCategoryTally.objects.bulk_create(_slice_category_rows(model), batch_size=5000)


def _members_by_slices(model, among: list[int] | None = None) -> dict:
    """`_members_summed` of the published people by country and role together."""
    return _members_summed(model, Person.objects.filter(is_published=True).values("pk"), among, by=Slice.values)


def _slice_category_rows(
    model, among: list[int] | None = None, by_both: dict | None = None
) -> list[SliceCategoryTally]:
    """SliceCategoryTally's rows of charges or themes (`model`), of these (or all), for every country
    and role: counted as `_category_sums` counts all the published people, the people and their
    cases grouped by the value they have (the people by both, `_members_by_slices`, when already
    summed)."""
    if by_both is None:
        by_both = _members_by_slices(model, among)
    # Each person has one country and one role: a value's headcount is the sum over the other's.
    headcounts: dict[tuple, Headcount] = {}
    for (*values, category), count in by_both.items():
        for sliced, value in zip(Slice.values, values, strict=True):
            headcounts[sliced, value, category] = headcounts.get((sliced, value, category), Headcount()) + count
    return [
        SliceCategoryTally(
            slice=sliced,
            value=value,
            kind=model._meta.model_name,
            category_id=category,
            cases=cases,
            individuals=headcount.individuals,
            minimums=int(headcount.at_least),
            unknown_groups=headcount.unknown_groups,
        )
        for (sliced, value, category), cases in _slice_case_counts(model, among).items()
        for headcount in [headcounts.get((sliced, value, category), Headcount())]
    ]


def _slice_case_counts(model, among: list[int] | None = None) -> dict[tuple[str, str, int], int]:
    """For every country and role, and each charge or theme (of `among`, or all): how many published
    cases under it name a published person of that value. A case naming people of two countries
    counts in each: the pairs of a case and the values of its people are found once, then counted
    by each field."""
    field = f"{model._meta.model_name}s"
    under = {} if among is None else {f"{field}__in": among}
    pairs = (
        # One filter(): the published person named is in the published case under the category.
        CaseRecord.objects.filter(is_published=True, people__is_published=True, **{f"{field}__isnull": False}, **under)
        .values(
            case_id=F("pk"), category=F(field), **{f"by_{sliced}": F(f"people__{sliced}") for sliced in Slice.values}
        )
        .distinct()
        .order_by()
    )
    pairs_sql, params = pairs.query.sql_with_params()
    counted = " UNION ALL ".join(
        f"SELECT %s, by_{sliced}, category, COUNT(DISTINCT case_id) FROM pairs GROUP BY by_{sliced}, category"
        for sliced in Slice.values
    )
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(f"WITH pairs AS ({pairs_sql}) {counted}", [*params, *Slice.values])
        return {(sliced, value, category): cases for sliced, value, category, cases in cursor.fetchall()}


def _category_tally_rows(
    model, among: list[int] | None = None, headcounts: dict[int, Headcount] | None = None
) -> list[CategoryTally]:
    published = Person.objects.filter(is_published=True).values("pk")
    return [
        CategoryTally(
            kind=model._meta.model_name,
            category_id=pk,
            cases=cases,
            individuals=count.individuals,
            minimums=int(count.at_least),
            unknown_groups=count.unknown_groups,
        )
        for pk, (_, cases, count) in _category_sums(model, published, among, headcounts).items()
    ]


def _named_with_others() -> Exists:
    """Whether a link's case names someone else too: looked up by the case, so that recounting a
    few people reads their cases' links alone."""
    links = CaseRecord.people.through.objects
    return Exists(links.filter(case=OuterRef("case")).exclude(person=OuterRef("person")))


def _person_category_rows(model) -> QuerySet:
    """PersonCategory's rows of charges or themes (`model`) as a query: per person and category of
    their published cases, how many of those cases name no one else."""
    field = f"case__{model._meta.model_name}s"
    return (
        CaseRecord.people.through.objects.filter(case__is_published=True, **{f"{field}__isnull": False})
        .values(linked=F("person"), category=F(field))
        .annotate(kind=Value(model._meta.model_name), solo=Count("pk", filter=~_named_with_others()))
        .order_by()
    )


def _shared_case_rows() -> QuerySet:
    """SharedCaseLink's rows as a query: the links of the published cases naming several people."""
    return (
        CaseRecord.people.through.objects.filter(_named_with_others(), case__is_published=True)
        .values(linked_case=F("case"), linked=F("person"))
        .order_by()
    )


def _write_person_categories(people: set[int] | None = None, cases: set[int] | None = None) -> None:
    """Write the rows of these people (PersonCategory) and cases (SharedCaseLink), or of all."""
    if people is None or people:
        for model in (Charge, Theme):
            rows = _person_category_rows(model)
            insert_selected(
                PersonCategory,
                "person_id, kind, category_id, solo_cases",
                rows if people is None else rows.filter(person__in=people),
                "linked, kind, category, solo",
            )
    if cases is None or cases:
        rows = _shared_case_rows()
        insert_selected(
            SharedCaseLink,
            "case_id, person_id",
            rows if cases is None else rows.filter(case__in=cases),
            "linked_case, linked",
        )


@transaction.atomic
def refresh_person_categories(cases: Iterable[int], people: Iterable[int] = ()) -> set[int]:
    """Recount the links of these cases naming several people (SharedCaseLink), and the charges and
    themes of their people and of `people` (PersonCategory): those just taken out of them. Returns
    the people recounted."""
    cases = set(cases)
    people = set(people) | set(
        CaseRecord.people.through.objects.filter(case__in=cases).values_list("person", flat=True)
    )
    if not (cases or people):
        return people
    lock_tally(PersonCategory)
    _deleted(PersonCategory.objects.filter(person__in=people))
    _deleted(SharedCaseLink.objects.filter(case__in=cases))
    _write_person_categories(people, cases)
    return people


@transaction.atomic
def rebuild_person_categories() -> None:
    lock_tally(PersonCategory)
    _deleted(PersonCategory.objects.all())
    _deleted(SharedCaseLink.objects.all())
    _write_person_categories()


def _deleted(rows: QuerySet) -> None:
    # One DELETE, not a row loaded and signalled at a time (half a million in a rebuild): the write
    # that made them stale has told the public pages already.
    rows._raw_delete(rows.db)


def refresh_charge_people(among: set[int] | None = None) -> None:
    """Store the first people of these charges (or of all), as their pages list them (ChargePeople).

    Called with the counts by charge, whose lock it shares (or by `rebuild_custody_tally`), not by
    rebuild_category_tally: migration 0017 calls that, before this table exists."""
    charges = sorted(among) if among is not None else list(Charge.objects.values_list("pk", flat=True))
    stored = ChargePeople.objects.all() if among is None else ChargePeople.objects.filter(charge__in=charges)
    stored.delete()
    rows = ((charge, first_people_charged(charge)) for charge in charges)
    ChargePeople.objects.bulk_create(
        ChargePeople(charge_id=charge, first_people=first) for charge, first in rows if first
    )


def first_people_charged(charge: int) -> list[int]:
    """The first FIRST_PEOPLE_STORED published people of the charge's published cases by public name,
    then id: read from the public name's index, checking each person's cases, which is quicker for a
    charge with thousands of people than sorting them all."""
    cases = CaseRecord.objects.filter(is_published=True, charges=charge).values("people")
    charged = Person.objects.filter(is_published=True, pk__in=cases).with_sort_name().order_by("sort_name", "pk")
    return list(charged.values_list("pk", flat=True)[:FIRST_PEOPLE_STORED])


def lock_tally(model) -> None:
    """Let one transaction at a time recount a tally, until it commits: a recount then sees every
    change committed before it, and a change still uncommitted is recounted by its own transaction.
    Readers are not held up. (SQLite lets one transaction write at a time anyway.)"""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {model._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def counts_by_charge(people: QuerySet) -> list[CategoryCount]:
    return _counts_by(Charge, people)


def counts_by_theme(people: QuerySet) -> list[CategoryCount]:
    return _counts_by(Theme, people)


@dataclass(frozen=True)
class Figures:
    headcount: Headcount
    months: list[MonthCount]
    by_charge: list[CategoryCount]
    by_theme: list[CategoryCount]


def figures(people: QuerySet, since: date | None = None, until: date | None = None) -> Figures:
    """The statistics page's figures of `people`: from the tallies for all the published people and
    for those of one country or one role, from the monthly snapshots for those in custody on a date
    (`cases.figures_on_a_date`), else summed in one query (`summed_for`)."""
    if _every_published(people) or _tallied_slice(people):
        return Figures(
            people.headcount(),
            custody_by_month(people, since, until),
            counts_by_charge(people),
            counts_by_theme(people),
        )
    on = getattr(people, "tallied_custody_on", lambda: None)()
    if on is not None:
        from .figures_on_a_date import sums_on

        summed = sums_on(on)
    else:
        summed = summed_for(people)
    return Figures(
        summed.headcount,
        _swept(summed.month_rows, since, until),
        _counts_by(Charge, people, summed),
        _counts_by(Theme, people, summed),
    )


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
