"""On PostgreSQL, copies of what the people export reads of other tables, next to what it looks up:

- on a custody span, what it shows of the span's three events: the date of the event that set it,
  the date of its latest report, the sentence of its sentencing event. A chunk of 1,000 people
  looked up some 2,900 events in the events' index, a sixth of its query's time
  (PersonQuerySet.with_custody(span_copies=True)). The index the export reads the open span from
  holds the copies too, so that look-up stays index-only.
- on a case's link to a person, the case's slug and whether it is published, in an index of the
  published cases' slugs by person and slug: a person's slugs are read in order from it, where
  each was looked up in the cases and sorted, a sixth of the query's time (cases.exports.chunk_people).

Triggers keep the copies: a span's whenever it is written or pointed at other events (spans are
derived anew whenever their events change: cases.custody.sync_custody_spans deletes and inserts
them, as their copy of the setting event's end, `since_end`, already is), a link's when it is made,
and every link of a case when the case is added, renamed, published or withdrawn, in the same
transaction.

Columns of the database only, not of the models: SQLite writes its exports in Python.
"""

from django.db import migrations

COPIES = {
    "event_date_start": "date",
    "event_date_precision": "varchar(20)",
    "last_report_date_start": "date",
    "last_report_date_end": "date",
    "last_report_date_precision": "varchar(20)",
    "sentence_event_months": "integer",
    "sentence_event_days": "integer",
}

OPEN_SPAN_ROW = (
    "state, event_id, since_end, last_report_id, began, sentence_event_id, expected_end_start, expected_end_end, "
    "expected_end_precision, began_by_start, began_by_end, began_by_precision"
)

COPY_FUNCTION = """
CREATE FUNCTION cases_span_copy_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A SELECT INTO that finds no row (no such event) sets its targets to NULL.
    SELECT date_start, date_precision INTO NEW.event_date_start, NEW.event_date_precision
        FROM cases_event WHERE id = NEW.event_id;
    SELECT date_start, date_end, date_precision
        INTO NEW.last_report_date_start, NEW.last_report_date_end, NEW.last_report_date_precision
        FROM cases_event WHERE id = NEW.last_report_id;
    SELECT sentence_months, sentence_days INTO NEW.sentence_event_months, NEW.sentence_event_days
        FROM cases_event WHERE id = NEW.sentence_event_id;
    RETURN NEW;
END
$$
"""

CASE_COPY_FUNCTIONS = [
    """
CREATE FUNCTION cases_case_people_copy_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT slug, is_published INTO NEW.case_slug, NEW.case_is_published FROM cases_case WHERE id = NEW.case_id;
    RETURN NEW;
END
$$
""",
    """
CREATE FUNCTION cases_case_copy_to_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.slug IS NOT DISTINCT FROM NEW.slug
            AND OLD.is_published IS NOT DISTINCT FROM NEW.is_published THEN
        RETURN NULL;
    END IF;
    -- A new case too: a link written before its case (the foreign key is checked at commit).
    UPDATE cases_case_people SET case_slug = NEW.slug, case_is_published = NEW.is_published
        WHERE case_id = NEW.id;
    RETURN NULL;
END
$$
""",
]

FORWARD = [
    "ALTER TABLE cases_custodyspan " + ", ".join(f"ADD COLUMN {name} {kind}" for name, kind in COPIES.items()),
    COPY_FUNCTION,
    "CREATE TRIGGER cases_span_copy_events BEFORE INSERT OR UPDATE OF event_id, last_report_id, sentence_event_id"
    " ON cases_custodyspan FOR EACH ROW EXECUTE FUNCTION cases_span_copy_events()",
    # The spans already written: one pass (the trigger fires for the columns it names).
    "UPDATE cases_custodyspan SET event_id = event_id",
    "DROP INDEX cases_span_open_person",
    f"CREATE INDEX cases_span_open_person ON cases_custodyspan (person_id) INCLUDE ({OPEN_SPAN_ROW}, "
    f"{', '.join(COPIES)}) WHERE valid_until IS NULL",
    "ALTER TABLE cases_case_people ADD COLUMN case_slug varchar(200), ADD COLUMN case_is_published boolean",
    *CASE_COPY_FUNCTIONS,
    "CREATE TRIGGER cases_case_people_copy_case BEFORE INSERT OR UPDATE OF case_id ON cases_case_people"
    " FOR EACH ROW EXECUTE FUNCTION cases_case_people_copy_case()",
    "CREATE TRIGGER cases_case_copy_to_people AFTER INSERT OR UPDATE OF slug, is_published ON cases_case"
    " FOR EACH ROW EXECUTE FUNCTION cases_case_copy_to_people()",
    "UPDATE cases_case_people SET case_slug = c.slug, case_is_published = c.is_published"
    " FROM cases_case c WHERE c.id = cases_case_people.case_id",
    "CREATE INDEX cases_case_people_public_slugs ON cases_case_people (person_id, case_slug) WHERE case_is_published",
]

BACKWARD = [
    "DROP INDEX cases_case_people_public_slugs",
    "DROP TRIGGER cases_case_copy_to_people ON cases_case",
    "DROP TRIGGER cases_case_people_copy_case ON cases_case_people",
    "DROP FUNCTION cases_case_copy_to_people()",
    "DROP FUNCTION cases_case_people_copy_case()",
    "ALTER TABLE cases_case_people DROP COLUMN case_slug, DROP COLUMN case_is_published",
    "DROP INDEX cases_span_open_person",
    f"CREATE INDEX cases_span_open_person ON cases_custodyspan (person_id) INCLUDE ({OPEN_SPAN_ROW})"
    " WHERE valid_until IS NULL",
    "DROP TRIGGER cases_span_copy_events ON cases_custodyspan",
    "DROP FUNCTION cases_span_copy_events()",
    "ALTER TABLE cases_custodyspan " + ", ".join(f"DROP COLUMN {name}" for name in COPIES),
]


def run(statements):
    def on_postgresql(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return on_postgresql


class Migration(migrations.Migration):
    dependencies = [("cases", "0036_statistics_by_country_and_role")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
