"""Each person carries the end of the date of the event that set their open custody span
(cases.custody keeps it in step), filled here; on PostgreSQL, an index in the order the people
list's `?sort=latest` reads without a status date."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def latest_change_index():
    # The order of `?sort=latest` (cases.filters.PersonFilter): newest first, no custody last.
    return models.Index(
        models.OrderBy(models.F("current_since_end"), descending=True, nulls_last=True),
        models.Case(models.When(name_withheld=True, then=models.F("public_alias")), default=models.F("name")),
        models.F("id"),
        condition=Q(is_published=True),
        name="cases_person_latest_change",
    )


def add_index(apps, schema_editor):
    # SQLite cannot index NULLS LAST; its lists are small enough to sort.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Person"), latest_change_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "Person"), latest_change_index())


def copy_since_end(apps, schema_editor):
    """What cases.custody.copy_custody_now copies, for every person (one UPDATE)."""
    Person = apps.get_model("cases", "Person")
    CustodySpan = apps.get_model("cases", "CustodySpan")
    open_span = CustodySpan.objects.filter(person=OuterRef("pk"), valid_until__isnull=True)
    Person.objects.update(current_since_end=Subquery(open_span.values("event__date_end")[:1]))


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_public_country")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="current_since_end",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_since_end, migrations.RunPython.noop),
        migrations.RunPython(add_index, remove_index),
    ]
