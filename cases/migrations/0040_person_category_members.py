"""The people of a charge or theme, read by the category (`PersonQuerySet.filed_under_id`): an index,
and on PostgreSQL statistics of the kind and the category together. A charge's and a theme's ids
overlap, so apart the planner took the rows of charge 1 for those of charge 1 and theme 1 (23,000
of 4,800) and hashed every published person instead of looking up the few."""

from django.db import migrations, models

STATISTICS = "cases_person_category_kind_and_id"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE STATISTICS {STATISTICS} (mcv) ON kind, category_id FROM cases_personcategory")
        schema_editor.execute("ANALYZE cases_personcategory")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0039_period_person_copies")]

    operations = [
        migrations.AddIndex(
            model_name="personcategory",
            index=models.Index(fields=["kind", "category_id", "person"], name="cases_person_category_members"),
        ),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
