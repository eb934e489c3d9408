"""The statistics of the published people in custody on a date, read from a monthly snapshot.

Summed from their spans, the statistics of the 55,000 people of 100,000 in custody on a date took
half a second. They are a sum over people, and over the cases naming several people (which count
once however many of their people are chosen): what each adds is its share (FigureShare), while its
interval holds (FigureInterval). So the figures on a day D are those on the first of D's month
(FigureSnapshot), plus the shares whose interval began since, less those whose interval ended since:
a month's snapshot of about a thousand rows and the shares of a few thousand people.

Every month from the first share's to the latest stored is kept: a month with no row is all zero.
A write recounts the shares of the people and cases it touched and adds the difference to each
stored month their old and new intervals held, in the same transaction; months after the latest
stored are added, up to the current one, as writes come (a date after them reads the latest one and
the shares since).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connections, router, transaction

from . import dates
from .choices import IN_CUSTODY_STATES
from .models import CustodySpan, FigureInterval, FigureShare, FigureSnapshot, Person, SharedCaseLink
from .models.figures import Holder
from .statistics import (
    MONTH_SQL,
    Sums,
    chosen_people,
    lock_tally,
    month_index,
    month_start,
    people_parts,
    shared_case_parts,
    sums_from,
)

SUMS = ("cases", "individuals", "minimums", "unknown_groups")
FAR_FUTURE = date(9999, 12, 31)


def _table(model) -> str:
    return model._meta.db_table


def _connection(read: bool = False):
    """The database the snapshots are written on, or read from (a replica, when there is one)."""
    return connections[(router.db_for_read if read else router.db_for_write)(FigureSnapshot)]


def first_month_from(day: date) -> int:
    """The first month whose first day is `day` or later: the first snapshot an interval from `day` holds."""
    return month_index(day) + (0 if day.day == 1 else 1)


def _in(column: str, ids: Iterable[int] | None) -> tuple[str, list[int]]:
    """A condition keeping `column` to `ids` (None: any), with its parameters."""
    if ids is None:
        return "", []
    ids = sorted(ids)
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


# Reading -----------------------------------------------------------------------------------------


def _window_sql(after: date, through: date, sign: int = 1) -> tuple[str, list]:
    """The share rows (part, key and the sums, signed) of the holders whose interval began in
    (after, through], less those whose interval ended in it: what changed between two days (taken
    away, with a `sign` of -1)."""
    began = "valid_from > %s AND valid_from <= %s"
    ended = "valid_until > %s AND valid_until <= %s"
    signed = ", ".join(f"w.sign * s.{column}" for column in SUMS)
    sql = (
        f"SELECT s.part, s.key, {signed} FROM (SELECT holder, holder_id,"
        f" %s * (SUM(CASE WHEN {began} THEN 1 ELSE 0 END) - SUM(CASE WHEN {ended} THEN 1 ELSE 0 END)) AS sign"
        f" FROM {_table(FigureInterval)} WHERE ({began}) OR ({ended}) GROUP BY holder, holder_id) w"
        f" JOIN {_table(FigureShare)} s ON s.holder = w.holder AND s.holder_id = w.holder_id WHERE w.sign <> 0"
    )
    return sql, [sign, *[after, through] * 4]


def _moved(month: int, window: tuple[str, list]) -> tuple[str, list]:
    """The rows (part, key and the sums) of `month`'s snapshot with a window of changes (as
    `_window_sql`) added, and their parameters."""
    columns = ", ".join(SUMS)
    sql = (
        f"SELECT part, key, {', '.join(f'SUM({column})' for column in SUMS)} FROM ("  # noqa: S608
        f"SELECT part, key, {columns} FROM {_table(FigureSnapshot)} WHERE month = %s UNION ALL {window[0]}) rows"
        " GROUP BY part, key"
    )
    return sql, [month, *window[1]]


def latest_month(read: bool = False) -> int | None:
    """The latest month whose snapshot is stored (every month before it is), or None for none."""
    with _connection(read).cursor() as cursor:
        cursor.execute(f"SELECT MAX(month) FROM {_table(FigureSnapshot)}")  # noqa: S608
        return cursor.fetchone()[0]


def sums_on(day: date) -> Sums:
    """The statistics of the published people in custody on `day` (as `summed_for` of them): the
    snapshot of the first day of its month or of the next, whichever is nearer (or the latest stored
    before it), and the shares that changed between that first day and `day`."""
    latest, this_month = latest_month(read=True), month_index(day)
    if latest is None:
        month, window = None, _window_sql(date.min, day)
    elif this_month < latest and month_start(this_month + 1) - day < day - month_start(this_month):
        month = this_month + 1
        window = _window_sql(day, month_start(month), sign=-1)
    else:
        month = min(this_month, latest)
        window = _window_sql(month_start(month), day)
    sql, params = _moved(-1 if month is None else month, window)
    connection = _connection(read=True)
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its estimate of the shares that changed, for a window of a few days as for a month, made
            # PostgreSQL read all the million shares to hash them, instead of those few thousand by
            # their index (60 -> 2 ms); for this statement only.
            cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute(sql, params)
        # A part that sums to nothing is not there: as the people summed one by one would not give it.
        # (PostgreSQL sums a signed sum as a decimal.)
        return sums_from(tuple(map(int, row)) for row in cursor.fetchall() if any(row[2:]))


# Writing -----------------------------------------------------------------------------------------


def _write_shares(people: Iterable[int] | None, cases: Iterable[int] | None) -> None:
    """Write the intervals and shares of these people and cases (None: of all), from their spans,
    charges and themes: the people's first, which the cases' intervals are joined from."""
    connection = _connection()
    with connection.cursor() as cursor:
        if people is None or people:
            _write_people_shares(cursor, connection.vendor, people)
        if cases is None or cases:
            _write_case_shares(cursor, cases)


def _write_people_shares(cursor, vendor: str, people: Iterable[int] | None) -> None:
    """Each person's intervals, then their shares."""
    states = ", ".join(["%s"] * len(IN_CUSTODY_STATES))
    people_filter, people_ids = _in("person_id", people)
    # A person's spans in custody follow one another: one that begins where the last ended goes on with it.
    cursor.execute(
        f"INSERT INTO {_table(FigureInterval)} (holder, holder_id, valid_from, valid_until)"
        " SELECT %s, person_id, MIN(valid_from), CASE WHEN COUNT(valid_until) < COUNT(*) THEN NULL"
        " ELSE MAX(valid_until) END FROM (SELECT person_id, valid_from, valid_until,"
        " SUM(CASE WHEN previous_until = valid_from THEN 0 ELSE 1 END)"
        " OVER (PARTITION BY person_id ORDER BY valid_from) AS stretch FROM (SELECT person_id, valid_from,"
        " valid_until, LAG(valid_until) OVER (PARTITION BY person_id ORDER BY valid_from) AS previous_until"
        f" FROM {_table(CustodySpan)} WHERE state IN ({states})"
        f" AND person_id IN (SELECT id FROM {_table(Person)} WHERE is_published){people_filter}) spans) stretches"
        " GROUP BY person_id, stretch",
        [Holder.PERSON, *IN_CUSTODY_STATES, *people_ids],
    )
    chosen_sql, params = chosen_people(
        Person.objects.filter(is_published=True)
        if people is None
        else Person.objects.filter(is_published=True, pk__in=list(people))
    )
    ctes, parts, part_params = people_parts(vendor, by_person=True)
    cursor.execute(
        f"INSERT INTO {_table(FigureShare)} (holder, holder_id, part, key, {', '.join(SUMS)})"
        f" WITH {', '.join([f'chosen AS ({chosen_sql})', *ctes])}"
        f" SELECT %s, shares.* FROM ({' UNION ALL '.join(parts)}) shares",
        [*params, *part_params[: len(IN_CUSTODY_STATES)], Holder.PERSON, *part_params[len(IN_CUSTODY_STATES) :]],
    )


def _write_case_shares(cursor, cases: Iterable[int] | None) -> None:
    """Each case's intervals, from its people's, then its shares."""
    cases_filter, case_ids = _in("l.case_id", cases)
    # A case holds while any of its people does: their intervals, joined where they overlap or meet.
    cursor.execute(
        f"INSERT INTO {_table(FigureInterval)} (holder, holder_id, valid_from, valid_until)"
        " SELECT %s, case_id, MIN(valid_from), CASE WHEN MAX(until) = %s THEN NULL ELSE MAX(until) END"
        " FROM (SELECT case_id, valid_from, until, SUM(CASE WHEN reach >= valid_from THEN 0 ELSE 1 END)"
        " OVER (PARTITION BY case_id ORDER BY valid_from, until ROWS UNBOUNDED PRECEDING) AS stretch"
        " FROM (SELECT case_id, valid_from, until, MAX(until) OVER (PARTITION BY case_id ORDER BY valid_from,"
        " until ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM (SELECT l.case_id, i.valid_from,"
        " COALESCE(i.valid_until, %s) AS until"
        f" FROM {_table(SharedCaseLink)} l JOIN {_table(FigureInterval)} i"
        f" ON i.holder = %s AND i.holder_id = l.person_id WHERE 1 = 1{cases_filter}) links) reaches) stretches"
        " GROUP BY case_id, stretch",
        [Holder.CASE, FAR_FUTURE, FAR_FUTURE, Holder.PERSON, *case_ids],
    )
    shared = f"SELECT DISTINCT l.case_id FROM {_table(SharedCaseLink)} l WHERE 1 = 1{cases_filter}"
    cursor.execute(
        f"INSERT INTO {_table(FigureShare)} (holder, holder_id, part, key, {', '.join(SUMS)})"
        f" WITH shared AS ({shared}) SELECT %s, shares.* FROM ("
        f"{' UNION ALL '.join(shared_case_parts('shared', by_case=True))}) shares",
        [*case_ids, Holder.CASE],
    )


def _stored(holders: dict[Holder, set[int]]) -> dict[tuple[int, int], tuple[frozenset, frozenset]]:
    """The stored intervals and share rows of these holders (by kind), each as a set."""
    found: dict[tuple[int, int], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for kind, ids in holders.items():
        if not ids:
            continue
        for holder_id, valid_from, valid_until in FigureInterval.objects.filter(
            holder=kind, holder_id__in=ids
        ).values_list("holder_id", "valid_from", "valid_until"):
            found[kind, holder_id][0].add((valid_from, valid_until))
        for holder_id, *row in FigureShare.objects.filter(holder=kind, holder_id__in=ids).values_list(
            "holder_id", "part", "key", *SUMS
        ):
            found[kind, holder_id][1].add(tuple(row))
    return {holder: (frozenset(intervals), frozenset(rows)) for holder, (intervals, rows) in found.items()}


def _add_to_snapshots(changes: dict[tuple[int, int, int], list[int]]) -> None:
    """Add these sums to the snapshots' rows (month, part, key), writing the rows not there yet."""
    rows = [(month, part, key, *sums) for (month, part, key), sums in changes.items() if any(sums)]
    if not rows:
        return
    table, columns = _table(FigureSnapshot), ", ".join(SUMS)
    added = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in SUMS)
    with _connection().cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (month, part, key, {columns}) VALUES {values}"  # noqa: S608
                f" ON CONFLICT (month, part, key) DO UPDATE SET {added}",
                [value for row in chunk for value in row],
            )


NOTHING: tuple[frozenset, frozenset] = (frozenset(), frozenset())


def _months_held(intervals: Iterable[tuple[date, date | None]], latest: int) -> set[int]:
    """The stored months (up to `latest`) whose first day one of these intervals holds."""
    return {
        month
        for valid_from, valid_until in intervals
        for month in range(
            first_month_from(valid_from),
            (latest if valid_until is None else min(latest, first_month_from(valid_until) - 1)) + 1,
        )
    }


def _add_difference(changes: dict, old: tuple[frozenset, frozenset], new: tuple[frozenset, frozenset], latest: int):
    """Add to `changes` what a holder's new share and intervals add to each stored month less what its
    old ones did: in the months both held, only the rows that differ (a new charge, a new weight);
    in the others, the whole share."""
    old_months, new_months = _months_held(old[0], latest), _months_held(new[0], latest)
    differing: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for rows, sign in ((old[1], -1), (new[1], 1)):
        for part, key, *sums in rows:
            total = differing[part, key]
            for index, value in enumerate(sums):
                total[index] += sign * value
    differences: list[tuple[set[int], list[tuple[int, ...]]]] = [
        (old_months & new_months, [(part, key, *sums) for (part, key), sums in differing.items() if any(sums)]),
        (new_months - old_months, [(part, key, *sums) for part, key, *sums in new[1]]),
        (old_months - new_months, [(part, key, *(-value for value in sums)) for part, key, *sums in old[1]]),
    ]
    for months, share in differences:
        for month in months:
            for part, key, *sums in share:
                total = changes[month, part, key]
                for index, value in enumerate(sums):
                    total[index] += value


@transaction.atomic
def refresh_figures_on_a_date(people: Iterable[int] = (), cases: Iterable[int] = ()) -> None:
    """Recount the shares of these people, of the cases naming several people that they are in, and of
    `cases`, and add the difference to every stored month their intervals held."""
    people = {pk for pk in people if pk is not None}
    cases = set(cases) | set(SharedCaseLink.objects.filter(person__in=people).values_list("case", flat=True))
    if not (people or cases):
        return
    lock_tally(FigureSnapshot)
    holders = {Holder.PERSON: people, Holder.CASE: cases}
    before = _stored(holders)
    for kind, ids in holders.items():
        if ids:
            FigureInterval.objects.filter(holder=kind, holder_id__in=ids)._raw_delete(FigureInterval.objects.db)
            FigureShare.objects.filter(holder=kind, holder_id__in=ids)._raw_delete(FigureShare.objects.db)
    _write_shares(people, cases)
    after = _stored(holders)
    latest = latest_month()
    changes: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    if latest is not None:
        for holder in before.keys() | after.keys():
            old, new = before.get(holder, NOTHING), after.get(holder, NOTHING)
            if old != new:
                _add_difference(changes, old, new, latest)
    _add_to_snapshots(changes)
    extend_snapshots()


def extend_snapshots(through: int | None = None) -> None:
    """Store the snapshots of the months after the latest stored, up to `through` (the current month):
    each the one before, plus the shares that changed between their first days."""
    through = month_index(dates.today()) if through is None else through
    latest = latest_month()
    if latest is None:
        build_snapshots(through)
        return
    with _connection().cursor() as cursor:
        for month in range(latest + 1, through + 1):
            sql, params = _moved(month - 1, _window_sql(month_start(month - 1), month_start(month)))
            cursor.execute(
                f"INSERT INTO {_table(FigureSnapshot)} (month, part, key, {', '.join(SUMS)})"  # noqa: S608
                f" SELECT %s, moved.* FROM ({sql}) moved",
                [month, *params],
            )


def build_snapshots(through: int) -> None:
    """Store every month's snapshot from the first share's up to `through`, from the stored shares in
    one statement: what each interval adds from its first month and takes away after its last, summed
    by month and run through the months."""
    connection = _connection()
    month = MONTH_SQL[connection.vendor].format
    day = DAY_SQL[connection.vendor].format

    def first_month(column: str) -> str:
        return f"({month(column)} + CASE WHEN {day(column)} = 1 THEN 0 ELSE 1 END)"

    table, columns = _table(FigureSnapshot), ", ".join(SUMS)
    signed = ", ".join(f"SUM(c.sign * s.{column}) AS {column}" for column in SUMS)
    running = ", ".join(f"SUM({column}) OVER months AS {column}" for column in SUMS)
    sql = (
        f"INSERT INTO {table} (month, part, key, {columns})"
        " WITH RECURSIVE changes AS ("
        f"SELECT holder, holder_id, {first_month('valid_from')} AS month, 1 AS sign FROM {_table(FigureInterval)}"
        f" UNION ALL SELECT holder, holder_id, {first_month('valid_until')}, -1 FROM {_table(FigureInterval)}"
        " WHERE valid_until IS NOT NULL),"
        f" summed AS (SELECT c.month, s.part, s.key, {signed} FROM changes c JOIN {_table(FigureShare)} s"
        " ON s.holder = c.holder AND s.holder_id = c.holder_id WHERE c.month <= %s GROUP BY c.month, s.part, s.key),"
        f" running AS (SELECT month, part, key, {running}, LEAD(month) OVER (PARTITION BY part, key ORDER BY month)"
        " AS next FROM summed WINDOW months AS (PARTITION BY part, key ORDER BY month)),"
        f" filled AS (SELECT month, part, key, {columns}, COALESCE(next, %s) AS next FROM running"
        f" UNION ALL SELECT month + 1, part, key, {columns}, next FROM filled WHERE month + 1 < next)"
        # In the months' order, so that a month's rows lie together.
        f" SELECT month, part, key, {columns} FROM filled ORDER BY month, part, key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [through, through + 1])


# The day of the month of a date column in each database's SQL (see MONTH_SQL).
DAY_SQL = {
    "postgresql": "CAST(date_part('day', {0}) AS integer)",
    "sqlite": "CAST(strftime('%%d', {0}) AS integer)",
}


@transaction.atomic
def rebuild_figures_on_a_date() -> None:
    """Recount every share and snapshot from the people, their spans and their cases."""
    lock_tally(FigureSnapshot)
    for model in (FigureSnapshot, FigureShare, FigureInterval):
        model.objects.all()._raw_delete(model.objects.db)
    _write_shares(None, None)
    build_snapshots(month_index(dates.today()))
