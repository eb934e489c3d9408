"""Each source stores what it supports in public, with the first cases of it the sources list names
(SourceQuerySet.refresh_support keeps them in step), filled here for the sources there are."""

from django.db import migrations, models
from django.db.models import Count, F, Max, Q

# cases.models.sources.FIRST_CASES_STORED when this was written.
FIRST_CASES_STORED = 10


def store_support(apps, schema_editor):
    """What SourceQuerySet.refresh_support stores, for every source, in two grouped reads."""
    Source = apps.get_model("cases", "Source")
    Citation = apps.get_model("cases", "Citation")
    cited = Citation.objects.filter(
        Q(event__is_published=True)
        & (Q(event__case__isnull=True) | Q(event__case__is_published=True))
        & (Q(event__person__isnull=True) | Q(event__person__is_published=True))
    ).order_by()
    totals = (
        cited.values("source_id")
        .annotate(
            events=Count("event", distinct=True),
            cases=Count("event__case", distinct=True),
            latest=Max("event__updated_at"),
        )
        .values_list("source_id", "events", "cases", "latest")
    )
    sources = {
        source: Source(pk=source, public_event_count=events, public_case_count=cases, public_support_updated_at=latest)
        for source, events, cases, latest in totals
    }
    for source in sources.values():
        source.public_first_cases = []
    # As cases.models.sources.first_of_each: numbered in SQL around the grouped query.
    pairs = (
        cited.exclude(event__case=None)
        .values(of_source=F("source_id"), of_case=F("event__case_id"), case_title=F("event__case__title"))
        .annotate(events=Count("event", distinct=True))
    )
    sql, params = pairs.query.sql_with_params()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT of_source, of_case, events FROM ("
            " SELECT of_source, of_case, events,"
            " ROW_NUMBER() OVER (PARTITION BY of_source ORDER BY case_title, of_case) AS place"
            f" FROM ({sql}) AS pairs"
            ") AS numbered WHERE place <= %s ORDER BY of_source, place",
            [*params, FIRST_CASES_STORED],
        )
        for source, case, events in cursor.fetchall():
            sources[source].public_first_cases.append([case, events])
    fields = ["public_event_count", "public_case_count", "public_support_updated_at", "public_first_cases"]
    Source.objects.bulk_update(sources.values(), fields, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0022_person_public_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='source',
            name='public_case_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='published cases supported'),
        ),
        migrations.AddField(
            model_name='source',
            name='public_event_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='published events supported'),
        ),
        migrations.AddField(
            model_name='source',
            name='public_support_updated_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='latest change of what it supports'),
        ),
        migrations.AddField(
            model_name='source',
            name='public_first_cases',
            field=models.JSONField(default=list, editable=False, verbose_name='first cases supported'),
        ),
        # Reversed, the fields go with what they held.
        migrations.RunPython(store_support, migrations.RunPython.noop),
    ]
