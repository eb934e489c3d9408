"""The staff preview: an unpublished record's public page as it will read, for Editors and its author only."""

import pytest
from django.urls import reverse

from cases.models import Event, Person

from .factories import make_case, make_event, make_organization, make_person, make_source, make_theme
from .personas import make_staff, sign_in

pytestmark = pytest.mark.django_db


def preview_url(record) -> str:
    return reverse(f"admin:cases_{record._meta.model_name}_preview", args=[record.pk])


def written_by(record, user):
    """Record in its history that `user` entered it, as the admin does."""
    type(record).history.filter(id=record.pk).update(history_user=user)
    return record


def test_an_editor_previews_an_unpublished_person_with_the_public_template(editor_client, client):
    person = make_person("Draft Dauletov", is_published=False, summary="Arrested in Almaty.")
    response = editor_client.get(preview_url(person))
    assert response.status_code == 200
    assert "cases/person_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Draft Dauletov" in html and "Arrested in Almaty." in html
    assert "Preview for staff: not a public page" in html
    assert "is not published: the public sees nothing of it yet" in html
    assert client.get(person.get_absolute_url()).status_code == 404


def test_the_preview_is_never_cached_or_indexed(editor_client):
    response = editor_client.get(preview_url(make_person(is_published=False)))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_an_unpublished_status_update_is_previewed_in_its_case_page_marked_not_published(editor_client):
    case = make_case("The Almaty case")
    published = make_event(case, "2018-03", description="Detained at home.")
    draft = make_event(case, "2018-08-17", is_published=False, description="Sentenced to five years.")
    response = editor_client.get(preview_url(draft))
    assert response.status_code == 200
    assert "cases/case_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Detained at home." in html and "Sentenced to five years." in html
    draft_item = html[html.index(f'id="event-{draft.pk}"') :]
    published_item = html[html.index(f'id="event-{published.pk}"') : html.index(f'id="event-{draft.pk}"')]
    assert 'class="draft">Not published' in draft_item.split("</li>")[0]
    assert 'class="draft"' not in published_item


def test_a_citation_of_an_unpublished_source_is_shown_and_marked(editor_client):
    source = make_source("Unpublished verdict", is_published=False)
    draft = make_event(make_case(), is_published=False, source=source, quote="Five years.")
    html = editor_client.get(preview_url(draft)).content.decode()
    assert "Five years." in html and "Unpublished verdict" in html
    assert html.count('class="draft">Not published') == 2  # the event and its source


def test_the_preview_leaves_the_public_site_as_it_was(editor_client, client):
    case = make_case("A case")
    make_event(case, is_published=False, description="Not yet public.")
    editor_client.get(preview_url(case))
    assert "Not yet public." not in client.get(case.get_absolute_url()).content.decode()
    assert "Not yet public." not in editor_client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize("make", [make_organization, make_source])
def test_organisations_and_sources_are_previewed_too(editor_client, make):
    record = make(is_published=False)
    response = editor_client.get(preview_url(record))
    assert response.status_code == 200
    assert str(record) in response.content.decode()


def test_the_researcher_who_wrote_a_record_previews_it_and_another_researcher_may_not(client, alice_researcher):
    record = written_by(make_person("Alice's draft", is_published=False), alice_researcher)
    assert sign_in(client, alice_researcher).get(preview_url(record)).status_code == 200
    other = make_staff("bob", "Researcher")
    response = sign_in(client, other).get(preview_url(record))
    assert response.status_code == 403
    assert "Alice's draft" not in response.content.decode()


def test_a_viewer_may_not_preview(client, victor_viewer):
    record = make_person("Hidden draft", is_published=False)
    response = sign_in(client, victor_viewer).get(preview_url(record))
    assert response.status_code == 403
    assert "Hidden draft" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_sees_nothing(client):
    record = make_person("Hidden draft", is_published=False)
    response = client.get(preview_url(record))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert "Hidden draft" not in client.get(response.url).content.decode()


def test_a_record_that_does_not_exist_is_not_found(editor_client):
    assert editor_client.get(reverse("admin:cases_person_preview", args=[987654])).status_code == 404
    assert editor_client.get(reverse("admin:cases_person_preview", args=["abc"])).status_code == 404


def test_view_on_site_of_an_unpublished_record_goes_to_its_preview(editor_client):
    draft = make_event(make_case(), is_published=False)
    page = editor_client.get(reverse("admin:cases_event_change", args=[draft.pk])).content.decode()
    assert f'href="{preview_url(draft)}#event-{draft.pk}"' in page
    person = make_person(is_published=False)
    page = editor_client.get(reverse("admin:cases_person_change", args=[person.pk])).content.decode()
    assert f'href="{preview_url(person)}"' in page


def test_view_on_site_of_a_published_record_goes_to_its_public_page(editor_client):
    person = make_person()
    response = editor_client.get(reverse("admin:cases_person_change", args=[person.pk]))
    assert response.context["absolute_url"] != preview_url(person)
    assert editor_client.get(response.context["absolute_url"]).url.endswith(person.get_absolute_url())


def test_the_preview_reads_in_russian_as_the_russian_page_will(editor_client):
    person = make_person("Draft Person", is_published=False)
    english = editor_client.get(preview_url(person)).content.decode()
    assert f'href="{preview_url(person)}?language=ru"' in english
    russian = editor_client.get(preview_url(person), {"language": "ru"}).content.decode()
    assert '<html lang="ru">' in russian
    assert "Предварительный просмотр для сотрудников" in russian


def test_a_preview_in_a_language_the_site_has_not_answers_400(editor_client):
    response = editor_client.get(preview_url(make_person(is_published=False)), {"language": "xx"})
    assert response.status_code == 400
    assert "There is no page in the language “xx”" in response.content.decode()


def test_an_editor_publishes_after_the_preview(editor_client, client):
    draft = make_event(make_case(), is_published=False)
    editor_client.get(preview_url(draft))
    editor_client.post(
        reverse("admin:cases_event_changelist"), {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert Event.objects.get(pk=draft.pk).is_published
    assert Person.objects.count() == 0


def test_view_on_site_of_an_unpublished_event_in_its_case_s_page_goes_to_its_preview(editor_client):
    case = make_case()
    draft = make_event(case, is_published=False)
    page = editor_client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert f'href="{preview_url(draft)}#event-{draft.pk}"' in page


def test_a_development_outside_any_case_is_previewed_in_its_theme_s_page(editor_client):
    theme = make_theme("Freedom of assembly")
    draft = make_event(None, theme=theme, is_published=False, description="A new law on rallies.")
    response = editor_client.get(preview_url(draft))
    assert response.status_code == 200
    assert "A new law on rallies." in response.content.decode()
