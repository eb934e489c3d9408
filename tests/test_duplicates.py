"""The same person is not recorded twice without someone deciding so; Editors merge duplicates."""

import pytest
from django.urls import reverse

from cases.choices import CustodyState
from cases.duplicates import find_possible_duplicates
from cases.models import Event, NameVariant, Person
from cases.search import fold

from .factories import make_case, make_event, make_person
from .test_permission_matrix import person_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Iskander Yerimbetov", "Искандер Еримбетов"),
        ("Yerimbetov Iskander", "Iskander Erimbetov"),
        ("Maks Bokayev", "Max Bokaev"),
        ("Zhanara Akhmetova", "Жанара Ахметова"),
        ("Ерлан Қалиев", "Yerlan Kaliyev"),
    ],
)
def test_spellings_of_one_name_fold_to_the_same_key(one, other):
    assert set(fold(one).split()) == set(fold(other).split())


def test_different_people_do_not_match():
    make_person("Aigul Utepova")
    assert find_possible_duplicates("Aigul Sarsenova") == []


def test_a_match_on_a_variant_is_found(db):
    person = make_person("Iskander Yerimbetov", variants=["Искандер Еримбетов"])
    assert find_possible_duplicates("Erimbetov Iskander") == [person]
    assert find_possible_duplicates("New Name", variants=["Искандер Еримбетов"]) == [person]


def test_a_person_published_under_an_alias_is_still_found_by_their_real_name(db):
    person = make_person(
        "Erlan Baltabay", slug="withheld-1", name_withheld=True, public_alias="Name withheld — a trade unionist"
    )
    assert find_possible_duplicates("Yerlan Baltabai") == [person]


def add_person(client, name, **extra):
    data = person_form(Person(name=name, slug=name.lower().replace(" ", "-"), role="other"), **extra)
    return client.post(reverse("admin:cases_person_add"), data)


def test_adding_a_possible_duplicate_warns_with_a_link_and_needs_confirmation(researcher_client):
    existing = make_person("Iskander Yerimbetov")
    response = add_person(researcher_client, "Iskander Erimbetov")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This may be someone already recorded" in html
    assert reverse("admin:cases_person_change", args=[existing.pk]) in html
    assert not Person.objects.filter(name="Iskander Erimbetov").exists()
    assert add_person(researcher_client, "Iskander Erimbetov", confirm_not_duplicate="on").status_code == 302


def test_a_variant_typed_on_the_add_page_is_checked_too(researcher_client):
    make_person("Zhanara Akhmetova")
    extra = {
        "name_variants-TOTAL_FORMS": "1",
        "name_variants-0-name": "Жанара Ахметова",
        "name_variants-0-kind": "cyrillic",
    }
    assert "This may be someone already recorded" in add_person(researcher_client, "J. A.", **extra).content.decode()


def test_a_person_saved_again_with_their_variants_unchanged_is_not_asked_again(researcher_client):
    make_person("Iskander Erimbetov")  # confirmed as someone else when recorded
    person = make_person("Iskander Yerimbetov", variants=["Искандер Еримбетов"], is_published=False)
    variant = person.name_variants.get()
    rows = {
        "name_variants-TOTAL_FORMS": "1",
        "name_variants-INITIAL_FORMS": "1",
        "name_variants-0-id": variant.pk,
        "name_variants-0-person": person.pk,
        "name_variants-0-name": variant.name,
        "name_variants-0-kind": variant.kind,
    }
    data = person_form(person, summary="Detained in March.", **rows)
    response = researcher_client.post(reverse("admin:cases_person_change", args=[person.pk]), data)
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).summary == "Detained in March."


@pytest.fixture
def two_records():
    keep = make_person("Iskander Yerimbetov", variants=["Искандер Еримбетов"])
    duplicate = make_person("Iskander Erimbetov", variants=["Искандер Еримбетов", "I. Erimbetov"], is_published=False)
    case = make_case("Prosecution of Iskander Erimbetov", people=[duplicate])
    make_event(case, "2018-03", person=duplicate, custody=CustodyState.DETAINED)
    return keep, duplicate, case


def test_an_editor_merges_two_records_moving_cases_events_and_names(editor_client, two_records):
    keep, duplicate, case = two_records
    url = reverse("admin:cases_person_merge", args=[keep.pk, duplicate.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"keep": keep.pk})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert list(case.people.all()) == [keep]
    assert Event.objects.get(case=case).person == keep
    assert sorted(NameVariant.objects.filter(person=keep).values_list("name", flat=True)) == [
        "I. Erimbetov",
        "Iskander Erimbetov",
        "Искандер Еримбетов",
    ]
    # The custody spans moved with the events.
    assert Person.objects.with_custody().get(pk=keep.pk).custody == CustodyState.DETAINED
    deletion = Person.history.get(id=duplicate.pk, history_type="-")
    assert deletion.history_change_reason == f"Merged into Iskander Yerimbetov (#{keep.pk})"
    assert deletion.history_user.username == "erin"
    assert Person.history.filter(id=duplicate.pk).count() == 2  # its history stays


def test_merging_never_publishes_a_withheld_name(editor_client, client):
    keep = make_person("Public Name", slug="public-name")
    hidden = make_person(
        "Secret Spelling", name_withheld=True, public_alias="Name withheld — a teacher", slug="teacher-1"
    )
    url = reverse("admin:cases_person_merge", args=[keep.pk, hidden.pk])
    response = editor_client.post(url, {"keep": keep.pk})
    # The kept record's address is made from the name it would now withhold: the merge says so.
    assert response.status_code == 400
    assert "would reveal the withheld name" in response.content.decode()
    keep.slug = "teacher-2"
    keep.save()
    assert (
        editor_client.post(
            reverse("admin:cases_person_merge", args=[keep.pk, hidden.pk]), {"keep": keep.pk}
        ).status_code
        == 302
    )
    keep.refresh_from_db()
    assert keep.name_withheld and keep.public_alias == "Name withheld — a teacher"
    html = client.get(keep.get_absolute_url()).content.decode()
    assert "Secret Spelling" not in html and "Public Name" not in html


def test_a_researcher_cannot_merge(researcher_client, two_records):
    keep, duplicate, _ = two_records
    url = reverse("admin:cases_person_merge", args=[keep.pk, duplicate.pk])
    assert researcher_client.post(url, {"keep": keep.pk}).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_action_sends_two_selected_people_to_the_merge_page(editor_client, two_records):
    keep, duplicate, _ = two_records
    response = editor_client.post(
        reverse("admin:cases_person_changelist"), {"action": "merge_two", "_selected_action": [keep.pk, duplicate.pk]}
    )
    assert response.url == reverse("admin:cases_person_merge", args=[keep.pk, duplicate.pk])
