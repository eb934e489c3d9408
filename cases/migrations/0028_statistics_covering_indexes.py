"""On PostgreSQL, two indexes the filtered statistics read instead of wide rows (cases.statistics
`summed_for`): the ids of the published cases, which their people's links are joined with, and
each person's spans in custody with their dates, which the months are summed from."""

from django.db import migrations, models
from django.db.models import Q

from cases.choices import IN_CUSTODY_STATES


def statistics_indexes():
    return [
        ("Case", models.Index(fields=["id"], condition=Q(is_published=True), name="cases_case_published_id")),
        (
            "CustodySpan",
            models.Index(
                fields=["person"],
                include=["valid_from", "valid_until"],
                condition=Q(state__in=sorted(IN_CUSTODY_STATES)),
                name="cases_span_custody_person",
            ),
        ),
    ]


def add_indexes(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its statistics are small.
    if schema_editor.connection.vendor == "postgresql":
        for model, index in statistics_indexes():
            schema_editor.add_index(apps.get_model("cases", model), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in statistics_indexes():
            schema_editor.remove_index(apps.get_model("cases", model), index)


class Migration(migrations.Migration):
    dependencies = [("cases", "0027_citation_source_statistics")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
