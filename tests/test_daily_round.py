"""The admin's home page: what awaits an Editor's review, and what became of a Researcher's records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cases import review

from .factories import make_case, make_event, make_person, make_source
from .personas import make_staff, sign_in
from .test_preview import preview_url, written_by

pytestmark = pytest.mark.django_db

HOME = "admin:index"


def section(html: str, id_: str) -> str:
    start = html.index(f'id="{id_}"')
    return html[start : html.index("</table>", start)]


def test_an_editor_sees_unpublished_records_of_each_kind_newest_first_with_who_entered_them(
    editor_client, alice_researcher
):
    older = written_by(make_person("Older Draft", is_published=False), alice_researcher)
    newer = make_person("Newer Draft", is_published=False)
    make_person("Published Person")
    case = written_by(make_case("Draft case", is_published=False), alice_researcher)
    event = make_event(make_case("Published case"), is_published=False, description="Sentenced.")
    source = make_source("Draft source", is_published=False)
    html = editor_client.get(reverse(HOME)).content.decode()
    assert "Awaiting review" in html
    people = section(html, "awaiting-review-person")
    assert "People: 2 unpublished" in people and "Published Person" not in people
    assert people.index("Newer Draft") < people.index("Older Draft")
    assert ">alice<" in people
    for record in [older, newer, case, event, source]:
        change = reverse(f"admin:cases_{record._meta.model_name}_change", args=[record.pk])
        assert f'href="{change}"' in html
        assert f'href="{preview_url(record)}"' in html
    assert "Events: 1 unpublished" in section(html, "awaiting-review-event")
    assert "Your records" not in html


def test_the_lists_are_bounded_with_the_count_and_a_link_to_all_of_them(editor_client, monkeypatch):
    monkeypatch.setattr(review, "SHOWN", 2)
    for n in range(3):
        make_person(f"Draft {n}", is_published=False)
    html = editor_client.get(reverse(HOME)).content.decode()
    people = html[html.index('id="awaiting-review-person"') : html.index('id="awaiting-review-case"')]
    assert "People: 3 unpublished" in people
    assert people.count("<tr>") == 3  # the head and two records
    link = reverse("admin:cases_person_changelist") + "?is_published__exact=0"
    assert f'href="{link}">All 3 unpublished people</a>' in people
    listed = editor_client.get(link).context["cl"].result_list
    assert sorted(str(p) for p in listed) == ["Draft 0", "Draft 1", "Draft 2"]


def test_the_home_page_takes_the_same_number_of_queries_however_many_records_await(editor_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(reverse(HOME)).status_code == 200
        return len(captured)

    editor_client.get(reverse(HOME))  # sessions, permissions and content types cached
    make_event(make_case(is_published=False), is_published=False, source=make_source(is_published=False))
    one_of_each = queries()
    for _ in range(4):
        person = make_person(is_published=False)
        make_event(make_case(is_published=False, people=[person]), is_published=False)
        make_source(is_published=False)
    assert queries() == one_of_each


def test_the_researchers_home_takes_the_same_number_of_queries_however_many_records_they_have(client, alice_researcher):
    sign_in(client, alice_researcher)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(HOME))
        return len(captured)

    written_by(make_event(make_case(), is_published=False), alice_researcher)
    client.get(reverse(HOME))
    one = queries()
    for _ in range(3):
        written_by(make_person(is_published=False), alice_researcher)
        written_by(make_event(make_case(), is_published=False), alice_researcher)
    assert queries() == one


def test_a_researcher_sees_their_drafts_and_which_were_published_or_sent_back(client, alice_researcher, erin_editor):
    draft = written_by(make_person("Still a draft", is_published=False), alice_researcher)
    published = written_by(make_person("Went public", is_published=False), alice_researcher)
    sent_back = written_by(make_person("Needs work", is_published=False), alice_researcher)
    make_person("Someone else's draft", is_published=False)
    editor = sign_in(client, erin_editor)
    changelist = reverse("admin:cases_person_changelist")
    editor.post(changelist, {"action": "publish_selected", "_selected_action": [published.pk, sent_back.pk]})
    editor.post(changelist, {"action": "unpublish_selected", "_selected_action": [sent_back.pk]})
    html = sign_in(client, alice_researcher).get(reverse(HOME)).content.decode()
    assert "Awaiting review" not in html
    people = section(html, "own-records-person")
    assert "People: 1 drafts, 1 sent back, 1 published" in people
    assert "Someone else" not in people
    rows = {
        name: people[people.index(name) :].split("</tr>")[0] for name in [draft.name, published.name, sent_back.name]
    }
    assert "Draft, awaiting review" in rows["Still a draft"]
    assert "Published" in rows["Went public"] and "erin" in rows["Went public"]
    assert "Sent back: unpublished by an Editor" in rows["Needs work"] and "erin" in rows["Needs work"]
    assert people.index("Needs work") < people.index("Still a draft")  # most recently changed first


def test_a_viewer_sees_neither_list(client, victor_viewer):
    make_person(is_published=False)
    html = sign_in(client, victor_viewer).get(reverse(HOME)).content.decode()
    assert "Awaiting review" not in html and "Your records" not in html


def test_a_researcher_with_nothing_yet_sees_that_said(client):
    html = sign_in(client, make_staff("newcomer", "Researcher")).get(reverse(HOME)).content.decode()
    assert "Your records" in html and "None yet." in html


@pytest.mark.parametrize(
    "text",
    [
        "Awaiting review",
        "Your records",
        "Draft, awaiting review",
        "Sent back: unpublished by an Editor",
        "Publication",
        "Save internal notes",
        "Choose what happened.",
        "Preview for staff: not a public page",
        "Not published",
    ],
)
def test_the_daily_round_s_texts_have_a_russian_translation(text):
    with translation.override("ru"):
        assert gettext(text) != text
