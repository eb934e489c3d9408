"""Fill `search_text` for records that existed before it did."""

from django.db import migrations

from cases.search import build_search_text


def public_names(record, withheld: bool) -> list[str]:
    # Mirrors Person.search_names(): a withheld name is searchable by its alias alone.
    if withheld:
        return [record.public_alias]
    return [record.name, *(variant.name for variant in record.name_variants.all())]


def backfill(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    Organization = apps.get_model("cases", "Organization")
    Case = apps.get_model("cases", "Case")
    for model in (Person, Organization):
        records = list(model.objects.prefetch_related("name_variants"))
        for record in records:
            record.search_text = build_search_text(public_names(record, getattr(record, "name_withheld", False)))
        model.objects.bulk_update(records, ["search_text"], batch_size=500)
    cases = list(Case.objects.all())
    for case in cases:
        case.search_text = build_search_text([case.title])
    Case.objects.bulk_update(cases, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_search_text_fields")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
