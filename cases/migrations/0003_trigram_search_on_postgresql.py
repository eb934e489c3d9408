"""On PostgreSQL: pg_trgm and a GIN trigram index on each `search_text`, for substring and similarity search.

Elsewhere (SQLite) both steps do nothing: search there scans the folded text, which is fine at its scale.
The indexes live outside the model state because they exist on one database vendor only.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXED = {"person": "cases_person_search_trgm", "organization": "cases_org_search_trgm", "case": "cases_case_search_trgm"}


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """Django's operation skips other databases going forwards, but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_indexes(apps):
    for model_name, index_name in INDEXED.items():
        index = GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name=index_name)
        yield apps.get_model("cases", model_name), index


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in trigram_indexes(apps):
            schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in trigram_indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    # 0010 filled the search text of records made before it; a new database has none.
    replaces = [("cases", "0010_backfill_search_text"), ("cases", "0011_trigram_search_indexes")]

    dependencies = [("cases", "0002_roles")]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
