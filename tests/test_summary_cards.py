"""A person's and a case's page open with one summary card, a <dl>, built without a query per item."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.choices import CaseStage, CustodyState, EventType, NameLanguage, Role, VariantKind
from cases.models import NameVariant

from .factories import make_case, make_charge, make_event, make_person, make_source

pytestmark = pytest.mark.django_db


def card(html: str) -> str:
    """The summary card: the first section of the page, before anything else."""
    found = re.search(r'<main id="main" tabindex="-1">\s*<section class="summary-card">(.*?)</section>', html, re.S)
    assert found, "the page does not open with its summary card"
    return found.group(1)


def sentenced_journalist():
    person = make_person("Ardak Ashim", role=Role.JOURNALIST, country="KZ", location="Shymkent")
    NameVariant.objects.create(
        person=person, name="Ардак Ашим", kind=VariantKind.CYRILLIC, language=NameLanguage.RUSSIAN
    )
    charge = make_charge("Inciting discord", article="174")
    case = make_case("Prosecution of Ardak Ashim", people=[person], charges=[charge], location="Shymkent city court")
    verdict = make_source("Verdict")
    make_event(case, "2018-03-01", type=EventType.DETAINED, custody=CustodyState.DETAINED, stage=CaseStage.CHARGED)
    make_event(case, "2018-05-10", type=EventType.TRIAL, stage=CaseStage.ON_TRIAL, source=verdict)
    make_event(
        case,
        "2018-08-17",
        type=EventType.CONVICTED,
        custody=CustodyState.IMPRISONED,
        stage=CaseStage.CONVICTED,
        sentence_months=84,
        source=verdict,
    )
    return person, case


def test_the_person_page_opens_with_one_card_of_who_where_custody_sentence_charges_cases_and_sources(client, set_today):
    set_today(date(2019, 1, 1))
    person, case = sentenced_journalist()
    html = card(client.get(person.get_absolute_url()).content.decode())
    assert "<h1>Ardak Ashim</h1>" in html and "Ардак Ашим" in html
    facts = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S))
    assert facts["Role"] == "Journalist"
    assert "Kazakhstan" in facts["Country"] and facts["Region"] == "Shymkent"
    assert "Imprisoned" in facts["Custody"] and "since 17 August 2018" in facts["Custody"]
    assert "17 August 2018" in facts["Began"]
    assert "17 August 2018" in facts["Last reported"]
    assert facts["Sentence"] == "7 years"
    assert "1 March 2025" in facts["Expected end of sentence"]
    assert f'href="{case.get_absolute_url()}"' in facts["Cases"]
    assert "Convicted" in facts["Cases"] and "Inciting discord (174)" in facts["Cases"]
    assert "2 sources cited" in facts["Sources"]


def test_the_russian_person_card_is_in_russian_with_the_cyrillic_name(client, set_today):
    set_today(date(2019, 1, 1))
    person, _ = sentenced_journalist()
    with translation.override("ru"):
        html = card(client.get(person.get_absolute_url()).content.decode())
    assert "Ардак Ашим" in re.search(r"<h1>(.*?)</h1>", html).group(1)
    for label in ("Роль", "Регион", "Источников: 2"):
        assert label in html, label


def test_a_case_listed_on_a_person_card_says_when_its_stage_is_not_reported(client):
    person = make_person("Ardak Ashim")
    make_case("Quiet case", people=[person])
    assert "Quiet case</a>: stage not reported" in card(client.get(person.get_absolute_url()).content.decode())


def test_the_case_page_opens_with_its_people_charges_stage_court_and_key_dates(client):
    person, case = sentenced_journalist()
    html = card(client.get(case.get_absolute_url()).content.decode())
    assert "<h1>Prosecution of Ardak Ashim</h1>" in html
    facts = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S))
    assert "Ardak Ashim" in facts["People"]
    assert "Inciting discord (174)" in facts["Charges"]
    assert facts["Stage"] == "Convicted"
    assert facts["Court or place heard"] == "Shymkent city court"
    assert "10 May 2018" in facts["Trial"]
    assert "17 August 2018" in facts["Verdict"]
    assert "17 August 2018" in facts["Sentence"] and "7 years" in facts["Sentence"]
    assert "17 August 2018" in facts["Last event"]
    assert "Opened" not in facts, "no investigation was reported opened: no date is made up for it"
    assert "2 sources cited" in facts["Sources"]


def test_a_key_date_links_to_its_event_in_the_timeline(client):
    _, case = sentenced_journalist()
    trial = case.events.get(type=EventType.TRIAL)
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'href="#event-{trial.pk}"' in card(html) and f'id="event-{trial.pk}"' in html


def test_a_later_sentence_on_appeal_is_the_one_the_case_card_gives(client):
    _, case = sentenced_journalist()
    make_event(case, "2018-11", type=EventType.SENTENCE_CHANGED, sentence_months=60)
    html = card(client.get(case.get_absolute_url()).content.decode())
    assert re.search(r"<dt>Sentence</dt><dd>.*November 2018.*5 years</dd>", html)


def test_the_russian_case_card_is_in_russian(client):
    _, case = sentenced_journalist()
    with translation.override("ru"):
        html = card(client.get(case.get_absolute_url()).content.decode())
    for label in ("Суд или место рассмотрения", "Решение суда", "Последнее событие"):
        assert label in html, label


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_persons_card_costs_no_query_per_case_charge_event_or_source(client):
    person, _ = sentenced_journalist()
    one_case = queries_for(client, person.get_absolute_url())
    for number in range(3):
        case = make_case(f"Another case {number}", people=[person], charges=[make_charge(), make_charge()])
        make_event(case, f"2017-0{number + 1}", type=EventType.CHARGED, stage=CaseStage.CHARGED)
        make_event(case, f"2017-1{number}", type=EventType.TRIAL, stage=CaseStage.ON_TRIAL)
    assert queries_for(client, person.get_absolute_url()) == one_case


def test_a_cases_card_costs_no_query_per_person_charge_or_event(client):
    person, case = sentenced_journalist()
    few = queries_for(client, case.get_absolute_url())
    case.people.add(make_person(), make_person())
    case.charges.add(make_charge(article="179"), make_charge())
    make_event(case, "2018-12", type=EventType.SENTENCE_CHANGED, sentence_months=60)
    assert queries_for(client, case.get_absolute_url()) == few


def test_the_person_page_answers_in_a_known_number_of_queries(client, django_assert_max_num_queries):
    person, _ = sentenced_journalist()
    with django_assert_max_num_queries(12):
        client.get(reverse("cases:person-detail", args=[person.slug]))
