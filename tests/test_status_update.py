"""A researcher records what a source says in one short form, and is stopped from recording nonsense."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.choices import CaseStage, CustodyState, EventType
from cases.models import Citation, Event, Person, Source
from cases.services import record_status_update

from .factories import make_case, make_event, make_person, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def detained_case():
    person = make_person("Aset Matayev", birth_year=1956)
    case = make_case("Prosecution of Aset Matayev", people=[person])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    return case


def update(client, case, **fields):
    data = {
        "case": case.pk,
        "person": "",
        "date_start": "2018-10-15",
        "date_precision": "month",
        "date_end": "",
        "type": EventType.RELEASED,
        "custody": CustodyState.AT_LIBERTY,
        "stage": "",
        "description": "Released from pre-trial detention.",
        "source": "",
        "quote": "",
        **fields,
    }
    return client.post(reverse("admin:cases_case_status_update", args=[case.pk]), data)


def errors(response) -> str:
    return str(response.context["form"].errors)


def test_a_researcher_records_a_release_with_its_citation(researcher_client, detained_case):
    source = make_source("RFE/RL report")
    response = update(researcher_client, detained_case, source=source.pk, quote="He was released in October.")
    assert response.status_code == 302, errors(response)
    event = Event.objects.get(type=EventType.RELEASED)
    assert event.date.edtf == "2018-10"
    assert not event.is_published  # waits for an Editor
    assert event.citations.get().quote == "He was released in October."
    assert event.history.get().history_user.username == "alice"


def test_the_form_can_add_a_new_source_with_the_citation(researcher_client, detained_case):
    response = update(
        researcher_client,
        detained_case,
        new_source_title="Court decision 2-123/2018",
        new_source_published="2018-10-15",
        quote="The court ordered his release.",
    )
    assert response.status_code == 302, errors(response)
    source = Source.objects.get(title="Court decision 2-123/2018")
    assert Citation.objects.get(source=source).quote == "The court ordered his release."
    assert not source.is_published


def test_an_editor_can_publish_at_once_and_the_public_sees_it(editor_client, detained_case, client):
    source = make_source()
    response = update(editor_client, detained_case, source=source.pk, quote="He was released.", publish="on")
    assert response.status_code == 302, errors(response)
    person = detained_case.people.get()
    assert Person.objects.with_custody().get(pk=person.pk).custody == CustodyState.AT_LIBERTY
    assert "Released from pre-trial detention." in client.get(detained_case.get_absolute_url()).content.decode()


def test_publishing_needs_a_citation(editor_client, detained_case):
    response = update(editor_client, detained_case, publish="on")
    assert response.status_code == 400
    assert "A published event needs a citation" in errors(response)


def test_a_researcher_is_not_offered_to_publish(researcher_client, detained_case):
    response = researcher_client.get(reverse("admin:cases_case_status_update", args=[detained_case.pk]))
    assert "publish" not in response.context["form"].fields
    update(researcher_client, detained_case, source=make_source().pk, quote="Released.", publish="on")
    assert not Event.objects.get(type=EventType.RELEASED).is_published


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date_precision": "range", "date_end": "2018-09-01"}, "must not be before the earliest date"),
        ({"date_precision": "day", "date_start": "FUTURE"}, "in the future"),
        ({"date_precision": "year", "date_start": "1950-06-01"}, "was born in 1956, after this date"),
        ({"type": EventType.TRANSFERRED, "custody": "", "sentence_months": "60"}, "A sentence needs a conviction"),
        ({"source": "SOURCE", "quote": "x" * 1501}, "at most 1500 characters"),
        ({"source": "SOURCE"}, "Copy the words of the source"),
        ({"quote": "Words with no source."}, "Say which source"),
    ],
    ids=["reversed", "future", "before-birth", "sentence-without-conviction", "long-quote", "no-quote", "no-source"],
)
def test_impossible_updates_are_refused_with_a_clear_message(researcher_client, detained_case, fields, message):
    if fields.get("date_start") == "FUTURE":
        fields["date_start"] = (timezone.localdate() + timedelta(days=2)).isoformat()
    if fields.get("source") == "SOURCE":
        fields["source"] = make_source().pk
    response = update(researcher_client, detained_case, **fields)
    assert response.status_code == 400
    assert message in errors(response)
    assert (
        not Event.objects.filter(type=fields.get("type", EventType.RELEASED))
        .exclude(description="Something happened.")
        .exists()
    )


def test_a_duplicate_event_is_refused(researcher_client, detained_case):
    fields = {"type": EventType.DETAINED, "custody": CustodyState.DETAINED, "date_start": "2018-03-10"}
    response = update(researcher_client, detained_case, **fields)
    assert response.status_code == 400
    assert "This event is already recorded" in errors(response)


def test_a_release_while_not_in_custody_asks_for_confirmation(researcher_client):
    person = make_person("Free Person")
    case = make_case("Case of a free person", people=[person])
    make_event(case, "2018-01", type=EventType.CHARGED, stage=CaseStage.CHARGED)
    response = update(researcher_client, case)
    assert response.status_code == 400
    assert "Nothing on record puts Free Person in custody" in errors(response)
    assert "confirm_warnings" in response.content.decode()
    response = update(researcher_client, case, confirm_warnings="on")
    assert response.status_code == 302, errors(response)
    assert Event.objects.filter(type=EventType.RELEASED).count() == 1


def test_an_update_dated_before_everything_in_the_case_asks_for_confirmation(researcher_client, detained_case):
    response = update(
        researcher_client,
        detained_case,
        type=EventType.CHARGED,
        custody="",
        date_start="2017-01-01",
        date_precision="day",
    )
    assert "earlier than anything recorded in the case" in errors(response)


def test_a_status_update_from_a_person_page_offers_their_cases(researcher_client, detained_case):
    person = detained_case.people.get()
    url = reverse("admin:cases_person_status_update", args=[person.pk])
    page = researcher_client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["case"].queryset) == [detained_case]
    data = {
        "case": detained_case.pk,
        "person": person.pk,
        "date_start": "2018-11-02",
        "date_precision": "day",
        "type": EventType.TRANSFERRED,
        "description": "Transferred to a prison colony.",
    }
    assert researcher_client.post(url, data).status_code == 302
    assert Event.objects.get(type=EventType.TRANSFERRED).person == person


def test_the_case_page_shows_the_timeline_the_public_status_and_the_link(researcher_client, detained_case):
    make_event(detained_case, "2018-06", type=EventType.CHARGED, description="Draft charge.", is_published=False)
    html = researcher_client.get(reverse("admin:cases_case_change", args=[detained_case.pk])).content.decode()
    assert "Add status update" in html
    assert "Aset Matayev: Detained (pre-trial)" in html
    assert detained_case.get_absolute_url() in html
    person = detained_case.people.get()
    html = researcher_client.get(reverse("admin:cases_person_change", args=[person.pk])).content.decode()
    assert "Draft charge." in html and "(not published)" in html
    assert reverse("admin:cases_person_status_update", args=[person.pk]) in html
    assert "Detained (pre-trial) — since March 2018" in html


def test_a_new_source_titled_in_cyrillic_gets_its_address_in_latin_letters(researcher_client, detained_case):
    response = update(
        researcher_client, detained_case, new_source_title="Решение суда", quote="Суд постановил освободить."
    )
    assert response.status_code == 302, errors(response)
    assert Source.objects.get(title="Решение суда").slug == "reshenie-suda"


def test_a_bad_new_source_and_a_bad_date_are_refused_together(researcher_client, detained_case):
    response = update(
        researcher_client,
        detained_case,
        new_source_title="Court decision",
        new_source_published="last spring",
        quote="The court ordered his release.",
        date_precision="range",
        date_end="2018-09-01",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["new_source_published"] and form.errors["date_end"]
    assert not Source.objects.filter(title="Court decision").exists()


def test_the_service_saves_nothing_while_its_doubts_are_unconfirmed(db):
    person = make_person("Free Person")
    case = make_case("Case of a free person", people=[person])
    release = {
        "case": case,
        "person": None,
        "date_start": timezone.localdate() - timedelta(days=1),
        "type": EventType.RELEASED,
        "description": "Released.",
        "new_source": {"title": "Court decision"},
        "quote": "He was released.",
    }
    unconfirmed = record_status_update(**release)
    assert unconfirmed.event is None
    assert "Nothing on record puts Free Person in custody" in unconfirmed.warnings[0]
    assert not Event.objects.exists() and not Source.objects.exists()
    confirmed = record_status_update(**release, warnings_confirmed=True)
    assert confirmed.event.citations.get().source.title == "Court decision"
