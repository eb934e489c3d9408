import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def last_report_is_the_setting_event(apps, schema_editor):
    # The setting event is a report of its state, so this never claims a fresher report than
    # the records hold; `manage.py rebuild_custody_spans` then finds the later confirming ones.
    apps.get_model("cases", "CustodySpan").objects.update(last_report=F("event"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_russian_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="custodyspan",
            name="last_report",
            field=models.ForeignKey(
                blank=True,
                help_text="The latest event that reported this state: the setting event or a later one confirming it.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.event",
            ),
        ),
        migrations.RunPython(last_report_is_the_setting_event, migrations.RunPython.noop),
    ]
