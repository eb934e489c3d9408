"""The statistics of the published people in custody on a date, kept as a monthly snapshot and each
person's and case's share of it (cases.figures_on_a_date): a statistics page filtered by custody on a
date alone reads a month's snapshot and the shares changed since, instead of summing the spans and
categories of tens of thousands of people."""

from django.db import migrations, models


def count(apps, schema_editor):
    # As cases.figures_on_a_date counts them, kept in step from here on (as migration 0036 counts the
    # statistics of each country and role).
    from cases.figures_on_a_date import rebuild_figures_on_a_date

    rebuild_figures_on_a_date()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0037_export_event_and_case_copies"),
    ]

    operations = [
        migrations.CreateModel(
            name="FigureInterval",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("holder", models.PositiveSmallIntegerField(choices=[(0, "person"), (1, "case")])),
                ("holder_id", models.PositiveIntegerField(help_text="The person's or the case's id.")),
                ("valid_from", models.DateField()),
                ("valid_until", models.DateField(blank=True, help_text="Exclusive; empty while it holds.", null=True)),
            ],
            options={
                "verbose_name": "interval of a share of the statistics",
                "verbose_name_plural": "intervals of shares of the statistics",
                "indexes": [
                    models.Index(fields=["holder", "holder_id"], name="cases_figure_interval_holder"),
                    models.Index(fields=["valid_from"], name="cases_figure_interval_from"),
                    models.Index(fields=["valid_until"], name="cases_figure_interval_until"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("holder__in", [0, 1])), name="cases_figure_interval_holder_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True), ("valid_until__gt", models.F("valid_from")), _connector="OR"
                        ),
                        name="cases_figure_interval_date_order",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FigureShare",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "part",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "custody begun in the month"),
                            (1, "custody ended in the month"),
                            (2, "custody unconfirmed from the month"),
                            (3, "shared cases under the charge"),
                            (4, "people under the charge"),
                            (5, "shared cases under the theme"),
                            (6, "people under the theme"),
                            (7, "the people"),
                        ]
                    ),
                ),
                (
                    "key",
                    models.IntegerField(
                        help_text="The month index (year × 12 + month − 1), or the charge's or theme's id."
                    ),
                ),
                ("cases", models.IntegerField(default=0)),
                ("individuals", models.IntegerField(default=0)),
                ("minimums", models.IntegerField(default=0, help_text="Groups whose size is a minimum.")),
                ("unknown_groups", models.IntegerField(default=0)),
                ("holder", models.PositiveSmallIntegerField(choices=[(0, "person"), (1, "case")])),
                ("holder_id", models.PositiveIntegerField(help_text="The person's or the case's id.")),
            ],
            options={
                "verbose_name": "share of the statistics",
                "verbose_name_plural": "shares of the statistics",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("holder__in", [0, 1])), name="cases_figure_share_holder_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("part__in", [0, 1, 2, 3, 4, 5, 6, 7])), name="cases_figure_share_part_valid"
                    ),
                    models.UniqueConstraint(
                        fields=("holder", "holder_id", "part", "key"), name="cases_figure_share_one_row"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FigureSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "part",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "custody begun in the month"),
                            (1, "custody ended in the month"),
                            (2, "custody unconfirmed from the month"),
                            (3, "shared cases under the charge"),
                            (4, "people under the charge"),
                            (5, "shared cases under the theme"),
                            (6, "people under the theme"),
                            (7, "the people"),
                        ]
                    ),
                ),
                (
                    "key",
                    models.IntegerField(
                        help_text="The month index (year × 12 + month − 1), or the charge's or theme's id."
                    ),
                ),
                ("cases", models.IntegerField(default=0)),
                ("individuals", models.IntegerField(default=0)),
                ("minimums", models.IntegerField(default=0, help_text="Groups whose size is a minimum.")),
                ("unknown_groups", models.IntegerField(default=0)),
                ("month", models.PositiveIntegerField(help_text="year × 12 + month − 1")),
            ],
            options={
                "verbose_name": "monthly snapshot of the statistics",
                "verbose_name_plural": "monthly snapshots of the statistics",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("part__in", [0, 1, 2, 3, 4, 5, 6, 7])),
                        name="cases_figure_snapshot_part_valid",
                    ),
                    models.UniqueConstraint(fields=("month", "part", "key"), name="cases_figure_snapshot_one_row"),
                ],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
