"""The admin a researcher works in: every page renders, status and filters work."""

import pytest
from django.urls import reverse

from cases.choices import CustodyState
from cases.models import Case, Charge, Event, Organization, Person, Source, Theme

from .factories import make_case, make_event, make_person
from .personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

MODELS = [Person, Organization, Case, Event, Source, Charge, Theme]


@pytest.fixture
def admin_client(client):
    return sign_in(client, make_staff("ada", superuser=True))


@pytest.fixture
def detained():
    person = make_person("Murat Tungishbaev", variants=["Мурат Тунгишбаев"])
    case = make_case("Prosecution of Murat Tungishbaev", people=[person])
    event = make_event(case, "2018-08", custody=CustodyState.DETAINED)
    return person, case, event


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_add_page_renders(admin_client, detained, model):
    info = model._meta.app_label, model._meta.model_name
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def test_change_pages_show_the_derived_status_and_the_events_inline(admin_client, detained):
    person, case, event = detained
    html = admin_client.get(reverse("admin:cases_person_change", args=[person.pk])).content.decode()
    # An event of type "other" only reports the detention: it is on record, not begun, then.
    assert "Detained (pre-trial) — on record since August 2018 (began earlier)" in html
    html = admin_client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "The source says so." in html  # the event's citation, inline
    assert admin_client.get(reverse("admin:cases_event_change", args=[event.pk])).status_code == 200


def test_people_list_filters_by_custody_and_finds_variants(admin_client, detained):
    make_person("Free Person")
    url = reverse("admin:cases_person_changelist")
    html = admin_client.get(url, {"custody": "in_custody"}).content.decode()
    assert "Murat Tungishbaev" in html and "Free Person" not in html
    html = admin_client.get(url, {"q": "Тунгишбаев"}).content.decode()
    assert "Murat Tungishbaev" in html and "Free Person" not in html


def test_autocomplete_finds_people_for_a_case(admin_client, detained):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "case", "field_name": "people", "term": "Tungish"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Murat Tungishbaev"]


def test_an_event_saved_in_the_admin_gets_its_interval_from_the_precision(admin_client, detained):
    _, case, detention = detained
    source = detention.citations.get().source
    response = admin_client.post(
        reverse("admin:cases_event_add"),
        {
            "case": case.pk,
            "type": "released",
            "date_start": "2018-10-15",
            "date_end": "",
            "date_precision": "month",
            "custody": "at_liberty",
            "stage": "",
            "description": "Released.",
            "is_published": "on",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-quote": "He was released in October.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(type="released")
    assert event.date.edtf == "2018-10"
    assert case.people.with_custody().get().custody == CustodyState.AT_LIBERTY
