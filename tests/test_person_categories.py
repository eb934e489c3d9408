"""Each person's charges and themes (PersonCategory) and the links of the cases naming several people
(SharedCaseLink), which a filtered statistics page counts by: kept in step with every write to a
case's people, charges, themes or publication, and counting exactly what a join of the chosen
people's cases with their categories counts."""

import pytest

from cases.choices import Identity
from cases.models import Charge, Person, PersonCategory, SharedCaseLink, Theme
from cases.models.custody import CategoryKind
from cases.services import merge_people, set_published
from cases.statistics import _category_sums, rebuild_person_categories, summed_for

from .factories import make_case, make_charge, make_person, make_theme

pytestmark = pytest.mark.django_db


def stored() -> tuple[list, list]:
    return (
        list(PersonCategory.objects.order_by("person", "kind", "category_id").values_list(
            "person", "kind", "category_id", "solo_cases"
        )),
        list(SharedCaseLink.objects.order_by("case", "person").values_list("case", "person")),
    )  # fmt: skip


def assert_in_step():
    kept = stored()
    rebuild_person_categories()
    assert stored() == kept


def joined(people) -> dict:
    """The counts by charge and theme as the join of the people's cases with their categories gives them."""
    pks = people.order_by().values("pk")
    return {
        model: {pk: (cases, count) for pk, (_, cases, count) in _category_sums(model, pks).items()}
        for model in (Charge, Theme)
    }


@pytest.fixture
def world():
    """Cases naming one person, several people, a published and an unpublished person; a person with
    a case of their own and a shared one under the same charge; an unpublished case."""
    discord, fraud, civil = make_charge("inciting discord"), make_charge("fraud"), make_theme("Civil Society")
    ardak = make_person("Ardak Ashim", country="KZ")
    crowd = make_person("Protesters", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    relatives = make_person("Relatives", identity=Identity.GROUP)  # of unknown size
    draft = make_person("Draft", is_published=False)
    make_case("Ardak alone", people=[ardak], charges=[discord], themes=[civil])
    make_case("Ardak and the crowd", people=[ardak, crowd], charges=[discord, fraud], themes=[civil])
    make_case("The crowd and a draft", people=[crowd, draft], charges=[fraud])
    make_case("The relatives", people=[relatives], charges=[fraud], themes=[civil])
    make_case("Unpublished", people=[ardak, relatives], charges=[fraud], is_published=False)
    make_case("No charges", people=[ardak, crowd])
    return {"discord": discord, "fraud": fraud, "civil": civil, "ardak": ardak, "crowd": crowd,
            "relatives": relatives, "draft": draft}  # fmt: skip


def test_a_case_naming_one_person_is_theirs_alone_and_one_naming_several_is_shared(world):
    ardak, crowd, discord = world["ardak"], world["crowd"], world["discord"]
    rows = PersonCategory.objects.filter(kind="charge", category_id=discord.pk)
    # Ardak's own case and the one shared with the crowd; the crowd only shares.
    assert dict(rows.values_list("person", "solo_cases")) == {ardak.pk: 1, crowd.pk: 0}
    # An unpublished case is no one's; a shared case is shared with a draft too.
    assert not PersonCategory.objects.filter(person=world["relatives"], kind="charge", solo_cases__gt=1).exists()
    assert SharedCaseLink.objects.filter(person=world["draft"]).count() == 1
    assert_in_step()


@pytest.mark.parametrize(
    "chosen",
    [
        lambda w: Person.objects.published(),
        lambda w: Person.objects.published().filter(pk=w["ardak"].pk),
        lambda w: Person.objects.published().filter(pk=w["crowd"].pk),
        lambda w: Person.objects.published().filter(pk__in=[w["ardak"].pk, w["crowd"].pk]),
        lambda w: Person.objects.published().groups(),
        lambda w: Person.objects.filter(pk__in=[w["crowd"].pk, w["draft"].pk]),
        lambda w: Person.objects.published().filter(country="XX"),
    ],
    ids=["everyone", "one-with-solo-and-shared", "one-sharing-only", "both-of-a-shared-case", "groups",
         "a-shared-case-with-a-draft", "no-one"],
)  # fmt: skip
def test_the_filtered_counts_by_category_equal_the_join_of_the_peoples_cases(world, chosen):
    people = chosen(world)
    assert summed_for(people, months=False).by_category == joined(people)


def test_a_shared_case_is_counted_once_however_many_of_its_people_are_chosen(world):
    both = Person.objects.filter(pk__in=[world["ardak"].pk, world["crowd"].pk])
    counts = summed_for(both, months=False).by_category
    # Discord: Ardak's own case and the shared one; fraud: the two shared ones.
    assert counts[Charge][world["discord"].pk][0] == 2
    assert counts[Charge][world["fraud"].pk][0] == 2


def edit_categories(w):
    case = make_case("Later", people=[w["ardak"]])
    case.charges.add(w["fraud"])
    yield
    case.charges.remove(w["fraud"])
    yield
    case.themes.add(w["civil"])
    yield
    case.themes.clear()
    yield
    w["fraud"].cases.add(case)
    yield
    w["fraud"].cases.remove(case)
    yield
    w["civil"].cases.clear()
    yield
    w["discord"].delete()


def edit_people(w):
    case = make_case("Later", charges=[w["fraud"]], themes=[w["civil"]])
    case.people.add(w["relatives"])
    yield
    case.people.add(w["ardak"])
    yield
    case.people.remove(w["relatives"])
    yield
    case.people.clear()
    yield
    case.people.set([w["crowd"], w["ardak"]])
    yield
    # A case of one's own becomes shared.
    make_case("Ardak's second", people=[w["ardak"]], charges=[w["fraud"]]).people.add(w["relatives"])


def edit_publication_and_records(w):
    case = make_case("Later", people=[w["relatives"], w["ardak"]], charges=[w["discord"]], is_published=False)
    case.is_published = True
    case.save()
    yield
    set_published([case], False)
    yield
    case.delete()
    yield
    merge_people(w["ardak"], w["crowd"])
    yield
    Theme.objects.all().delete()


@pytest.mark.parametrize("edits", [edit_categories, edit_people, edit_publication_and_records])
def test_after_every_kind_of_edit_the_rows_equal_a_recount(world, edits):
    for _ in edits(world):
        assert_in_step()
        everyone = Person.objects.published()
        assert summed_for(everyone, months=False).by_category == joined(everyone)
    assert_in_step()


def test_a_save_that_changes_nothing_counted_recounts_nothing(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ardak = world["ardak"]
    ardak.summary = "A poet from Almaty."
    with CaptureQueriesContext(connection) as queries:
        ardak.save()
    written = " ".join(query["sql"] for query in queries)
    assert "cases_categorytally" not in written and "cases_custodyspan" not in written
    ardak.country = "UZ"
    with CaptureQueriesContext(connection) as queries:
        ardak.save()
    written = " ".join(query["sql"] for query in queries)
    assert "cases_categorytally" in written and "cases_custodyspan" in written
    assert_in_step()


def test_a_rename_recounts_only_the_first_people_of_their_charges(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import ChargePeople
    from cases.statistics import refresh_charge_people

    ardak = world["ardak"]
    ardak.name = "Aardak Ashim"  # first by name now
    with CaptureQueriesContext(connection) as queries:
        ardak.save()
    # What is locked to write the first people (on PostgreSQL) apart: the counts it shares a lock with.
    written = " ".join(query["sql"] for query in queries if not query["sql"].startswith("LOCK TABLE"))
    assert "cases_categorytally" not in written and "cases_custodyspan" not in written
    assert ChargePeople.objects.get(charge=world["discord"]).first_people[0] == ardak.pk
    ardak.name_withheld, ardak.public_alias = True, "Zh."
    ardak.save()
    assert ChargePeople.objects.get(charge=world["discord"]).first_people[-1] == ardak.pk
    kept = sorted(ChargePeople.objects.values_list("charge", "first_people"))
    refresh_charge_people()
    assert sorted(ChargePeople.objects.values_list("charge", "first_people")) == kept


def test_an_edit_of_a_cases_text_recounts_nothing_and_its_publication_recounts_it(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Case

    case = Case.objects.get(title="Ardak and the crowd")
    case.summary = "Two defendants, one charge sheet."
    with CaptureQueriesContext(connection) as queries:
        case.save()
    written = " ".join(query["sql"] for query in queries)
    assert "cases_categorytally" not in written and "cases_custodyspan" not in written
    case.is_published = False
    case.save()
    assert_in_step()
    assert summed_for(Person.objects.published(), months=False).by_category == joined(Person.objects.published())


@pytest.mark.parametrize("category", ["discord", "fraud", "civil"])
def test_the_people_of_a_charge_or_theme_are_read_from_their_categories(world, category):
    kind = CategoryKind(type(world[category])._meta.model_name)
    through_cases = Person.objects.published().in_published_cases(**{f"{kind.value}s": world[category]})
    filed = Person.objects.published().filed_under(kind, world[category].pk)
    assert set(filed) == set(through_cases)
    # Read from the stored rows, not the cases' links.
    PersonCategory.objects.all().delete()
    assert not Person.objects.published().filed_under(kind, world[category].pk).exists()


def test_an_unknown_charge_matches_no_one(client, world):
    response = client.get("/people/", {"charge": "no-such-charge"})
    assert response.status_code == 200
    assert "No one matches these filters." in response.content.decode()
