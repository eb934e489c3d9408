"""A case's people, organisations and charges changed from the other side (`person.cases.add(case)`)
are written, recorded in the case's history and recounted exactly as the same change made on the case
(`case.people.add(person)`)."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.choices import CustodyState, EventType, Identity
from cases.custody import rebuild_all_custody_spans
from cases.models import Case, Person

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_theme
from .test_custody_in_step import current_custody_and_tally, stored_spans

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Ardak in a land case with a group, whose detention an event of the case reports; a fraud case
    that convicted the group alone, under another charge."""
    ardak = make_person("Ardak Ashim", country="KZ")
    crowd = make_person("Protesters", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    land = make_case("Land protest", people=[ardak, crowd], charges=[make_charge("inciting discord")])
    fraud = make_case("Fraud", people=[crowd], charges=[make_charge("fraud")], themes=[make_theme()])
    make_event(land, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(fraud, "2018-06", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    return {"ardak": ardak, "land": land, "fraud": fraud}


# Each change made from Ardak's side, and the same change made on the cases.
CHANGES = {
    "add": (
        lambda w: w["ardak"].cases.add(w["fraud"]),
        lambda w: w["fraud"].people.add(w["ardak"]),
    ),
    "remove": (
        lambda w: w["ardak"].cases.remove(w["land"]),
        lambda w: w["land"].people.remove(w["ardak"]),
    ),
    "set": (
        lambda w: w["ardak"].cases.set([w["fraud"]]),
        lambda w: (w["land"].people.remove(w["ardak"]), w["fraud"].people.add(w["ardak"])),
    ),
    "clear": (
        lambda w: w["ardak"].cases.clear(),
        lambda w: w["land"].people.remove(w["ardak"]),
    ),
}
FROM_THE_PERSONS_SIDE = {name: sides[0] for name, sides in CHANGES.items()}


def links() -> list[tuple[int, int]]:
    return sorted(Case.people.through.objects.values_list("case", "person"))


def what_is_left(since) -> dict:
    """The links, what the cases' and people's histories recorded since `since`, which cases say
    they changed, and every derived table."""
    return {
        "links": links(),
        "cases' history": {
            case.title: [
                (record.history_type, sorted(record.people.values_list("person", flat=True)))
                for record in case.history.filter(history_date__gte=since).order_by("history_date", "history_id")
            ]
            for case in Case.objects.order_by("pk")
        },
        "people's history": list(Person.history.filter(history_date__gte=since).values_list("id", "history_type")),
        "cases changed": sorted(Case.objects.filter(updated_at__gte=since).values_list("title", flat=True)),
        "derived": (stored_spans(), current_custody_and_tally()),
    }


def made_and_undone(world, change) -> dict:
    since = timezone.now()
    with transaction.atomic():
        change(world)
        left = what_is_left(since)
        transaction.set_rollback(True)
    return left


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_from_the_persons_side_leaves_what_the_same_change_on_the_cases_leaves(world, change):
    before = links()
    from_the_person, on_the_cases = (made_and_undone(world, side) for side in change)
    assert from_the_person["links"] != before
    assert from_the_person == on_the_cases


@pytest.mark.parametrize("change", FROM_THE_PERSONS_SIDE.values(), ids=FROM_THE_PERSONS_SIDE.keys())
def test_after_a_change_from_the_persons_side_the_derived_tables_equal_a_rebuild(world, change):
    change(world)
    kept = stored_spans(), current_custody_and_tally()
    rebuild_all_custody_spans()
    assert (stored_spans(), current_custody_and_tally()) == kept


def test_a_case_added_from_the_persons_side_gives_them_its_custody(world):
    ardak = world["ardak"]
    ardak.cases.add(world["fraud"])
    assert Person.objects.with_custody().get(pk=ardak.pk).custody == CustodyState.IMPRISONED
    ardak.cases.clear()
    assert Person.objects.with_custody().get(pk=ardak.pk).custody == CustodyState.UNKNOWN


def test_a_change_from_the_persons_side_is_recorded_in_the_cases_history_not_the_persons(world):
    ardak, fraud = world["ardak"], world["fraud"]
    ardak.cases.add(fraud)
    latest = fraud.history.latest()
    assert latest.history_type == "~"
    assert sorted(row.person_id for row in latest.people.all()) == sorted(fraud.people.values_list("pk", flat=True))
    assert [record.history_type for record in ardak.history.all()] == ["+"]


def test_a_change_from_an_organisations_or_a_charges_side_is_recorded_in_the_cases_history():
    organization, charge, case = make_organization(), make_charge(), make_case()
    organization.cases.add(case)
    charge.cases.add(case)
    latest = case.history.latest()
    assert [row.organization_id for row in latest.organizations.all()] == [organization.pk]
    assert [row.charge_id for row in latest.charges.all()] == [charge.pk]
    assert [record.history_type for record in organization.history.all()] == ["+"]
    assert [record.history_type for record in charge.history.all()] == ["+"]


def test_the_cases_history_page_shows_a_person_added_from_their_side(editor_client, world):
    ardak, fraud = world["ardak"], world["fraud"]
    ardak.cases.add(fraud)
    html = editor_client.get(reverse("admin:cases_case_history", args=[fraud.pk])).content.decode()
    assert "[Protesters]" in html and "[Ardak Ashim, Protesters]" in html  # people: old → new
    assert editor_client.get(reverse("admin:cases_person_history", args=[ardak.pk])).status_code == 200
