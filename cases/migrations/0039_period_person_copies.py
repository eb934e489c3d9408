"""The periods of a person's events merged where they overlap, each stretch with the start of the next,
and with what it copies of its person (PersonEventPeriod.PERSON_COPIES): their publication, their
weights and their custody at last report. The people list of a period counts its people and their
headcounts from each one's last stretch within it alone, not by joining every published person. The
rows are written anew, in the order of their dates."""

from django.db import migrations, models

from cases.choices import CustodyState

# The range index of migration 0034, dropped while the rows are written anew and built after.
PERIOD_INDEX = "cases_person_event_period"


def write(apps, schema_editor):
    # As cases.custody keeps them from here on, with the spans (as migration 0034 wrote them first).
    from cases.models import PersonEventPeriod

    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [PERIOD_INDEX])
            (definition,) = cursor.fetchone()
        schema_editor.execute(f"DROP INDEX {PERIOD_INDEX}")
        # Emptied at once, not row by row: the table is written whole again, without the dead rows.
        schema_editor.execute("TRUNCATE cases_personeventperiod")
    PersonEventPeriod.objects.rewrite()
    if postgresql:
        # The rows' foreign keys are checked now: a table cannot be indexed while checks wait for the commit.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(definition)
        schema_editor.execute("ANALYZE cases_personeventperiod")


class Migration(migrations.Migration):
    dependencies = [("cases", "0038_statistics_on_a_date")]

    operations = [
        migrations.AddField(
            model_name="personeventperiod",
            name="next_start",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="personeventperiod",
            name="person_published",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="personeventperiod",
            name="individuals",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="personeventperiod",
            name="minimums",
            field=models.PositiveIntegerField(default=0, help_text="Groups whose size is a minimum."),
        ),
        migrations.AddField(
            model_name="personeventperiod",
            name="unknown_groups",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="personeventperiod",
            name="current_custody",
            field=models.CharField(choices=CustodyState.choices, default=CustodyState.UNKNOWN, max_length=30),
        ),
        migrations.AddField(
            model_name="personeventperiod",
            name="current_report_end",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="personeventperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(current_custody__in=CustodyState.values), name="cases_period_current_custody_valid"
            ),
        ),
        migrations.RunPython(write, migrations.RunPython.noop),
    ]
