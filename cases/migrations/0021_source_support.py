"""Each source stores what it supports in public, and a row for each published case it supports
(SourceQuerySet.refresh_support keeps them in step), filled here for the sources there are."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def store_support(apps, schema_editor):
    """What SourceQuerySet.refresh_support stores, for every source."""
    Source = apps.get_model("cases", "Source")
    SourceCase = apps.get_model("cases", "SourceCase")
    Citation = apps.get_model("cases", "Citation")
    cited = Citation.objects.filter(
        Q(event__is_published=True)
        & (Q(event__case__isnull=True) | Q(event__case__is_published=True))
        & (Q(event__person__isnull=True) | Q(event__person__is_published=True))
    ).order_by()
    of_source = cited.filter(source=OuterRef("pk")).values("source")
    Source.objects.update(
        public_event_count=Coalesce(Subquery(of_source.annotate(n=Count("event", distinct=True)).values("n")), 0),
        public_case_count=Coalesce(Subquery(of_source.annotate(n=Count("event__case", distinct=True)).values("n")), 0),
        public_support_updated_at=Subquery(of_source.annotate(latest=Max("event__updated_at")).values("latest")),
    )
    pairs = (
        cited.exclude(event__case=None)
        .values_list("source_id", "event__case_id", "event__case__title")
        .annotate(events=Count("event", distinct=True))
    )
    SourceCase.objects.bulk_create(
        (SourceCase(source_id=source, case_id=case, case_title=title, events=events) for source, case, title, events in pairs.iterator()),
        batch_size=5000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0020_person_current_expected_end'),
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
        migrations.CreateModel(
            name='SourceCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_title', models.CharField(max_length=300)),
                ('events', models.PositiveIntegerField()),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.case')),
                ('source', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='public_cases', to='cases.source')),
            ],
            options={
                'verbose_name': 'case a source supports',
                'verbose_name_plural': 'cases a source supports',
                'indexes': [models.Index(fields=['source', 'case_title', 'case'], name='cases_sourcecase_by_title')],
                'constraints': [models.UniqueConstraint(fields=('source', 'case'), name='cases_sourcecase_once')],
            },
        ),
        migrations.RunPython(store_support, migrations.RunPython.noop),
    ]
