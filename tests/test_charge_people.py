"""A charge's page lists its first people by public name, as stored with its statistics' counts
(ChargePeople), in step with every write that changes who they are: a person renamed,
withheld, published or unpublished; a case published or unpublished; a person or a charge added
to or removed from a case. Each step is checked against a recount from the published records."""

import pytest
from django.urls import reverse

from cases.models import Charge, Person
from cases.models.cases import FIRST_PEOPLE_STORED
from cases.views.cases import LISTED_AT_MOST

from .factories import make_case, make_charge, make_person

pytestmark = pytest.mark.django_db


def public_name(person: Person) -> str:
    return person.public_alias if person.name_withheld else person.name


def recounted(charge: Charge) -> list[int]:
    """The charge's first people, counted afresh the slow way."""
    people = Person.objects.filter(is_published=True, cases__is_published=True, cases__charges=charge).distinct()
    return [person.pk for person in sorted(people, key=lambda person: (public_name(person), person.pk))][
        :FIRST_PEOPLE_STORED
    ]


def assert_in_step(*charges: Charge):
    for charge in charges:
        assert charge.first_people() == recounted(charge)


def test_a_charge_stores_one_more_of_its_people_than_its_page_lists():
    assert FIRST_PEOPLE_STORED == LISTED_AT_MOST + 1


def test_the_charge_page_lists_its_first_people_by_public_name_and_says_there_are_more(client):
    charge = make_charge("inciting discord")
    people = [make_person(f"Person {number:03}") for number in range(LISTED_AT_MOST + 1)]
    for person in people:
        make_case(people=[person], charges=[charge])
    withheld = make_person("Zorro Real", name_withheld=True, public_alias="Aaa withheld")
    hidden = make_person("Aaa Hidden", is_published=False)
    make_case(people=[withheld, hidden], charges=[charge])
    make_case("Unpublished", people=[make_person("Aab Unpublished case")], charges=[charge], is_published=False)

    html = client.get(reverse("cases:charge-detail", args=[charge.slug])).content.decode()
    # Its cases, listed after its people, name them too.
    people_listed = html[html.index("People charged") : html.index("Filter, sort or download this list")]

    assert people_listed.index("Aaa withheld") < people_listed.index("Person 000")
    assert people_listed.index("Person 000") < people_listed.index(f"Person {LISTED_AT_MOST - 2:03}")
    assert f"Person {LISTED_AT_MOST - 1:03}" not in people_listed
    assert f"Only the first {LISTED_AT_MOST} people are listed here." in people_listed
    assert "Zorro Real" not in html and "Hidden" not in html and "Unpublished case" not in html
    assert_in_step(charge)


def test_renaming_withholding_and_unpublishing_people_keep_the_first_people_in_step():
    charge = make_charge()
    bravo, charlie = make_person("Bravo"), make_person("Charlie")
    make_case(people=[bravo, charlie], charges=[charge])
    assert charge.first_people() == [bravo.pk, charlie.pk]
    charlie.name = "Alpha"
    charlie.save()
    assert charge.first_people() == [charlie.pk, bravo.pk]
    charlie.name_withheld, charlie.public_alias = True, "Delta"
    charlie.save()
    assert charge.first_people() == [bravo.pk, charlie.pk]
    bravo.is_published = False
    bravo.save()
    assert charge.first_people() == [charlie.pk]
    assert_in_step(charge)


def test_cases_published_and_their_people_and_charges_changed_keep_the_first_people_in_step():
    charge, other = make_charge(), make_charge()
    alpha, bravo = make_person("Alpha"), make_person("Bravo")
    case = make_case(people=[bravo], charges=[charge])
    case.people.add(alpha)
    assert charge.first_people() == [alpha.pk, bravo.pk]
    case.people.remove(bravo)
    assert charge.first_people() == [alpha.pk]
    case.charges.set([other])
    assert (charge.first_people(), other.first_people()) == ([], [alpha.pk])
    case.is_published = False
    case.save()
    assert other.first_people() == []
    case.is_published = True
    case.save()
    other.cases.clear()
    assert other.first_people() == []
    assert_in_step(charge, other)
