"""Each person's charges and themes, and the links of the cases naming several people, which a
filtered statistics page counts its people's categories by (cases.statistics `summed_for`); on
PostgreSQL, an index holding a person's whole rows, read without the table."""

import django.db.models.deletion
from django.db import migrations, models


def count(apps, schema_editor):
    # As cases.statistics counts them, kept in step from here on (as migration 0017 counts the
    # category tally).
    from cases.statistics import rebuild_person_categories

    rebuild_person_categories()


def person_rows_index():
    return models.Index(
        fields=["person"], include=["kind", "category_id", "solo_cases"], name="cases_person_category_rows"
    )


def add_index(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its statistics are small.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "PersonCategory"), person_rows_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "PersonCategory"), person_rows_index())


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0029_event_newest_of_people"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonCategory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("charge", "charge"), ("theme", "theme")], max_length=10)),
                ("category_id", models.PositiveIntegerField()),
                (
                    "solo_cases",
                    models.PositiveIntegerField(
                        default=0, help_text="Of the person's cases, those naming no one else."
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.person"
                    ),
                ),
            ],
            options={
                "verbose_name": "person's category",
                "verbose_name_plural": "people's categories",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["charge", "theme"])), name="cases_person_category_kind_valid"
                    ),
                    models.UniqueConstraint(
                        fields=("person", "kind", "category_id"), name="cases_person_category_one_row"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SharedCaseLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "case",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.case"),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.person"
                    ),
                ),
            ],
            options={
                "verbose_name": "shared case link",
                "verbose_name_plural": "shared case links",
                "constraints": [
                    models.UniqueConstraint(fields=("person", "case"), name="cases_shared_case_link_one_row")
                ],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
        # Built after the rows are written: cheaper than adding half a million rows to it.
        migrations.RunPython(add_index, remove_index),
    ]
