"""`manage.py generate_demo_data`: a marked demo world, the same for a seed, removed exactly."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from cases.choices import DatePrecision, Identity
from cases.custody import rebuild_all_custody_spans
from cases.models import Case, Citation, CustodySpan, Event, NameVariant, Person, Source
from cases.search import build_search_text, rebuild_search_text

from .factories import make_case, make_event, make_person
from .test_headcounts import assert_in_step
from .test_person_event_periods import assert_in_step as assert_periods_in_step

pytestmark = pytest.mark.django_db

PEOPLE = 40


def generate(people=PEOPLE, seed=7, *extra):
    call_command("generate_demo_data", "--people", str(people), "--seed", str(seed), *extra, stdout=StringIO())


def delete():
    call_command("generate_demo_data", "--delete", stdout=StringIO())


def snapshot() -> dict:
    """What a demo world says, without the keys and times the database gives it."""
    return {
        "people": list(Person.objects.order_by("slug").values_list("slug", "name", "identity", "name_withheld")),
        "variants": sorted(NameVariant.objects.values_list("person__slug", "name", "language")),
        "cases": list(Case.objects.order_by("slug").values_list("slug", "title", "is_published", "country")),
        "events": sorted(
            Event.objects.values_list("case__slug", "type", "date_start", "date_end", "date_precision", "custody")
        ),
        "citations": sorted(Citation.objects.values_list("event__case__slug", "source__slug", "quote")),
        "spans": sorted(CustodySpan.objects.values_list("person__slug", "state", "valid_from", "valid_until")),
    }


def spans() -> list[tuple]:
    return sorted(
        CustodySpan.objects.values_list(
            "person_id", "state", "valid_from", "valid_until", "event_id", "began", "sentence_event_id",
            "expected_end_start", "expected_end_end", "expected_end_precision", "last_report_id",
        )
    )  # fmt: skip


def test_the_same_seed_makes_the_same_world():
    generate()
    first = snapshot()
    delete()
    generate()
    assert snapshot() == first


def test_another_seed_makes_another_world():
    generate(seed=1)
    first = snapshot()
    delete()
    generate(seed=2)
    assert snapshot()["people"] != first["people"]


def test_custody_spans_and_search_text_of_people_cases_and_events_equal_a_rebuild():
    generate()
    made = spans()
    assert made
    rebuild_all_custody_spans()
    assert spans() == made
    for model in (Person, Case, Event):
        assert rebuild_search_text(model.objects.all()) == 0


def test_each_case_stores_the_latest_event_a_refresh_would():
    generate()
    fields = ("pk", "latest_event_start", "latest_event_end", "latest_event_precision")
    made = list(Case.objects.order_by("pk").values_list(*fields))
    assert any(row[2] for row in made)
    Case.objects.update(latest_event_start=None, latest_event_end=None, latest_event_precision="")
    Case.objects.refresh_latest_event()
    assert list(Case.objects.order_by("pk").values_list(*fields)) == made


def test_the_headcounts_and_statistics_of_a_world_and_after_its_deletion_equal_a_recount():
    person = make_person("Maks Bokaev")
    case = make_case("Prosecution of Maks Bokaev", people=[person])
    make_event(case, "2016-11-28", type="convicted", custody="imprisoned", stage="convicted", sentence_months=60)
    generate()
    assert_in_step()
    assert_periods_in_step()
    delete()
    assert_in_step()
    assert_periods_in_step()


def test_the_world_has_what_a_real_tracker_holds():
    generate()
    people = Person.objects.all()
    assert people.count() == PEOPLE
    assert people.filter(identity=Identity.GROUP).exists()
    assert people.filter(name_withheld=True).exists()
    assert people.filter(is_published=False).exists()
    assert NameVariant.objects.filter(language="ru").exists()
    assert set(Event.objects.values_list("date_precision", flat=True)) == set(DatePrecision.values)
    assert 1.2 < Case.objects.count() / PEOPLE < 1.8
    assert Case.objects.filter(charges__article__startswith="Article").exists()
    # Every published event can say who says so.
    assert not Event.objects.filter(is_published=True).exclude(citations__source__is_published=True).exists()


def test_a_withheld_name_is_not_in_the_public_address_nor_in_search():
    generate()
    for person in Person.objects.filter(name_withheld=True).prefetch_related("name_variants"):
        assert person.name.split()[-1].lower() not in person.slug
        assert person.search_text == build_search_text([person.public_alias])


def test_delete_removes_the_demo_world_and_nothing_else():
    person = make_person("Maks Bokaev")
    case = make_case("Prosecution of Maks Bokaev", people=[person])
    make_event(case, "2016-11-28", type="convicted", custody="imprisoned", stage="convicted", sentence_months=60)
    own_spans = spans()
    generate()
    delete()
    assert list(Person.objects.values_list("name", flat=True)) == ["Maks Bokaev"]
    assert list(Case.objects.values_list("title", flat=True)) == ["Prosecution of Maks Bokaev"]
    assert Event.objects.count() == 1
    assert Source.objects.count() == 1
    assert spans() == own_spans


def test_a_second_world_is_refused_unless_the_first_is_deleted():
    generate(people=5)
    with pytest.raises(CommandError, match="--delete"):
        generate(people=5)
    generate(10, 7, "--delete")
    assert Person.objects.count() == 10


def schema() -> list[tuple]:
    """Every index and constraint of the database, as PostgreSQL's catalog defines it."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
            UNION ALL
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) || ' ' || convalidated
            FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
            ORDER BY 1, 2, 3
            """
        )
        return [(table, name, same_meaning(definition)) for table, name, definition in cursor.fetchall()]


def same_meaning(definition: str) -> str:
    """A definition without its casts and parentheses: PostgreSQL prints a condition built again from
    its own printed text with its casts placed otherwise (`state IN (…)` of migration 0028)."""
    return re.sub(r"::[a-z ]+(\[\])?|[()]", "", definition)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are built after the rows on PostgreSQL")
def test_the_indexes_and_constraints_set_aside_while_writing_are_all_back_as_they_were():
    make_case("Prosecution of Maks Bokaev", people=[make_person("Maks Bokaev")])
    before = schema()
    generate()
    assert schema() == before
    # The foreign keys are checked again: a row pointing nowhere is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(event_id=Event.objects.order_by("pk").last().pk + 1000, source=Source.objects.first())
        connection.check_constraints()
