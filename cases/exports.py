"""CSV and JSON downloads of the public lists: published records and public names only, streamed.

Never `internal_notes`, never a withheld name or its variants. CSV cells that a spreadsheet
would run as a formula are neutralised.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from operator import itemgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.models import F, Lookup, OuterRef, Prefetch
from django.db.models.expressions import RawSQL

from . import dates, export_sql
from .addresses import address_of
from .choices import IN_CUSTODY_STATES, Identity, NameLanguage
from .dates import FuzzyDate
from .export_writers import SnapshotWriters, rows_in_order, shared_snapshot
from .filters import CaseFilter, EventExportFilter, OrganizationFilter, PersonFilter
from .models import Case, Event, NameVariant, Organization, Person
from .models.base import previewed_record, slug_from

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK_SIZE = 500
# People are read this many at a time by their ids: a few index look-ups each, not a model instance.
# At 2,000 PostgreSQL's estimate of a chunk's query passed its default `jit_above_cost`, and
# compiling it took longer than running it.
PEOPLE_CHUNK_SIZE = 1000
# The first chunk is smaller: the download starts after a tenth of a chunk's work.
FIRST_PEOPLE_CHUNK_SIZE = 100
# On PostgreSQL, connections that write chunks of people at the same time (cases.export_writers):
# the database's time a person, on one core, is what limits a download. 0: the request's own connection only.
PEOPLE_WRITERS = 2
BUFFER_SIZE = 64 * 1024
LIST_SEPARATOR = "; "
# A file name stays readable and within what every file system takes.
FILENAME_MAX_LENGTH = 150
# Filters whose value alone would not say what it means in a file name.
FILENAME_WORDS = {
    ("in_custody", "true"): "in-custody",
    ("in_custody", "false"): "not-in-custody",
    ("group", "true"): "groups",
    ("group", "false"): "individuals",
}
FILENAME_PREFIXES = {"search": "matching", "since": "from", "until": "until", "location": "in"}
# Not what the file holds (its order), or given as the file's date.
FILENAME_SKIPPED = {"sort", "page", "as_of"}


def neutralise(value) -> str:
    """A CSV cell as text; one that a spreadsheet would run as a formula is prefixed with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def export_filename(dataset: str, filters: Mapping, fmt: str, today: date) -> str:
    """What a download holds, in its name: `casetracker-people-in-custody-2018-06-30.csv`.

    `filters` are the cleaned filters in the list's order; the date is the status date (`as_of`)
    when one is asked for, else the day of the download. Only letters, digits and hyphens.
    """
    parts = [dataset]
    for name, value in filters.items():
        if name in FILENAME_SKIPPED or value in (None, ""):
            continue
        value = value.isoformat() if isinstance(value, date) else str(value)
        word = FILENAME_WORDS.get((name, value)) or slug_from(value).replace("_", "-")
        if word and name in FILENAME_PREFIXES:
            word = f"{FILENAME_PREFIXES[name]}-{word}"
        if word:
            parts.append(word)
    day = filters.get("as_of") or today
    stem = "-".join(parts)[:FILENAME_MAX_LENGTH].strip("-")
    return f"casetracker-{stem}-{day.isoformat()}.{fmt}"


def edtf(fuzzy_date) -> str | None:
    return fuzzy_date.edtf if fuzzy_date else None


def organization_row(organization: Organization, absolute: Callable[[str], str]) -> dict:
    return {
        "slug": organization.slug,
        "name": organization.name,
        "name_ru": organization.russian_name,
        "name_variants": [variant.name for variant in organization.public_name_variants],
        "kind": organization.kind,
        "location": organization.location,
        "summary": organization.summary,
        "summary_ru": organization.summary_ru,
        "latest_event": edtf(organization.latest_event_date),
        "cases": [case.slug for case in organization.public_cases],
        "url": absolute(organization.get_absolute_url()),
    }


def case_row(case: Case, absolute: Callable[[str], str]) -> dict:
    return {
        "slug": case.slug,
        "title": case.title,
        "title_ru": case.title_ru,
        "kind": case.kind,
        "stage": case.stage or None,
        "country": case.country.code or None,
        "location": case.location,
        "summary": case.summary,
        "summary_ru": case.summary_ru,
        "people": [person.public_name for person in case.public_people],
        "organizations": [organization.name for organization in case.public_organizations],
        "charges": [charge.name for charge in case.charge_list],
        "themes": [theme.name for theme in case.theme_list],
        "latest_event": edtf(case.latest_event_date),
        "url": absolute(case.get_absolute_url()),
    }


def event_row(event: Event, absolute: Callable[[str], str]) -> dict:
    return {
        "id": event.pk,
        "date": event.date.edtf,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "date_precision": event.date_precision,
        "type": event.type,
        "case": event.case.slug if event.case else None,
        "case_title": event.case.title if event.case else None,
        "person": event.person.slug if event.person else None,
        "person_name": event.person.public_name if event.person else None,
        "person_name_ru": event.person.russian_name if event.person else None,
        "theme": event.theme.slug if event.theme else None,
        "custody": event.custody or None,
        "stage": event.stage or None,
        "sentence_months": event.sentence_months,
        "sentence_days": event.sentence_days,
        "description": event.description,
        "citations": [
            {
                "quote": citation.quote,
                "location": citation.location,
                "source": citation.source.title,
                "source_url": citation.source.url,
            }
            for citation in event.public_citations
        ],
        "url": absolute(event.get_absolute_url()),
    }


COLUMNS = {
    "people": [
        "slug", "name", "name_ru", "name_variants", "identity", "group_size", "group_size_is_minimum",
        "individuals", "role", "country", "location", "summary", "summary_ru", "custody", "in_custody",
        "custody_since", "custody_began", "custody_on_record_since", "custody_began_by", "custody_last_reported",
        "custody_confirmed", "sentence_months", "sentence_days", "expected_end", "cases", "url",
    ],
    "organizations": [
        "slug", "name", "name_ru", "name_variants", "kind", "location", "summary", "summary_ru", "latest_event",
        "cases", "url",
    ],
    "cases": [
        "slug", "title", "title_ru", "kind", "stage", "country", "location", "summary", "summary_ru", "people",
        "organizations", "charges", "themes", "latest_event", "url",
    ],
    "events": [
        "id", "date", "date_start", "date_end", "date_precision", "type", "case", "case_title", "person",
        "person_name", "person_name_ru", "theme", "custody", "stage", "sentence_months", "sentence_days",
        "description", "citations", "url",
    ],
}  # fmt: skip


PERSON_VALUES = (
    "pk", "slug", "name", "name_withheld", "public_alias", "identity", "group_size", "group_size_is_minimum", "role",
    "country", "location", "summary", "summary_ru", "custody", "custody_since_start", "custody_since_end",
    "custody_since_precision", "custody_reported_start", "custody_reported_end", "custody_reported_precision",
    "custody_span_began", "sentence_months", "sentence_days", "expected_end_start", "expected_end_end",
    "expected_end_precision", "began_by_start", "began_by_end", "began_by_precision",
)  # fmt: skip


def chunked(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


@lru_cache(maxsize=8192)
def edtf_of(start: date, end: date, precision: str) -> str:
    """The EDTF of a date given as its three columns: people share few enough dates that each is
    worked out once, by FuzzyDate, whose rule it stays."""
    return FuzzyDate(start, end, precision).edtf


class AnyOf(Lookup):
    """`field = ANY(ids)` on PostgreSQL: the ids travel as one array, and its index is walked in
    their order; `IN` elsewhere. Django's `__in` prepares the ids one by one (which cost as much as
    building the rest of the query), and an `IN (SELECT UNNEST(…))` was read in a hash's order:
    each a third as fast."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))

    def as_sqlite(self, compiler, connection, **extra_context):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)


def listed_ids(filterset) -> Iterator[list[int]]:
    """The filtered people's ids in the list's order, `PEOPLE_CHUNK_SIZE` at a time after a smaller
    first chunk, read from the database as they are sent."""
    # Outside a transaction Django declares its cursor WITH HOLD, and PostgreSQL reads such a
    # cursor's every row before the first (150 ms at 100,000 people): the ids are read in one.
    people = filterset.qs
    in_transaction = (
        transaction.atomic(using=people.db) if transaction.get_autocommit(using=people.db) else nullcontext()
    )
    with in_transaction:
        ids = people.values_list("pk", flat=True).iterator(chunk_size=PEOPLE_CHUNK_SIZE)
        try:
            if first := list(islice(ids, FIRST_PEOPLE_CHUNK_SIZE)):
                yield first
            yield from chunked(ids, PEOPLE_CHUNK_SIZE)
        finally:
            # A download left half read closes its cursor in the transaction that declared it.
            ids.close()


def names_and_cases(ids: list[int]) -> tuple[dict[int, list], dict[int, str], dict[int, list]]:
    """The name variants (in the model's order), the first Russian spelling and the published cases'
    slugs of the people `ids`, by two queries that each read them all at once, not person by
    person: by person id."""
    variants: dict[int, list] = defaultdict(list)
    russian: dict[int, str] = {}
    spellings = NameVariant.objects.filter(AnyOf(F("person"), ids)).order_by("name", "pk")
    for person_id, name, language in spellings.values_list("person_id", "name", "language"):
        variants[person_id].append(name)
        if language == NameLanguage.RUSSIAN:
            russian.setdefault(person_id, name)
    cases: dict[int, list] = defaultdict(list)
    for person_id, slug in (
        Case.objects.published().filter(AnyOf(F("people"), ids)).order_by("slug").values_list("people", "slug")
    ):
        cases[person_id].append(slug)
    return variants, russian, cases


def person_cells(values: tuple, url: Callable[[str], str], confirmed_since: date) -> dict:
    """A person's row from the values `person_chunks` reads, by the rules of the model's properties
    (tests/test_exports.py holds the two to the same rows): the properties themselves cost more per
    row than the whole export may."""
    (
        _pk, slug, name, withheld, alias, identity, group_size, minimum, role, country, location, summary,
        summary_ru, custody, since_start, since_end, since_precision, reported_start, reported_end,
        reported_precision, began, months, days, end_start, end_end, end_precision, by_start, by_end,
        by_precision, variants, russian, cases,
    ) = values  # fmt: skip
    since = None if since_start is None else edtf_of(since_start, since_end, since_precision)
    if reported_start is None:
        reported, reported_end = since, since_end
    else:
        reported = edtf_of(reported_start, reported_end, reported_precision)
    began_on_record = bool(began) and since is not None
    return {
        "slug": slug,
        "name": alias if withheld else name,
        "name_ru": "" if withheld else russian or "",
        "name_variants": [] if withheld else variants or [],
        "identity": identity,
        "group_size": group_size,
        "group_size_is_minimum": minimum,
        # A group of unknown size has no number (see Person.headcount).
        "individuals": group_size if identity == Identity.GROUP else 1,
        "role": role,
        "country": country or None,
        "location": location,
        "summary": summary,
        "summary_ru": summary_ru,
        "custody": custody,
        "in_custody": custody in IN_CUSTODY_STATES,
        "custody_since": since,
        "custody_began": since if began_on_record else None,
        "custody_on_record_since": since,
        "custody_began_by": None if began_on_record or by_start is None else edtf_of(by_start, by_end, by_precision),
        "custody_last_reported": reported,
        "custody_confirmed": reported is not None and reported_end >= confirmed_since,
        "sentence_months": months,
        "sentence_days": days,
        "expected_end": None if end_start is None else edtf_of(end_start, end_end, end_precision),
        "cases": cases or [],
        "url": url(slug),
    }


def person_chunks(filterset, absolute: Callable[[str], str]) -> Iterator[list[dict]]:
    """The filtered people's rows in the list's order, a chunk at a time: their ids first (one query
    the database sorts), then for each chunk of ids their values with the custody, and their names
    and cases (`names_and_cases`): three queries a chunk, whatever its size."""
    as_of = filterset.form.cleaned_data.get("as_of")
    # What "confirmed" is measured against: the status date asked for, or today (see with_custody).
    confirmed_since = dates.confirmed_since(as_of)
    path = address_of("cases:person-detail")

    def url(slug: str) -> str:
        return absolute(path(slug))

    for chunk in listed_ids(filterset):
        people = Person.objects.filter(AnyOf(F("pk"), chunk)).with_custody(as_of).order_by()
        found = {values[0]: values for values in people.values_list(*PERSON_VALUES)}
        variants, russian, cases = names_and_cases(chunk)
        yield [
            person_cells(found[pk] + (variants.get(pk), russian.get(pk), cases.get(pk)), url, confirmed_since)
            for pk in chunk
        ]


# A person's published cases' slugs in order, read from the copies of them on the cases' links to
# people (PostgreSQL, migration 0037), by its index of them: no look-up of each case, no sort.
PUBLISHED_CASE_SLUGS = (
    "ARRAY(SELECT case_slug FROM cases_case_people WHERE person_id = cases_person.id AND case_is_published"
    " ORDER BY case_slug)"
)


def chunk_people(ids: list[int], on: date | None):
    """The values of `person_chunks` for the people `ids` in one query (PostgreSQL), with their
    published cases' slugs as `names_and_cases` reads them (their names: `export_sql.name_variants`);
    what they show of their cases and of their custody's events, from the copies of it (migration
    0037) beside what is looked up anyway."""
    from django.contrib.postgres.expressions import ArraySubquery

    if previewed_record() is None:
        case_slugs = RawSQL(PUBLISHED_CASE_SLUGS, ())
    else:
        # A staff preview reads unpublished cases too (Publishable.published), which the copies' index leaves out.
        cases = Case.objects.published().filter(people=OuterRef("pk")).order_by("slug")
        case_slugs = ArraySubquery(cases.values("slug"))
    return (
        Person.objects.filter(AnyOf(F("pk"), ids))
        .with_custody(on, span_copies=True)
        .order_by()
        .annotate(case_slugs=case_slugs)
        .values(*PERSON_VALUES, "case_slugs")
    )


def person_texts(filterset, absolute: Callable[[str], str], fmt: str) -> Iterator[str]:
    """`person_chunks` as the text of `fmt`, written by PostgreSQL (`cases.export_sql`): the ids in
    the list's order, then one query a chunk that returns each row's finished text, run by
    `PEOPLE_WRITERS` connections at once (`written_at_once`), or by the request's own inside a
    transaction (whose uncommitted rows no other connection could read)."""
    as_of = filterset.form.cleaned_data.get("as_of")
    marker = "slug-marker"
    before, after = absolute(address_of("cases:person-detail")(marker)).split(marker)
    people, params = chunk_people([], as_of).query.sql_with_params()
    sql = export_sql.person_text(people, fmt)
    arguments = [dates.confirmed_since(as_of), before, after, *params]
    # The ids travel as one array (AnyOf), the query's only list: its text is the same for every
    # chunk, built once (2 ms a chunk), and each chunk's ids take the array's place.
    ids_at = next(at for at, argument in enumerate(arguments) if isinstance(argument, list))

    def with_ids(chunk: list[int]) -> list:
        return [*arguments[:ids_at], chunk, *arguments[ids_at + 1 :]]

    using = filterset.qs.db
    outside_a_transaction = transaction.get_autocommit(using=using) and not connections[using].in_atomic_block
    if PEOPLE_WRITERS and outside_a_transaction:
        chunks = written_at_once(filterset, sql, with_ids)
    else:
        chunks = written_one_by_one(filterset, sql, with_ids)
    separator = "" if fmt == "csv" else ",\n"
    with closing(chunks):
        for chunk, rows in chunks:
            texts = dict(rows)
            yield separator.join([texts[pk] for pk in chunk])


def written_one_by_one(filterset, sql: str, arguments: Callable[[list[int]], list]) -> Iterator[tuple[list, list]]:
    """Each chunk of the filtered people's ids with the rows of `sql` for it, run by the request's
    connection, chunk after chunk."""
    for chunk in listed_ids(filterset):
        with connections[filterset.qs.db].cursor() as cursor:
            cursor.execute(sql, arguments(chunk))
            yield chunk, cursor.fetchall()


def written_at_once(filterset, sql: str, arguments: Callable[[list[int]], list]) -> Iterator[tuple[list, list]]:
    """`written_one_by_one`, the chunks' queries run by `PEOPLE_WRITERS` connections of their own at
    the same time, on the snapshot the request's connection reads the ids in."""
    using = filterset.qs.db
    with shared_snapshot(using) as snapshot:
        writers = SnapshotWriters(using, snapshot, sql, PEOPLE_WRITERS)
        ids = listed_ids(filterset)
        try:
            # The first, small chunk by the request's own connection, in the same snapshot, while
            # the writers connect: the download starts as soon as it did one by one.
            if first := next(ids, None):
                with connections[using].cursor() as cursor:
                    cursor.execute(sql, arguments(first))
                    yield first, cursor.fetchall()
            yield from rows_in_order(writers, ids, arguments, ahead=PEOPLE_WRITERS)
        finally:
            # The ids' cursor is closed in the transaction that declared it, the writers' queries
            # are stopped and their connections closed, whether the download ended or not.
            ids.close()
            writers.close()


def published_case_slugs():
    """Just enough of a record's published cases to list their slugs."""
    return Prefetch(
        "cases", queryset=Case.objects.published().only("pk", "slug").order_by("slug"), to_attr="public_cases"
    )


@dataclass(frozen=True)
class Dataset:
    """One downloadable list: its filters, its records as the public sees them, and their rows."""

    name: str
    filterset_class: type
    queryset: Callable
    # A record's row; or, for a list read otherwise than record by record from `filterset.qs`,
    # `row_chunks`: the filtered rows a chunk at a time.
    row: Callable[[object, Callable[[str], str]], dict] | None = None
    row_chunks: Callable[[object, Callable[[str], str]], Iterator[list[dict]]] | None = None
    # On PostgreSQL, the filtered rows a chunk at a time as the finished text of a format, written
    # by the database: what `python_texts` writes from `chunks`, byte for byte.
    sql_texts: Callable[[object, Callable[[str], str], str], Iterator[str]] | None = None

    def chunks(self, filterset, absolute: Callable[[str], str]) -> Iterator[list[dict]]:
        if self.row_chunks is not None:
            return self.row_chunks(filterset, absolute)
        assert self.row is not None
        records = filterset.qs.iterator(chunk_size=CHUNK_SIZE)
        return ([self.row(record, absolute) for record in chunk] for chunk in chunked(records, CHUNK_SIZE))

    def rows(self, filterset, absolute: Callable[[str], str]) -> Iterator[dict]:
        for chunk in self.chunks(filterset, absolute):
            yield from chunk

    def texts(self, filterset, absolute: Callable[[str], str], fmt: str) -> Iterator[str]:
        """The filtered rows a chunk at a time as the text of `fmt` (`as_csv` and `as_json` frame it)."""
        if self.sql_texts is not None and connections[filterset.qs.db].vendor == "postgresql":
            return self.sql_texts(filterset, absolute, fmt)
        return self.python_texts(filterset, absolute, fmt)

    def python_texts(self, filterset, absolute: Callable[[str], str], fmt: str) -> Iterator[str]:
        chunks = self.chunks(filterset, absolute)
        return csv_texts(chunks, self.columns) if fmt == "csv" else json_texts(chunks)

    @property
    def columns(self) -> list[str]:
        return COLUMNS[self.name]


DATASETS = {
    "people": Dataset(
        "people",
        PersonFilter,
        lambda: Person.objects.published().order_by("pk"),
        row_chunks=person_chunks,
        sql_texts=person_texts,
    ),
    "organizations": Dataset(
        "organizations",
        OrganizationFilter,
        lambda: (
            Organization.objects.published()
            .with_latest_event()
            .with_search_names()
            .prefetch_related(published_case_slugs())
            .order_by("pk")
        ),
        organization_row,
    ),
    "cases": Dataset(
        "cases",
        CaseFilter,
        lambda: Case.objects.published().with_latest_event().with_public_subjects().order_by("pk"),
        case_row,
    ),
    "events": Dataset(
        "events",
        EventExportFilter,
        lambda: Event.objects.published().with_public_citations().newest_first(),
        event_row,
    ),
}


def csv_cell(value) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # citations
            value = " | ".join(f"“{c['quote']}” — {c['source']} {c['source_url']}".strip() for c in value)
        else:
            value = LIST_SEPARATOR.join(map(str, value))
    elif isinstance(value, bool):
        value = BOOLEAN_CELLS[value]
    return neutralise(value)


# Cells csv.writer already writes as `csv_cell` would (None as empty, a date in ISO): the numbers
# exported are ids and counts, never negative, so none starts like a formula.
WRITTEN_AS_THEY_ARE = frozenset({int, date, type(None)})
BOOLEAN_CELLS = {True: "true", False: "false"}


def csv_values(values: Iterable) -> list:
    """`csv_cell` of each value, without a call for the cells that need none: most of them."""
    # Text first: most cells are (a quarter faster than asking first for the types written as they are).
    return [
        (f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value)
        if value.__class__ is str
        else value
        if value.__class__ in WRITTEN_AS_THEY_ARE
        else BOOLEAN_CELLS[value]
        if value.__class__ is bool
        else csv_cell(value)
        for value in values
    ]


def buffered(parts: Iterator[str], size: int = BUFFER_SIZE) -> Iterator[str]:
    """The first two parts at once (the file's head and its first rows: the download starts), then
    parts joined into pieces of about `size` characters: a server writes each piece it is handed
    separately, and a row is far smaller."""
    yield from islice(parts, 2)
    pending: list[str] = []
    length = 0
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def csv_texts(chunks: Iterable[list[dict]], columns: list[str]) -> Iterator[str]:
    """Each chunk's rows as CSV lines."""
    cells = itemgetter(*columns)
    out = io.StringIO()
    writer = csv.writer(out)
    for chunk in chunks:
        out.seek(0)
        out.truncate()
        writer.writerows(csv_values(cells(record)) for record in chunk)
        yield out.getvalue()


def json_texts(chunks: Iterable[list[dict]]) -> Iterator[str]:
    """Each chunk's records as JSON, one a line, joined by commas."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    for chunk in chunks:
        yield ",\n".join(map(encoder.encode, chunk))


def as_csv(texts: Iterable[str], columns: list[str]) -> Iterator[str]:
    """The CSV file of the rows `texts` (`Dataset.texts`)."""

    def parts():
        out = io.StringIO()
        csv.writer(out).writerow(columns)
        # The byte-order mark makes spreadsheet programs read the file as UTF-8 (Cyrillic names).
        yield "\ufeff" + out.getvalue()
        yield from texts

    return buffered(parts())


def as_json(texts: Iterable[str], dataset: str, filters: dict) -> Iterator[str]:
    """The JSON file of the records `texts` (`Dataset.texts`)."""

    def parts():
        encoder = DjangoJSONEncoder(ensure_ascii=False)
        yield f'{{"dataset": {encoder.encode(dataset)}, "filters": {encoder.encode(filters)}, "results": ['
        separator = "\n"
        for text in texts:
            if text:
                yield separator + text
                separator = ",\n"
        yield "\n]}\n"

    return buffered(parts())
