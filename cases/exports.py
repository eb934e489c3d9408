"""CSV and JSON downloads of the public lists: published records and public names only, streamed.

Never `internal_notes`, never a withheld name or its variants. CSV cells that a spreadsheet
would run as a formula are neutralised.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from .addresses import address_of
from .filters import CaseFilter, EventFilter, OrganizationFilter, PersonFilter
from .models import Case, Event, NameVariant, Organization, Person
from .models.base import slug_from

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK_SIZE = 500
# People are read this many at a time by their ids: a few index look-ups each, not a model instance.
PEOPLE_CHUNK_SIZE = 2000
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


def person_row(person: Person, absolute: Callable[[str], str]) -> dict:
    return {
        "slug": person.slug,
        "name": person.public_name,
        "name_ru": person.russian_name,
        "name_variants": [variant.name for variant in person.public_name_variants],
        "identity": person.identity,
        "group_size": person.group_size,
        "group_size_is_minimum": person.group_size_is_minimum,
        # Summing this column counts people, not records; empty for a group of unknown size.
        "individuals": None if person.headcount.unknown_groups else person.headcount.individuals,
        "role": person.role,
        "country": person.country.code or None,
        "location": person.location,
        "summary": person.summary,
        "summary_ru": person.summary_ru,
        "custody": person.custody,
        "in_custody": person.in_custody,
        "custody_since": edtf(person.custody_since),
        "custody_began": edtf(person.custody_began),
        "custody_on_record_since": edtf(person.custody_on_record_since),
        "custody_began_by": edtf(person.custody_began_by),
        "custody_last_reported": edtf(person.custody_last_reported),
        "custody_confirmed": person.custody_confirmed,
        "sentence_months": person.sentence_months,
        "sentence_days": person.sentence_days,
        "expected_end": edtf(person.expected_end),
        "cases": [case.slug for case in person.public_cases],
        "url": absolute(person.get_absolute_url()),
    }


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
        "charges": [charge.name for charge in case.charges.all()],
        "themes": [theme.name for theme in case.themes.all()],
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
            for citation in event.citations.all()
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


class CountryCode(NamedTuple):
    code: str


class Variant(NamedTuple):
    name: str
    language: str


class Fetched(list):
    """Related records read beforehand, answering `.all()` as a prefetched manager would."""

    def all(self):
        return self


class PersonRecord:
    """A person as an export row reads them: plain values from the database behind the model's own
    properties (so the row says what the person's page says) without the cost of a model instance."""

    public_name = Person.public_name
    public_name_variants = Person.public_name_variants
    russian_name = Person.russian_name
    is_group = Person.is_group
    headcount = Person.headcount
    custody_since = Person.custody_since
    custody_last_reported = Person.custody_last_reported
    custody_confirmed = Person.custody_confirmed
    custody_on_record_since = Person.custody_on_record_since
    custody_began = Person.custody_began
    custody_began_by = Person.custody_began_by
    expected_end = Person.expected_end
    in_custody = Person.in_custody

    def __init__(self, values: dict, name_variants: list, public_cases: list, url: str):
        self.__dict__.update(values)
        self.country = CountryCode(values["country"])
        self.name_variants = Fetched(name_variants)
        self.public_cases = public_cases
        self.url = url

    def get_absolute_url(self) -> str:
        return self.url


PERSON_FIELDS = (
    "pk", "slug", "name", "name_withheld", "public_alias", "identity", "group_size", "group_size_is_minimum", "role",
    "country", "location", "summary", "summary_ru",
)  # fmt: skip
CUSTODY_FIELDS = (
    "custody", "custody_since_start", "custody_since_end", "custody_since_precision", "custody_reported_start",
    "custody_reported_end", "custody_reported_precision", "custody_span_began", "sentence_months", "sentence_days",
    "expected_end_start",
    "expected_end_end", "expected_end_precision", "began_by_start", "began_by_end", "began_by_precision",
    "custody_as_of",
)  # fmt: skip


class CaseSlug(NamedTuple):
    slug: str


def chunked(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def person_records(filterset) -> Iterator[PersonRecord]:
    """The filtered people in the list's order: their ids first (one query the database sorts
    without joining anything it need not), then each chunk of ids by index look-ups."""
    as_of = filterset.form.cleaned_data.get("as_of")
    url = address_of("cases:person-detail")
    ids = filterset.qs.values_list("pk", flat=True).iterator(chunk_size=PEOPLE_CHUNK_SIZE)
    for chunk in chunked(ids, PEOPLE_CHUNK_SIZE):
        people = (
            Person.objects.filter(pk__in=chunk).with_custody(as_of).order_by().values(*PERSON_FIELDS, *CUSTODY_FIELDS)
        )
        variants = defaultdict(list)
        for person_id, name, language in NameVariant.objects.filter(person__in=chunk).values_list(
            "person_id", "name", "language"
        ):
            variants[person_id].append(Variant(name, language))
        cases = defaultdict(list)
        published_cases = Case.objects.published().filter(people__in=chunk).order_by("slug")
        for person_id, slug in published_cases.values_list("people", "slug"):
            cases[person_id].append(CaseSlug(slug))
        by_id = {values["pk"]: values for values in people}
        for pk in chunk:
            values = by_id[pk]
            yield PersonRecord(values, variants[pk], cases[pk], url(values["slug"]))


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
    row: Callable[[object, Callable[[str], str]], dict]
    # The filtered records as `row` reads them, when they are read otherwise than `filterset.qs`.
    records: Callable[[object], Iterable] | None = None

    def rows(self, filterset, absolute: Callable[[str], str]) -> Iterator[dict]:
        records = self.records(filterset) if self.records else filterset.qs.iterator(chunk_size=CHUNK_SIZE)
        for record in records:
            yield self.row(record, absolute)

    @property
    def columns(self) -> list[str]:
        return COLUMNS[self.name]


DATASETS = {
    "people": Dataset(
        "people",
        PersonFilter,
        lambda: Person.objects.published().order_by("pk"),
        person_row,
        person_records,
    ),
    "organizations": Dataset(
        "organizations",
        OrganizationFilter,
        lambda: (
            Organization.objects.published()
            .with_latest_event()
            .prefetch_related("name_variants", published_case_slugs())
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
        EventFilter,
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
        value = "true" if value else "false"
    return neutralise(value)


class _Echo:
    """A file-like object csv.writer can write to, handing each line back."""

    def write(self, line: str) -> str:
        return line


def buffered(parts: Iterator[str], size: int = BUFFER_SIZE) -> Iterator[str]:
    """The first part at once (the download starts), then parts joined into pieces of about `size`
    characters: a server writes each piece it is handed separately, and a row is far smaller."""
    yield next(parts, "")
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


def as_csv(records: Iterable[dict], columns: list[str]) -> Iterator[str]:
    def lines():
        writer = csv.writer(_Echo())
        # The byte-order mark makes spreadsheet programs read the file as UTF-8 (Cyrillic names).
        yield "\ufeff" + writer.writerow(columns)
        for record in records:
            yield writer.writerow([csv_cell(record[column]) for column in columns])

    return buffered(lines())


def as_json(records: Iterable[dict], dataset: str, filters: dict) -> Iterator[str]:
    def parts():
        encoder = DjangoJSONEncoder(ensure_ascii=False)
        yield f'{{"dataset": {encoder.encode(dataset)}, "filters": {encoder.encode(filters)}, "results": ['
        for index, record in enumerate(records):
            yield ("," if index else "") + "\n" + encoder.encode(record)
        yield "\n]}\n"

    return buffered(parts())
