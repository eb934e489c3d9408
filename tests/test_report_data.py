"""The whole report chapter, loaded as researchers and the public will see it."""

from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case, Event, Person

pytestmark = pytest.mark.django_db

REPORT_FILE = settings.BASE_DIR / "fixtures" / "kazakhstan-2018.yaml"


@pytest.fixture
def report():
    call_command("load_report", str(REPORT_FILE), stdout=StringIO())


IN_CUSTODY_ON_30_JUNE_2018 = {"aset-mataev", "iskander-yerimbetov", "maks-bokaev", "vadim-kuramshin"}


def test_the_people_the_report_shows_in_custody_on_30_june_2018(report):
    in_custody = set(Person.objects.published().in_custody_on(date(2018, 6, 30)).values_list("slug", flat=True))
    assert in_custody == IN_CUSTODY_ON_30_JUNE_2018


def test_the_api_lists_exactly_those_people_for_30_june_2018(client, report):
    response = client.get(reverse("api:person-list"), {"as_of": "2018-06-30", "in_custody": "true"})
    assert {p["slug"] for p in response.json()["results"]} == IN_CUSTODY_ON_30_JUNE_2018


def test_every_event_of_the_report_is_published_and_cited(report):
    events = Event.objects.all()
    assert events.count() > 60
    assert not events.filter(is_published=False).exists()
    assert not events.filter(citations=None).exists()


def test_key_facts_come_through_with_their_true_precision(report):
    kuramshin = Event.objects.get(case__people__slug="vadim-kuramshin", type="released")
    assert kuramshin.date.display == "17 August 2018"
    assert Person.objects.get(slug="vadim-kuramshin").custody_on(date(2018, 8, 17)) == "at_liberty"
    ayan = Person.objects.get(slug="talgat-ayan")
    assert ayan.custody_on(date(2018, 4, 30)) == "conditional_release"
    semenova = Person.objects.get(slug="elena-semenova")
    assert semenova.custody_on(date(2018, 7, 31)) == "house_arrest"
    assert Case.objects.filter(people__slug="baurzhan-azanov").get().stage_on() == "closed"


def test_every_report_page_and_api_record_answers(client, report):
    for person in Person.objects.all():
        assert client.get(person.get_absolute_url()).status_code == 200
        assert client.get(reverse("api:person-detail", args=[person.slug])).status_code == 200
    for case in Case.objects.all():
        assert client.get(case.get_absolute_url()).status_code == 200
