"""On PostgreSQL, two indexes of the custody spans by their event's date end, newest first, that the
people list sorted by latest change on a status date reads a page from (PersonQuerySet.keys_between):
every span, walked down from the date; and the few spans that began before their event's date was
over (an event dated "2018" holds from its start), which may hold on a date their event ends after.
Each holds the columns that say whether the span holds on the date, and whose it is."""

from django.db import migrations, models
from django.db.models import F, Q

HOLDS = ["person", "valid_from", "valid_until"]


def since_end_indexes():
    newest_first = F("since_end").desc(nulls_last=True)
    return [
        models.Index(newest_first, include=HOLDS, name="cases_span_since_end"),
        models.Index(
            newest_first,
            include=HOLDS,
            condition=Q(valid_from__lt=F("since_end")),
            name="cases_span_straddling_since_end",
        ),
    ]


def add_indexes(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its lists are small.
    if schema_editor.connection.vendor == "postgresql":
        for index in since_end_indexes():
            schema_editor.add_index(apps.get_model("cases", "CustodySpan"), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in since_end_indexes():
            schema_editor.remove_index(apps.get_model("cases", "CustodySpan"), index)


class Migration(migrations.Migration):
    dependencies = [("cases", "0031_export_covering_indexes")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
