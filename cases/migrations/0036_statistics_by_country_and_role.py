"""The statistics of the published people of each country and of each role, kept like those of all of
them (cases.statistics `figures`): a page filtered by a country or a role alone adds up a few hundred
rows instead of summing the spans and categories of tens of thousands of people.

On PostgreSQL, an index of the published people with what a filtered statistics page weighs each by
(`summed_for`): their identity, group size and whether it is a minimum, and the end of their latest
custody report. People found through another table (the spans holding on a status date, a charge's
cases) are joined with it in the id order of both, read without the table, instead of hashing every
published person's row."""

from django.db import migrations, models
from django.db.models import Q

WEIGHTS = ["identity", "group_size", "group_size_is_minimum", "current_report_end"]
SLICES = [("country", "country"), ("role", "role")]


def count(apps, schema_editor):
    # As cases.custody and cases.statistics count them, kept in step from here on (as migration 0030
    # counts the people's categories).
    from cases.custody import rebuild_slice_month_tally
    from cases.statistics import rebuild_slice_category_tally

    rebuild_slice_month_tally()
    rebuild_slice_category_tally()


def weights_index():
    return models.Index(
        fields=["id"], include=WEIGHTS, condition=Q(is_published=True), name="cases_person_published_weights"
    )


def add_index(apps, schema_editor):
    # SQLite has no covering indexes (INCLUDE); its statistics are small.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Person"), weights_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "Person"), weights_index())


class Migration(migrations.Migration):
    dependencies = [("cases", "0035_search_text_statistics")]

    operations = [
        migrations.CreateModel(
            name="SliceCategoryTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slice", models.CharField(choices=SLICES, max_length=10)),
                ("value", models.CharField(max_length=30)),
                ("kind", models.CharField(choices=[("charge", "charge"), ("theme", "theme")], max_length=10)),
                ("category_id", models.PositiveIntegerField()),
                ("cases", models.PositiveIntegerField(default=0)),
                ("individuals", models.PositiveIntegerField(default=0)),
                ("minimums", models.PositiveIntegerField(default=0, help_text="Groups whose size is a minimum.")),
                ("unknown_groups", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "category tally of a slice",
                "verbose_name_plural": "category tallies of slices",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("slice__in", ["country", "role"])),
                        name="cases_slice_category_tally_slice_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["charge", "theme"])),
                        name="cases_slice_category_tally_kind_valid",
                    ),
                    models.UniqueConstraint(
                        fields=("slice", "value", "kind", "category_id"), name="cases_slice_category_tally_one_row"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SliceMonthTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slice", models.CharField(choices=SLICES, max_length=10)),
                ("value", models.CharField(max_length=30)),
                (
                    "kind",
                    models.PositiveSmallIntegerField(choices=[(0, "begun"), (1, "ended"), (2, "unconfirmed from")]),
                ),
                ("month", models.PositiveIntegerField(help_text="year × 12 + month − 1")),
                ("individuals", models.IntegerField(default=0)),
                ("minimums", models.IntegerField(default=0, help_text="Groups whose size is a minimum.")),
                ("unknown_groups", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "custody month tally of a slice",
                "verbose_name_plural": "custody month tallies of slices",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("slice__in", ["country", "role"])),
                        name="cases_slice_month_tally_slice_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", [0, 1, 2])), name="cases_slice_month_tally_kind_valid"
                    ),
                    models.UniqueConstraint(
                        fields=("slice", "value", "kind", "month"), name="cases_slice_month_tally_one_row"
                    ),
                ],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
        migrations.RunPython(add_index, remove_index),
    ]
