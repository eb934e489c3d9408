"""Each charge's first people by public name, for its page (cases.statistics.refresh_charge_people
keeps them in step), stored here for the charges there are."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Case, F, When

# cases.models.cases.FIRST_PEOPLE_STORED when this was written.
FIRST_PEOPLE_STORED = 51


def store_first_people(apps, schema_editor):
    """What cases.statistics.refresh_charge_people stores, for every charge."""
    Charge = apps.get_model("cases", "Charge")
    ChargePeople = apps.get_model("cases", "ChargePeople")
    CaseRecord = apps.get_model("cases", "Case")
    Person = apps.get_model("cases", "Person")
    # The public name (PersonQuerySet.sort_name_expression), so that its index is read.
    public_name = Case(When(name_withheld=True, then=F("public_alias")), default=F("name"))
    rows = []
    for charge in Charge.objects.values_list("pk", flat=True):
        cases = CaseRecord.objects.filter(is_published=True, charges=charge).values("people")
        charged = Person.objects.filter(is_published=True, pk__in=cases).order_by(public_name, "pk")
        if first := list(charged.values_list("pk", flat=True)[:FIRST_PEOPLE_STORED]):
            rows.append(ChargePeople(charge_id=charge, first_people=first))
    ChargePeople.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0023_source_support'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChargePeople',
            fields=[
                ('charge', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='cases.charge')),
                ('first_people', models.JSONField(default=list)),
            ],
            options={
                'verbose_name': 'first people of a charge',
                'verbose_name_plural': 'first people of charges',
            },
        ),
        # Reversed, the table goes with what it held.
        migrations.RunPython(store_first_people, migrations.RunPython.noop),
    ]
