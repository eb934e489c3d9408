"""The derived custody spans follow every write they depend on, in the same transaction.

The spans are read by the API, the lists' `in_custody` filter, the statistics and each person's
page; `manage.py rebuild_custody_spans` must never be what brings them up to date.
"""

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import CustodyState, EventType
from cases.models import Person
from cases.services import set_published

from .factories import make_case, make_event, make_person
from .test_permission_matrix import person_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def detained_draft_person():
    """An unpublished person in a published case, with a published event of theirs that detains them."""
    person = make_person("Ardak Ashim", is_published=False)
    case = make_case("Prosecution of Ardak Ashim", people=[person])
    make_event(case, "2018-03", person=person, type=EventType.DETAINED, custody=CustodyState.DETAINED)
    return person


def publish_with_the_action(client, person):
    client.post(
        reverse("admin:cases_person_changelist"), {"action": "publish_selected", "_selected_action": [person.pk]}
    )


def publish_on_the_form(client, person):
    client.post(reverse("admin:cases_person_change", args=[person.pk]), person_form(person, is_published="on"))


@pytest.mark.parametrize("publish", [publish_with_the_action, publish_on_the_form])
def test_publishing_a_person_gives_them_the_custody_their_published_events_set(
    editor_client, detained_draft_person, publish
):
    publish(editor_client, detained_draft_person)
    assert Person.objects.get(pk=detained_draft_person.pk).is_published

    client = Client()  # the public

    api = client.get(reverse("api:person-detail", args=[detained_draft_person.slug])).json()
    assert api["custody"] == CustodyState.DETAINED
    in_custody = client.get(reverse("api:person-list"), {"in_custody": "true"}).json()["results"]
    assert [person["slug"] for person in in_custody] == [detained_draft_person.slug]
    page = client.get(detained_draft_person.get_absolute_url()).content.decode()
    assert "In custody: Detained" in page


def test_unpublishing_a_person_takes_their_own_events_out_of_their_custody(editor_client, detained_draft_person):
    set_published([detained_draft_person], True)
    assert detained_draft_person.custody_on() == CustodyState.DETAINED

    editor_client.post(
        reverse("admin:cases_person_changelist"),
        {"action": "unpublish_selected", "_selected_action": [detained_draft_person.pk]},
    )
    assert detained_draft_person.custody_on() == CustodyState.UNKNOWN


def test_unpublishing_a_case_takes_out_its_events_about_someone_since_taken_out_of_it():
    person = make_person()
    case = make_case(people=[person])
    make_event(case, "2018-03", person=person, custody=CustodyState.DETAINED)
    case.people.remove(person)  # on the case's form; the event still names them
    assert person.custody_on() == CustodyState.DETAINED

    set_published([case], False)
    assert person.custody_on() == CustodyState.UNKNOWN
