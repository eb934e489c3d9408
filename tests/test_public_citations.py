"""A published event always shows who says so: it needs a citation of a published source, however
it is published, and a source that is some published event's only public support stays published."""

import pytest
from django.urls import reverse

from cases.models import Citation, Event, Source
from cases.report import load_report

from .factories import make_case, make_event, make_source
from .test_load_report import DATA
from .test_status_update import update

pytestmark = pytest.mark.django_db

NOT_PUBLISHED = "A published event needs a citation of a published source"


@pytest.fixture
def draft():
    """An unpublished event whose one citation is of an unpublished source."""
    return make_event(
        make_case("A case"), "2018-03", source=make_source("Draft source", is_published=False), is_published=False
    )


def event_form(event, *, citations=True, **changes) -> dict:
    """The event's admin form as the page sends it, with its citations unless told otherwise."""
    data = {
        "case": event.case_id, "person": "", "theme": "", "type": event.type,
        "date_start": event.date_start.isoformat(), "date_end": event.date_end.isoformat(),
        "date_precision": event.date_precision, "custody": event.custody, "stage": event.stage,
        "description": event.description, "internal_notes": event.internal_notes,
        "edit_version": Event.objects.get(pk=event.pk).version,
    }  # fmt: skip
    if event.is_published:
        data["is_published"] = "on"
    if citations:
        stored = list(event.citations.all())
        data.update({"citations-TOTAL_FORMS": len(stored), "citations-INITIAL_FORMS": len(stored)})
        for number, citation in enumerate(stored):
            data.update({
                f"citations-{number}-id": citation.pk, f"citations-{number}-event": event.pk,
                f"citations-{number}-source": citation.source_id, f"citations-{number}-quote": citation.quote,
            })  # fmt: skip
    data.update(changes)
    return data


def publish_action(client, model, record, published=True):
    action = "publish_selected" if published else "unpublish_selected"
    url = reverse(f"admin:cases_{model}_changelist")
    return client.post(url, {"action": action, "_selected_action": [record.pk]}, follow=True).content.decode()


def test_the_publish_action_refuses_an_event_that_cites_only_unpublished_sources(editor_client, draft):
    html = publish_action(editor_client, "event", draft)
    assert NOT_PUBLISHED in html and "Draft source" in html
    assert not Event.objects.get(pk=draft.pk).is_published


def test_the_event_form_refuses_to_publish_an_event_that_cites_only_unpublished_sources(editor_client, draft):
    response = editor_client.post(
        reverse("admin:cases_event_change", args=[draft.pk]), event_form(draft, is_published="on")
    )
    assert response.status_code == 200 and NOT_PUBLISHED in response.content.decode()
    assert not Event.objects.get(pk=draft.pk).is_published


def test_a_published_event_cannot_trade_its_published_source_for_an_unpublished_one(editor_client):
    event = make_event(make_case("A case"), "2018-03")
    hidden = make_source("Hidden source", is_published=False)
    data = event_form(event, **{"citations-0-source": hidden.pk})
    response = editor_client.post(reverse("admin:cases_event_change", args=[event.pk]), data)
    assert response.status_code == 200 and NOT_PUBLISHED in response.content.decode()
    assert event.citations.get().source.is_published


def test_a_status_update_is_published_only_with_a_published_source(editor_client):
    case = make_case("A case")
    hidden = make_source("Hidden source", is_published=False)
    for source in ({"source": hidden.pk}, {"new_source_title": "A letter typed in just now"}):
        response = update(editor_client, case, quote="He was released.", publish="on", **source)
        assert response.status_code == 400
        assert NOT_PUBLISHED in str(response.context["form"].errors["publish"])
    assert not Event.objects.exists()


def test_reverting_an_event_to_a_published_version_needs_a_published_source(editor_client):
    source = make_source("Court decision")
    event = make_event(make_case("A case"), "2018-03", source=source)
    published_version = event.history.latest()
    publish_action(editor_client, "event", event, published=False)
    publish_action(editor_client, "source", source, published=False)
    assert not Source.objects.get(pk=source.pk).is_published

    url = reverse("admin:cases_event_simple_history", args=[event.pk, published_version.history_id])
    response = editor_client.post(url, event_form(published_version.instance, citations=False))
    assert response.status_code == 200 and NOT_PUBLISHED in response.content.decode()
    assert not Event.objects.get(pk=event.pk).is_published


def test_the_only_published_source_of_a_published_event_cannot_be_unpublished(editor_client):
    source = make_source("Court decision")
    event = make_event(make_case("A case"), "2018-03", source=source)
    # A citation of an unpublished source is no public support.
    other = make_event(make_case("Another case"), "2018-04", source=make_source("Hidden", is_published=False))
    other.citations.create(source=source, quote="Also in the decision.")
    html = publish_action(editor_client, "source", source, published=False)
    assert "It is the only published source of these published events" in html
    assert str(event) in html and str(other) in html
    assert Source.objects.get(pk=source.pk).is_published

    form = {
        "title": source.title, "slug": source.slug, "url": source.url, "language": "en", "reliability": "unknown",
        "edit_version": source.version,
    }  # fmt: skip
    response = editor_client.post(reverse("admin:cases_source_change", args=[source.pk]), form)
    assert response.status_code == 200 and str(event) in response.content.decode()
    assert Source.objects.get(pk=source.pk).is_published

    # Once the events cite another published source, this one may go.
    statement = make_source("Lawyer's statement")
    for supported in (event, other):
        supported.citations.create(source=statement, quote="It happened.")
    publish_action(editor_client, "source", source, published=False)
    assert not Source.objects.get(pk=source.pk).is_published


def test_events_of_a_report_whose_source_was_unpublished_are_loaded_unpublished(tmp_path):
    make_source("Test Report", slug="test-report", is_published=False)
    path = tmp_path / "report.yaml"
    path.write_text(DATA, encoding="utf-8")
    result = load_report(path)
    assert result.added["events"] == 3
    assert not Event.objects.filter(is_published=True).exists()
    assert any("added unpublished" in line for line in result.skipped)


def test_an_events_public_citations_are_those_of_published_sources_however_it_was_read():
    event = make_event(make_case("A case"), "2018-03", source=make_source("Published source"))
    Citation.objects.create(event=event, source=make_source("Draft source", is_published=False), quote="Not yet.")
    loaded = Event.objects.with_public_citations().get(pk=event.pk)
    read_alone = Event.objects.get(pk=event.pk)
    for read in (loaded, read_alone):
        assert [citation.source.title for citation in read.public_citations] == ["Published source"]
    assert event.citations.count() == 2
