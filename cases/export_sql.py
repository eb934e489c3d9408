"""The people export written by PostgreSQL: a chunk of people arrives as its finished CSV or JSON text.

Each rule of `cases.exports` is an SQL expression here that mirrors it: a person's cells
(`person_cells`: public names, EDTF dates, "confirmed since", addresses), the CSV writer's quoting
and the formula neutralising (`csv_values`), the JSON encoder's text (`as_json`), the list separator.
Python then only passes the text along. tests/test_export_sql.py holds the two paths to the same
bytes; change a rule in one, change it in the other.
"""

from collections.abc import Callable

from .choices import IN_CUSTODY_STATES, DatePrecision, Identity, NameLanguage
from .models import NameVariant

# The `to_char` pattern of each precision EDTF writes as one value (`Precision.edtf`): the others
# travel as an interval, of whole months when the date spans whole months (`FuzzyDate.edtf`).
EDTF_PATTERNS = {
    DatePrecision.DAY: "YYYY-MM-DD",
    DatePrecision.MONTH: "YYYY-MM",
    DatePrecision.FIRST_HALF: 'YYYY"-40"',
    DatePrecision.SECOND_HALF: 'YYYY"-41"',
    DatePrecision.YEAR: "YYYY",
}

# What each column of `COLUMNS["people"]` holds, which says how it is written: text, a number,
# true or false, a list of texts, or a word: a text that neither starts like a formula nor holds a
# character that CSV quotes or JSON escapes (a choice's value or a country's code, which the
# database's constraints hold to their vocabularies, and an EDTF date), written as it is.
PERSON_KINDS = {
    "slug": "text", "name": "text", "name_ru": "text", "name_variants": "list", "identity": "word",
    "group_size": "number", "group_size_is_minimum": "boolean", "individuals": "number", "role": "word",
    "country": "word", "location": "text", "summary": "text", "summary_ru": "text", "custody": "word",
    "in_custody": "boolean", "custody_since": "word", "custody_began": "word", "custody_on_record_since": "word",
    "custody_began_by": "word", "custody_last_reported": "word", "custody_confirmed": "boolean",
    "sentence_months": "number", "sentence_days": "number", "expected_end": "word", "cases": "list", "url": "text",
}  # fmt: skip


def literal(text: str) -> str:
    """`text` as an SQL string literal (for the fixed texts of the rules, never for data)."""
    return "'" + text.replace("'", "''") + "'"


def edtf(start: str, end: str, precision: str) -> str:
    """`FuzzyDate(start, end, precision).edtf`, or NULL without a date."""
    whens = " ".join(f"WHEN {literal(p)} THEN to_char({start}, {literal(f)})" for p, f in EDTF_PATTERNS.items())
    whole_months = (
        f"(extract(day FROM {start}) = 1 AND {end} = (date_trunc('month', {end}) + interval '1 month - 1 day')::date)"
    )
    interval = (
        f"CASE WHEN {whole_months} THEN to_char({start}, 'YYYY-MM') || '/' || to_char({end}, 'YYYY-MM') "
        f"ELSE to_char({start}, 'YYYY-MM-DD') || '/' || to_char({end}, 'YYYY-MM-DD') END"
    )
    return f"CASE WHEN {start} IS NULL THEN NULL ELSE CASE {precision} {whens} ELSE {interval} END END"


def person_values(confirmed_since: str, url_before: str, url_after: str) -> dict[str, str]:
    """`person_cells` as SQL over the columns `chunk_people` reads (`p.…`): each value NULL where
    the cell is None, lists as text arrays. The three arguments are SQL parameters' placeholders."""
    since = edtf("p.custody_since_start", "p.custody_since_end", "p.custody_since_precision")
    began_on_record = "(coalesce(p.custody_span_began, false) AND p.custody_since_start IS NOT NULL)"
    reported = (
        "CASE WHEN p.custody_reported_start IS NULL THEN "
        f"{since} ELSE {edtf('p.custody_reported_start', 'p.custody_reported_end', 'p.custody_reported_precision')} END"
    )
    reported_end = "CASE WHEN p.custody_reported_start IS NULL THEN p.custody_since_end ELSE p.custody_reported_end END"
    held = ", ".join(literal(state) for state in sorted(IN_CUSTODY_STATES))
    return {
        "slug": "p.slug",
        "name": "CASE WHEN p.name_withheld THEN p.public_alias ELSE p.name END",
        "name_ru": "CASE WHEN p.name_withheld THEN '' ELSE coalesce(names.russian, '') END",
        "name_variants": "CASE WHEN p.name_withheld THEN '{}'::text[] ELSE coalesce(names.variants, '{}') END",
        "identity": "p.identity",
        "group_size": "p.group_size",
        "group_size_is_minimum": "p.group_size_is_minimum",
        # A group of unknown size has no number (see Person.headcount).
        "individuals": f"CASE WHEN p.identity = {literal(Identity.GROUP)} THEN p.group_size ELSE 1 END",
        "role": "p.role",
        "country": "nullif(p.country, '')",
        "location": "p.location",
        "summary": "p.summary",
        "summary_ru": "p.summary_ru",
        "custody": "p.custody",
        "in_custody": f"p.custody IN ({held})",
        "custody_since": since,
        "custody_began": f"CASE WHEN {began_on_record} THEN {since} END",
        "custody_on_record_since": since,
        "custody_began_by": (
            f"CASE WHEN {began_on_record} THEN NULL "
            f"ELSE {edtf('p.began_by_start', 'p.began_by_end', 'p.began_by_precision')} END"
        ),
        "custody_last_reported": reported,
        "custody_confirmed": f"coalesce(({reported_end}) >= {confirmed_since}, false)",
        "sentence_months": "p.sentence_months",
        "sentence_days": "p.sentence_days",
        "expected_end": edtf("p.expected_end_start", "p.expected_end_end", "p.expected_end_precision"),
        "cases": "p.case_slugs",
        "url": f"{url_before} || p.slug || {url_after}",
    }


# csv.writer quotes a cell holding its delimiter, its quote or a line end, and doubles its quotes;
# `neutralise` puts a quote before a cell a spreadsheet would run as a formula (FORMULA_TRIGGERS,
# here by their character codes). Tested with strpos() and ascii(), the code of a text's first
# character (0 for an empty one): a regular expression matched against each text cell twice took a
# tenth of a chunk's time.
CSV_QUOTED = (",", '"', "\r", "\n")
FORMULA_CODES = (9, 10, 13, 43, 45, 61, 64)


def character(text: str) -> str:
    """A character as an SQL string literal (`E'\\r'` for a line end)."""
    return "E'" + text.encode("unicode_escape").decode().replace("'", "''") + "'"


def csv_text(value: str) -> str:
    """`csv_values` of a text (None as an empty cell), as the CSV writer writes it."""
    formula = f"ascii({value}) IN ({', '.join(map(str, FORMULA_CODES))})"

    def neutralised(text: str) -> str:
        return f"CASE WHEN {formula} THEN '''' || {text} ELSE {text} END"

    # Whether a cell is quoted does not depend on the quote `neutralise` adds: the value is tested.
    doubled = f"""replace({value}, '"', '""')"""
    quoted = " OR ".join(f"strpos({value}, {character(quoted)}) > 0" for quoted in CSV_QUOTED)
    return (
        f"CASE WHEN {value} IS NULL THEN '' "
        f"""WHEN {quoted} THEN '"' || {neutralised(doubled)} || '"' """
        f"ELSE {neutralised(value)} END"
    )


CSV_CELLS: dict[str, Callable[[str], str]] = {
    "text": csv_text,
    "word": lambda value: f"coalesce({value}, '')",
    "number": lambda value: f"coalesce({value}::text, '')",
    "boolean": lambda value: f"CASE WHEN {value} THEN 'true' ELSE 'false' END",
    # Joined by `cases.exports.LIST_SEPARATOR`.
    "list": lambda value: csv_text(f"array_to_string({value}, '; ')"),
}


def json_text(value: str) -> str:
    # PostgreSQL escapes a string as json.dumps(ensure_ascii=False) does: quotes, backslashes and
    # control characters, as \" \\ \n \r \t \b \f or \u00xx.
    return f"coalesce(to_json({value})::text, 'null')"


JSON_VALUES: dict[str, Callable[[str], str]] = {
    "text": json_text,
    "word": lambda value: f"""coalesce('"' || {value} || '"', 'null')""",
    "number": lambda value: f"coalesce({value}::text, 'null')",
    "boolean": lambda value: f"CASE WHEN {value} THEN 'true' ELSE 'false' END",
    # jsonb writes an array with the encoder's separators, ", " between items (json's "," would
    # not do), and escapes its texts as json does: a third of the cost of joining them one by one.
    "list": lambda value: f"to_jsonb({value})::text",
}


def csv_line(kinds: dict[str, str]) -> str:
    """A row as csv.writer ends it, from the columns `v.…` of `kinds`."""
    cells = " || ',' || ".join(CSV_CELLS[kind](f"v.{name}") for name, kind in kinds.items())
    return f"{cells} || E'\\r\\n'"


def json_object(kinds: dict[str, str]) -> str:
    """A record as `DjangoJSONEncoder(ensure_ascii=False)` writes it, from the columns `v.…` of `kinds`."""
    parts = []
    for position, (name, kind) in enumerate(kinds.items()):
        key = ('{"' if position == 0 else ', "') + name + '": '
        parts.append(f"{literal(key)} || {JSON_VALUES[kind](f'v.{name}')}")
    return " || ".join(parts) + " || '}'"


FORMATS = {"csv": csv_line, "json": json_object}


def name_variants() -> str:
    """A person's (`p`) name variants in the model's order and the first Russian one of them, as
    `names_and_cases` reads them: by one look-up, where a subquery each took twice as long."""
    table, person, name, language = (
        NameVariant._meta.db_table,
        *(NameVariant._meta.get_field(field).column for field in ("person", "name", "language")),
    )
    # Aggregated in the order the subquery reads them, that of the index by person, name and id
    # (cases_variant_person_order): an ORDER BY in each aggregate sorted them again, twice a person.
    ordered = (
        f"SELECT {name}, {language} FROM {table} WHERE {person} = p.pk ORDER BY {name}, {NameVariant._meta.pk.column}"
    )
    russian = f"variant.{language} = {literal(NameLanguage.RUSSIAN)}"
    return (
        f"LEFT JOIN LATERAL (SELECT array_agg(variant.{name}) AS variants, "
        f"(array_agg(variant.{name}) FILTER (WHERE {russian}))[1] AS russian FROM ({ordered}) variant) names ON true"
    )


def person_text(people: str, fmt: str) -> str:
    """The query of a chunk's rows as `fmt` text, (pk, text) a person, over `people`: the query of
    `cases.exports.chunk_people`. Its parameters: the day a report must end by to confirm a status
    (`dates.confirmed_since`), what comes before and after the slug in a person's address, then
    the people's own."""
    columns = ", ".join(f"{sql} AS {name}" for name, sql in person_values("%s", "%s", "%s").items())
    # The values are worked out in a subquery of their own (OFFSET 0 keeps the planner from merging
    # it into the text's), once each, not once for every place the text names them.
    values = f"SELECT p.pk, {columns} FROM ({people}) p {name_variants()} OFFSET 0"
    return f"SELECT v.pk, {FORMATS[fmt](PERSON_KINDS)} FROM ({values}) v"
