"""On PostgreSQL: a GIN trigram index on each text the admin's search box matches, upper-cased as
Django's `icontains` compares it, so a search reads the index instead of every row (1.5 million
event descriptions, 1.65 million quotes at 100,000 people). Elsewhere nothing: see 0003.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

# (model, field, index name): the fields of each admin's `search_fields`, across relations too.
INDEXED = [
    ("person", "name", "cases_person_name_upper_trgm"),
    ("person", "slug", "cases_person_slug_upper_trgm"),
    ("person", "location", "cases_person_place_upper_trgm"),
    ("namevariant", "name", "cases_variant_name_upper_trgm"),
    ("organization", "name", "cases_org_name_upper_trgm"),
    ("organization", "slug", "cases_org_slug_upper_trgm"),
    ("case", "title", "cases_case_title_upper_trgm"),
    ("case", "slug", "cases_case_slug_upper_trgm"),
    ("event", "description", "cases_event_text_upper_trgm"),
    ("citation", "quote", "cases_quote_upper_trgm"),
]


def trigram_indexes(apps):
    for model_name, field, index_name in INDEXED:
        index = GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=index_name)
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
    dependencies = [("cases", "0015_person_public_name_index")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
