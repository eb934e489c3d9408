"""On PostgreSQL, what the people export reads of a custody span's three events, copied onto the span:
the date of the event that set it, the date of its latest report, the sentence of its sentencing
event. A chunk of 1,000 people looked up some 2,900 events in the events' index, a sixth of its
query's time (PersonQuerySet.with_custody(span_copies=True), cases.export_sql).

A trigger fills the copies whenever a span is written or pointed at other events: spans are only
ever derived anew when their events change (cases.custody.sync_custody_spans deletes and inserts
them), as their copy of the setting event's end (`since_end`) already is. The index the export reads
the open span from holds the copies too, so that look-up stays index-only.

Columns of the database only, not of the model: SQLite writes its exports in Python, from the events.
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
]

BACKWARD = [
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
    dependencies = [("cases", "0033_span_expected_end_index")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
