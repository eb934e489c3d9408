"""On PostgreSQL, the planner's cost of pg_trgm's word comparisons: 200 operators, not 1.

A comparison of a query with a name's trigrams takes about 2 µs, two hundred times a plain
operator, and PostgreSQL prices every function of pg_trgm as one. It then tested the near misses of
a name row by row rather than reading them from the trigram index: `/people/?search=Bokayev`
on a date, sorted by latest change, compared all 100,000 names (0.13 s) where the index gives its
412 matches (16 ms).

The functions belong to the extension: where the database user does not own them (a managed
server), the migration leaves them with a warning, and the searches still work, as they did. A
dump does not carry the costs (`CREATE EXTENSION` makes the functions anew): restored by hand with
`pg_restore` rather than `import_archive` into a migrated database, run these ALTER FUNCTION
statements again.
"""

from django.db import migrations

# The comparisons a search makes: `%>>` and `%>` in a filter, the similarities it ranks by.
COMPARISONS = [
    "strict_word_similarity_commutator_op(text, text)",
    "word_similarity_commutator_op(text, text)",
    "strict_word_similarity(text, text)",
    "word_similarity(text, text)",
]


def set_cost(cost: int):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        statements = " ".join(f"ALTER FUNCTION {function} COST {cost};" for function in COMPARISONS)
        schema_editor.execute(
            f"DO $$ BEGIN {statements} EXCEPTION WHEN insufficient_privilege THEN "
            "RAISE WARNING 'pg_trgm''s comparisons keep their planner cost: the database user does not own "
            "them (see cases/migrations/0043_trigram_comparison_costs.py)'; END $$"
        )

    return change


class Migration(migrations.Migration):
    dependencies = [("cases", "0042_organization_latest_event")]

    operations = [migrations.RunPython(set_cost(200), set_cost(1))]
