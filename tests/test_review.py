"""Review and publication: Researchers draft, Editors publish; a published record changes only by an Editor."""

import pytest
from django.urls import reverse

from cases.choices import CustodyState
from cases.models import Event, Person

from .factories import make_case, make_event, make_person
from .test_permission_matrix import person_form

pytestmark = pytest.mark.django_db


def test_new_records_start_unpublished(researcher_client):
    response = researcher_client.post(
        reverse("admin:cases_person_add"), person_form(Person(name="New Person", slug="new-person", role="other"))
    )
    assert response.status_code == 302
    assert not Person.objects.get(slug="new-person").is_published


def test_a_researcher_may_add_internal_notes_to_a_published_record_but_change_nothing_else(researcher_client):
    person = make_person("Published Person", summary="As published.")
    url = reverse("admin:cases_person_change", args=[person.pk])
    page = researcher_client.get(url).content.decode()
    assert "only an Editor can change it" in page
    data = person_form(person, summary="Rewritten.", internal_notes="The summary gets his age wrong.")
    assert researcher_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.summary == "As published."
    assert person.internal_notes == "The summary gets his age wrong."
    assert person.is_published


def test_an_editor_publishes_a_batch_but_not_an_event_without_a_citation(editor_client, client):
    person = make_person("Someone")
    case = make_case("Their case", people=[person])
    cited = make_event(case, "2018-03", custody=CustodyState.DETAINED, is_published=False, description="Cited.")
    uncited = make_event(case, "2018-04", quote=None, is_published=False, description="Uncited.")
    response = editor_client.post(
        reverse("admin:cases_event_changelist"),
        {"action": "publish_selected", "_selected_action": [cited.pk, uncited.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 record published." in html and "A published event needs a citation" in html
    assert Event.objects.get(pk=cited.pk).is_published and not Event.objects.get(pk=uncited.pk).is_published
    # The custody spans follow publication.
    assert Person.objects.with_custody().get(pk=person.pk).custody == CustodyState.DETAINED
    public = client.get(case.get_absolute_url()).content.decode()
    assert "Cited." in public and "Uncited." not in public
    assert cited.history.latest().history_change_reason == "Published"


def test_an_editor_unpublishes_and_the_public_no_longer_sees_it(editor_client, client):
    person = make_person("To Be Hidden")
    editor_client.post(
        reverse("admin:cases_person_changelist"), {"action": "unpublish_selected", "_selected_action": [person.pk]}
    )
    assert client.get(person.get_absolute_url()).status_code == 404


def test_an_editor_cannot_publish_an_event_in_the_admin_without_a_citation(editor_client):
    case = make_case("A case")
    event = make_event(case, "2018-03", quote=None, is_published=False)
    url = reverse("admin:cases_event_change", args=[event.pk])
    data = {
        "case": case.pk, "type": event.type, "date_start": "2018-03-01", "date_precision": "month",
        "description": event.description, "is_published": "on", "edit_version": event.version,
        "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "A published event needs a citation" in response.content.decode()
    assert not Event.objects.get(pk=event.pk).is_published


def test_citations_of_a_published_event_are_read_only_for_a_researcher(researcher_client):
    event = make_event(make_case("A case"), "2018-03")
    page = researcher_client.get(reverse("admin:cases_event_change", args=[event.pk]))
    formset = page.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission and not formset.has_change_permission
