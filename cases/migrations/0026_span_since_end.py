from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_since_end(apps, schema_editor):
    CustodySpan = apps.get_model("cases", "CustodySpan")
    Event = apps.get_model("cases", "Event")
    CustodySpan.objects.update(since_end=Subquery(Event.objects.filter(pk=OuterRef("event_id")).values("date_end")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_event_dates_covering_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="custodyspan",
            name="since_end",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(copy_since_end, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="custodyspan",
            name="since_end",
            field=models.DateField(help_text="The end of the setting event's date (copied from the event)."),
        ),
    ]
