"""On PostgreSQL, the indexes the people export reads a person's row from without visiting the tables
(cases.export_sql): the open custody span with what the row shows of it, the name variants in the
model's order with their language, and the published cases' slugs by their people. Per chunk of
1,000 people each look-up is index-only; the export streamed 9,000 -> 11,700 and 16,800 -> 20,600
CSV rows/s in two pairs of runs at 100,000 people.

The published cases' ids with their slugs serve all that 0028's index of their ids alone did, which
goes."""

from django.db import migrations, models
from django.db.models import Q

SPAN_ROW = [
    "state", "event", "since_end", "last_report", "began", "sentence_event", "expected_end_start",
    "expected_end_end", "expected_end_precision", "began_by_start", "began_by_end", "began_by_precision",
]  # fmt: skip


def export_indexes(apps):
    case_people = apps.get_model("cases", "Case").people.through
    return [
        (
            apps.get_model("cases", "CustodySpan"),
            models.Index(
                fields=["person"], include=SPAN_ROW, condition=Q(valid_until__isnull=True), name="cases_span_open_person"
            ),
        ),
        (
            apps.get_model("cases", "NameVariant"),
            models.Index(
                fields=["person", "name", "id"],
                include=["language"],
                condition=Q(person__isnull=False),
                name="cases_variant_person_order",
            ),
        ),
        (case_people, models.Index(fields=["person", "case"], name="cases_case_people_person")),
        (
            apps.get_model("cases", "Case"),
            models.Index(
                fields=["id"], include=["slug"], condition=Q(is_published=True), name="cases_case_published_slug"
            ),
        ),
    ]


def add_indexes(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE), and writes its exports in Python.
    if schema_editor.connection.vendor == "postgresql":
        for model, index in export_indexes(apps):
            schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in export_indexes(apps):
            schema_editor.remove_index(model, index)


def published_case_ids(apps):
    index = models.Index(fields=["id"], condition=Q(is_published=True), name="cases_case_published_id")
    return apps.get_model("cases", "Case"), index


def drop_published_case_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(*published_case_ids(apps))


def restore_published_case_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(*published_case_ids(apps))


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_person_categories")]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes),
        migrations.RunPython(drop_published_case_ids, restore_published_case_ids),
    ]
