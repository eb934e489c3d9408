"""Each case stores the date of its newest published event (CaseQuerySet.refresh_latest_event keeps it
in step), filled here for the cases there are; on PostgreSQL, an index in the order `?sort=latest` reads."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


def latest_event_index():
    # The order of `?sort=latest` (cases.filters): newest first, cases with no event last.
    return models.Index(
        models.OrderBy(models.F("latest_event_end"), descending=True, nulls_last=True),
        models.F("title"),
        models.F("id"),
        condition=Q(is_published=True),
        name="cases_case_latest_event",
    )


def add_index(apps, schema_editor):
    # SQLite cannot index NULLS LAST; its lists are small enough to sort.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Case"), latest_event_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "Case"), latest_event_index())


def store_latest_events(apps, schema_editor):
    """What CaseQuerySet.refresh_latest_event stores, for every case (one UPDATE)."""
    Case = apps.get_model("cases", "Case")
    Event = apps.get_model("cases", "Event")
    newest = (
        Event.objects.filter(case=OuterRef("pk"), is_published=True)
        .filter(Q(person__isnull=True) | Q(person__is_published=True))
        .order_by("-date_end", "-date_start", "-pk")
    )
    Case.objects.update(
        latest_event_start=Subquery(newest.values("date_start")[:1]),
        latest_event_end=Subquery(newest.values("date_end")[:1]),
        latest_event_precision=Coalesce(Subquery(newest.values("date_precision")[:1]), Value("")),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_public_generation'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='latest_event_end',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='latest event, latest date'),
        ),
        migrations.AddField(
            model_name='case',
            name='latest_event_precision',
            field=models.CharField(blank=True, choices=[('day', 'Day'), ('month', 'Month'), ('early', 'Early in the year'), ('mid', 'Mid-year'), ('late', 'Late in the year'), ('first_half', 'First half of the year'), ('second_half', 'Second half of the year'), ('year', 'Year'), ('range', 'Range')], editable=False, max_length=20, verbose_name='latest event, date precision'),
        ),
        migrations.AddField(
            model_name='case',
            name='latest_event_start',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='latest event, earliest date'),
        ),
        migrations.RunPython(store_latest_events, migrations.RunPython.noop),
        migrations.RunPython(add_index, remove_index),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(('latest_event_precision__in', ['day', 'month', 'early', 'mid', 'late', 'first_half', 'second_half', 'year', 'range', ''])), name='cases_case_latest_event_precision_valid'),
        ),
    ]
