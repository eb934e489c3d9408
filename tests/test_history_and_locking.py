"""Nothing is lost: every change has a history with a diff and a revert, deleted records come back,
and two people editing the same record cannot overwrite each other unknowingly."""

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from cases.models import Case, Person, Source

from .factories import make_case, make_event, make_person, make_source
from .personas import make_staff, sign_in
from .test_permission_matrix import person_form

pytestmark = pytest.mark.django_db


def case_form(case, **changes):
    data = {
        "title": case.title, "slug": case.slug, "kind": case.kind, "location": case.location,
        "summary": case.summary, "internal_notes": case.internal_notes, "edit_version": case.version,
        "people": [p.pk for p in case.people.all()], "themes": [], "charges": [], "organizations": [],
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_history_page_shows_who_changed_which_field(researcher_client, alice_researcher):
    person = make_person("Some One", summary="Old summary.", is_published=False)
    url = reverse("admin:cases_person_change", args=[person.pk])
    researcher_client.post(url, person_form(person, summary="New summary."))
    html = researcher_client.get(reverse("admin:cases_person_history", args=[person.pk])).content.decode()
    assert "alice" in html
    assert "Old summary." in html and "New summary." in html  # the field-by-field diff


def test_two_researchers_edit_the_same_case_and_the_second_save_is_refused(alice_researcher, erin_editor):
    case = make_case("Prosecution of Max Bokayev", summary="First text.", is_published=False)
    alice, erin = sign_in(Client(), alice_researcher), sign_in(Client(), erin_editor)
    url = reverse("admin:cases_case_change", args=[case.pk])
    alice_form = alice.get(url).context["adminform"].form
    erin_form = erin.get(url).context["adminform"].form
    assert alice_form["edit_version"].value() == erin_form["edit_version"].value() == case.version

    assert erin.post(url, case_form(case, summary="Erin's text.")).status_code == 302
    response = alice.post(url, case_form(case, summary="Alice's text.", location="Almaty"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it." in html
    assert "Erin" in html or "erin" in html
    assert "First text." in html and "Erin&#x27;s text." in html  # what changed
    form = response.context["adminform"].form
    assert form["summary"].value() == "Alice's text." and form["location"].value() == "Almaty"  # nothing lost
    assert Case.objects.get(pk=case.pk).summary == "Erin's text."

    # Having seen the other change, Alice saves again: the re-displayed form carries the new version.
    again = case_form(case, summary="Alice's text.", location="Almaty", edit_version=form["edit_version"].value())
    assert alice.post(url, again).status_code == 302
    assert Case.objects.get(pk=case.pk).summary == "Alice's text."


def test_a_record_is_reverted_from_its_history(researcher_client):
    person = make_person("Some One", summary="Right.", is_published=False)
    first = person.history.get()
    person.summary = "Wrong."
    person.save()
    url = reverse("admin:cases_person_simple_history", args=[person.pk, first.history_id])
    form = researcher_client.get(url).context["adminform"].form
    assert form["edit_version"].value() == person.version  # a revert starts from the current version
    researcher_client.post(url, person_form(first.instance, edit_version=person.version))
    person.refresh_from_db()
    assert person.summary == "Right." and person.version == 3


def test_an_editor_restores_a_deleted_record_from_its_history(editor_client):
    source = make_source("Deleted source", publisher="A publisher")
    source_pk = source.pk
    source.delete()
    listing = editor_client.get(reverse("admin:cases_source_deleted")).content.decode()
    assert "Deleted source" in listing
    history = editor_client.get(reverse("admin:cases_source_history", args=[source_pk]))
    assert history.status_code == 200
    last = Source.history.filter(id=source_pk).exclude(history_type="-").latest()
    data = {
        "title": last.title, "slug": last.slug, "publisher": last.publisher, "url": last.url,
        "published": "", "language": "en", "reliability": last.reliability, "internal_notes": "",
        "is_published": "on",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:cases_source_simple_history", args=[source_pk, last.history_id]), data)
    assert response.status_code == 302
    assert Source.objects.get(pk=source_pk).publisher == "A publisher"


def test_a_researcher_cannot_restore_a_deleted_record(researcher_client):
    source = make_source("Deleted source", is_published=False)
    source_pk = source.pk
    source.delete()
    last = Source.history.filter(id=source_pk).exclude(history_type="-").latest()
    url = reverse("admin:cases_source_simple_history", args=[source_pk, last.history_id])
    assert researcher_client.post(url, {"title": "x"}).status_code == 403
    assert not Source.objects.filter(pk=source_pk).exists()


def test_history_is_only_for_staff_who_may_see_the_record(client):
    person = make_person("Some One")
    sign_in(client, make_staff("nobody"))  # staff, verified, but no permission on people
    assert client.get(reverse("admin:cases_person_history", args=[person.pk])).status_code == 403


def test_deleting_a_person_in_a_case_is_refused_with_a_clear_message(editor_client):
    person = make_person("Max Bokayev", is_published=False)
    make_case("Prosecution of Max Bokayev", people=[person])
    response = editor_client.post(reverse("admin:cases_person_delete", args=[person.pk]), {"post": "yes"})
    html = response.content.decode()
    assert "take Max Bokayev out of it, or merge them, first" in html
    assert Person.objects.filter(pk=person.pk).exists()
    with pytest.raises(ProtectedError):
        person.delete()  # every path, not only the admin


@pytest.mark.parametrize("what", ["case", "source"])
def test_deleting_what_events_depend_on_is_refused(editor_client, what):
    source = make_source("Cited source")
    case = make_case("A case")
    make_event(case, "2018-03", source=source)
    record = case if what == "case" else source
    url = reverse(f"admin:cases_{what}_delete", args=[record.pk])
    html = editor_client.post(url, {"post": "yes"}).content.decode()
    assert "would require deleting the following protected related objects" in html
    assert type(record).objects.filter(pk=record.pk).exists()


def test_the_event_history_shows_changes_to_its_citations(researcher_client):
    event = make_event(make_case("A case", is_published=False), "2018-03", quote="First wording.", is_published=False)
    citation = event.citations.get()
    citation.quote = "Corrected wording."
    citation.save()
    html = researcher_client.get(reverse("admin:cases_event_history", args=[event.pk])).content.decode()
    assert "Changes to the parts edited on this page" in html
    assert "First wording." in html and "Corrected wording." in html


def test_a_researcher_cannot_change_a_published_event(researcher_client):
    event = make_event(make_case("A case"), "2018-03", description="As published.")
    url = reverse("admin:cases_event_change", args=[event.pk])
    page = researcher_client.get(url)
    assert "description" in page.context["adminform"].readonly_fields
    data = {
        "description": "Rewritten.", "internal_notes": "The month is wrong: see the verdict.",
        "edit_version": event.version, "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0",
    }  # fmt: skip
    assert researcher_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.description == "As published." and event.internal_notes.startswith("The month is wrong")


@pytest.mark.parametrize("role", ["Researcher", "Viewer"])
def test_an_old_version_of_a_published_record_can_be_read_by_those_who_may_not_change_it(client, role):
    person = make_person("Some One", summary="First text.")
    first = person.history.get()
    person.summary = "Second text."
    person.save()
    sign_in(client, make_staff(role.lower(), role))
    page = client.get(reverse("admin:cases_person_simple_history", args=[person.pk, first.history_id]))
    assert page.status_code == 200
    assert "slug" in page.context["adminform"].readonly_fields and "First text." in page.content.decode()
    assert page.context["revert_disabled"]


@pytest.mark.parametrize("address", ["cases_person_history", "cases_person_simple_history"])
def test_the_history_of_an_id_that_cannot_exist_is_not_found(researcher_client, address):
    person = make_person("Some One")
    args = ["abc"] if address == "cases_person_history" else [person.pk, "abc"]
    assert researcher_client.get(reverse(f"admin:{address}", args=args)).status_code == 404
