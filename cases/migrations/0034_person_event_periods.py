"""When each person's published events may have happened (PersonEventPeriod), which the people list
filtered by a period reads; on PostgreSQL, with an index of them as date ranges."""

import django.db.models.deletion
from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GistIndex
from django.db import migrations, models


def period_index():
    period = models.Func(
        models.F("date_start"),
        models.F("date_end"),
        models.Value("[]"),
        function="daterange",
        output_field=DateRangeField(),
    )
    return GistIndex(period, include=["person"], name="cases_person_event_period")


def add_index(apps, schema_editor):
    # SQLite has no range types; it compares the two dates.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "PersonEventPeriod"), period_index())
        # Its statistics of the ranges are what the planner counts a period's rows by.
        schema_editor.execute("ANALYZE cases_personeventperiod")


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "PersonEventPeriod"), period_index())


class Migration(migrations.Migration):
    dependencies = [("cases", "0033_span_expected_end_index")]

    operations = [
        migrations.CreateModel(
            name="PersonEventPeriod",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date_start", models.DateField()),
                ("date_end", models.DateField()),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.person"
                    ),
                ),
            ],
            options={
                "verbose_name": "period of a person's event",
                "verbose_name_plural": "periods of people's events",
                "indexes": [
                    models.Index(fields=["person", "date_start", "date_end"], name="cases_person_event_periods")
                ],
            },
        ),
        # The rows are written by migration 0039, with the copies of their people it adds, which
        # PersonEventPeriod.objects.rewrite writes now (cases.custody keeps them from there on).
        migrations.RunPython(add_index, remove_index),
    ]
