from django.db import migrations

# PostgreSQL keeps the share of citations of every source among its statistics (all of them, up to
# 3,000 sources, instead of the hundred most cited). Without them it took a source of a few facts
# for an average one, and read its newest fact by walking a million events newest first past every
# other source's (15 s for the report's source among 100,000 demo people); with them it reads the
# source's own citations.
SET_STATISTICS = "ALTER TABLE cases_citation ALTER COLUMN source_id SET STATISTICS 3000"
RESET_STATISTICS = "ALTER TABLE cases_citation ALTER COLUMN source_id SET STATISTICS -1"


def set_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET_STATISTICS)


def reset_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESET_STATISTICS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0026_span_since_end"),
    ]

    operations = [
        migrations.RunPython(set_statistics, reset_statistics),
    ]
