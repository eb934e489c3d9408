"""A record's change form: the Published control first with the record's state, save buttons only for
what the user may save, and the status-update form that presumes nothing."""

import pytest
from django.urls import reverse

from cases.models import Event

from .factories import make_case, make_event, make_person
from .personas import sign_in
from .test_permission_matrix import person_form
from .test_status_update import update

pytestmark = pytest.mark.django_db


def change_page(client, record):
    return client.get(reverse(f"admin:cases_{record._meta.model_name}_change", args=[record.pk]))


def fieldsets(response):
    return [
        (fieldset.name, [f for line in fieldset for f in line.fields]) for fieldset in response.context["adminform"]
    ]


@pytest.mark.parametrize("kind", ["person", "case", "event", "source", "organization"])
def test_the_published_control_comes_first_with_the_records_state(editor_client, kind):
    response = editor_client.get(reverse(f"admin:cases_{kind}_add"))
    first_name, first_fields = fieldsets(response)[0]
    assert first_name == "Publication"
    assert first_fields[:2] == ["publication_state", "is_published"]
    assert all("is_published" not in fields for _name, fields in fieldsets(response)[1:])
    assert "New: it starts unpublished, for an Editor to review." in response.content.decode()


def test_the_state_says_draft_published_or_sent_back(editor_client):
    person = make_person("Someone", is_published=False)
    assert "Draft: not published yet." in change_page(editor_client, person).content.decode()
    person.is_published = True
    person.save()
    assert "Published: the public sees it." in change_page(editor_client, person).content.decode()
    person.is_published = False
    person.save()
    html = change_page(editor_client, person).content.decode()
    assert "Sent back: it was published, and an Editor unpublished it." in html
    assert reverse("admin:cases_person_preview", args=[person.pk]) in html


def test_a_researcher_on_a_published_record_has_one_button_for_the_notes_and_no_save_buttons(researcher_client):
    person = make_person("Published Person")
    html = change_page(researcher_client, person).content.decode()
    assert 'name="_save"' not in html and 'name="_addanother"' not in html
    assert html.count('value="Save internal notes"') == 1
    response = researcher_client.post(
        reverse("admin:cases_person_change", args=[person.pk]),
        person_form(person, internal_notes="Check the birth year.", _continue="Save internal notes"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.internal_notes == "Check the birth year."


def test_a_researcher_on_their_draft_has_the_usual_save_buttons(researcher_client):
    html = change_page(researcher_client, make_person(is_published=False)).content.decode()
    assert 'name="_save"' in html and "Save internal notes" not in html


def test_a_viewer_has_no_save_button_at_all(client, victor_viewer):
    html = change_page(sign_in(client, victor_viewer), make_person()).content.decode()
    assert 'name="_save"' not in html and "Save internal notes" not in html


def test_what_happened_has_no_preselected_value_on_the_status_update_form(researcher_client):
    case = make_case(people=[make_person()])
    form = researcher_client.get(reverse("admin:cases_case_status_update", args=[case.pk])).context["form"]
    assert form["type"].value() in (None, "")
    assert '<option value="" selected>—</option>' in str(form["type"])


def test_a_status_update_without_what_happened_is_refused_with_a_clear_error(researcher_client):
    case = make_case(people=[make_person()])
    make_event(case, "2018-03")
    response = update(researcher_client, case, type="")
    assert response.status_code == 400
    assert "Choose what happened." in response.content.decode()
    assert Event.objects.count() == 1
