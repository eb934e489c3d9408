"""On PostgreSQL, an index of the custody spans with an expected end, soonest first, that the people
list sorted by expected end on a status date reads a page from (PersonQuerySet.keys_between). It
holds the columns that say whether the span holds on the date, and whose it is."""

from django.db import migrations, models
from django.db.models import Q

HOLDS = ["person", "valid_from", "valid_until"]


def expected_end_index():
    return models.Index(
        fields=["expected_end_end", "expected_end_start"],
        include=HOLDS,
        condition=Q(expected_end_end__isnull=False),
        name="cases_span_expected_end",
    )


def add_index(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its lists are small.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "CustodySpan"), expected_end_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "CustodySpan"), expected_end_index())


class Migration(migrations.Migration):
    dependencies = [("cases", "0032_span_since_end_indexes")]

    operations = [migrations.RunPython(add_index, remove_index)]
