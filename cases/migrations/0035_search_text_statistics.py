"""On PostgreSQL, finer planner statistics of the folded search text: how many events a word
matches is estimated from the sample's histogram, which at the default hundred entries jumps
between nothing and 2 %. For "bokaev", with 4,000 matching events among 1.5 million, one sample
said 147, where reading their keys from the trigram index and sorting them is quick, and another
said 30,000, where walking every event newest first until a thousand match looked quicker, and
read 370,000 events (1.2 s). A thousand entries estimate it within a few per cent."""

from django.db import migrations

TABLES = ["cases_event", "cases_person", "cases_case"]


def set_statistics(target: int):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS {target}")
        schema_editor.execute(f"ANALYZE {', '.join(TABLES)}")

    return change


class Migration(migrations.Migration):
    dependencies = [("cases", "0034_person_event_periods")]

    operations = [migrations.RunPython(set_statistics(1000), set_statistics(-1))]
