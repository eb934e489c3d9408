"""Events become searchable: their description folded as names are (cases.search), with a
trigram index on PostgreSQL like the names' (see 0003)."""

from django.db import migrations, models

INDEX_NAME = "cases_event_search_trgm"


def fold_descriptions(apps, schema_editor):
    from cases.search import build_search_text

    Event = apps.get_model("cases", "Event")
    events = list(Event.objects.only("pk", "description"))
    for event in events:
        event.search_text = build_search_text([event.description])
    Event.objects.bulk_update(events, ["search_text"], batch_size=500)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        index = GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name=INDEX_NAME)
        schema_editor.add_index(apps.get_model("cases", "Event"), index)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        index = GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name=INDEX_NAME)
        schema_editor.remove_index(apps.get_model("cases", "Event"), index)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_custody_span_last_report")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The description folded for search (see cases.search); kept up to date automatically.",
                verbose_name="search text",
            ),
        ),
        migrations.RunPython(fold_descriptions, migrations.RunPython.noop),
        migrations.RunPython(add_index, remove_index),
    ]
