"""On PostgreSQL, the people's and cases' search text back to the default planner statistics (100
entries); the events keep the thousand of `0035`. Estimating a name's matches compares it with
each entry: with a thousand, planning a name's search took 5–6 ms on the people (reading its
matches, 10 ms) and 10–12 ms on the cases, for the same plans: a name's matches are read from the
trigram index and ranked, whatever their number. An events search chooses between that and walking
every event newest first, which the finer estimate decides."""

from django.db import migrations

TABLES = ["cases_person", "cases_case"]


def set_statistics(target: int):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS {target}")
        schema_editor.execute(f"ANALYZE {', '.join(TABLES)}")

    return change


class Migration(migrations.Migration):
    dependencies = [("cases", "0040_person_category_members")]

    operations = [migrations.RunPython(set_statistics(-1), set_statistics(1000))]
