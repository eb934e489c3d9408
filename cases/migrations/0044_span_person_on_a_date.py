"""On PostgreSQL, an index of the custody spans by person that holds what a list on a status date
reads of the span holding then: its dates, its state, its event's date end and the expected end of
its sentence. A search on a date (a few thousand people) then looks up each match's span from the
index alone; with a look-up priced as a read from the table, PostgreSQL joined the matches with
every span holding on the date instead (300,000 of them hashed, 35–45 ms a query, where the look-ups
take 5–10 ms)."""

from django.db import migrations, models

ON_A_DATE = ["valid_from", "valid_until", "state", "since_end", "expected_end_start", "expected_end_end"]


def span_index():
    return models.Index(fields=["person"], include=ON_A_DATE, name="cases_span_person_on_a_date")


def add_index(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its lists are small.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "CustodySpan"), span_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "CustodySpan"), span_index())


class Migration(migrations.Migration):
    dependencies = [("cases", "0043_trigram_comparison_costs")]

    operations = [migrations.RunPython(add_index, remove_index)]
