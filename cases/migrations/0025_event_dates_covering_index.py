"""On PostgreSQL, an index that holds each event's date and sentence beside its id: the people
export reads these for the custody of every person it writes, from this index alone instead of
the wide event rows (cases.exports.person_chunks)."""

from django.db import migrations, models


def event_dates_index():
    return models.Index(
        fields=["id"],
        include=["date_start", "date_end", "date_precision", "sentence_months", "sentence_days"],
        name="cases_event_dates",
    )


def add_index(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its lists are small.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Event"), event_dates_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "Event"), event_dates_index())


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_charge_people")]

    operations = [migrations.RunPython(add_index, remove_index)]
