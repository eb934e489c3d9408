"""On /ru/ a record reads in Russian where the project has written it so: a name in its Russian
spelling (the Latin form beside it), a case's title and a summary in their Russian versions; what
stays in another language is marked with its `lang` (WCAG 3.1.2), on the pages, feeds and exports."""

import json
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from cases.choices import CustodyState, EventType, NameLanguage, VariantKind
from cases.models import NameVariant

from .factories import make_case, make_event, make_organization, make_person, make_source

pytestmark = pytest.mark.django_db


def russian(url_name: str, *args) -> str:
    with translation.override("ru"):
        return reverse(url_name, args=args)


def english(url_name: str, *args) -> str:
    # A request leaves its language active in the thread: reverse() would keep the /ru/ prefix.
    with translation.override("en"):
        return reverse(url_name, args=args)


def spelling(record, name: str, language: str = NameLanguage.RUSSIAN) -> NameVariant:
    owner = {"organization" if record._meta.model_name == "organization" else "person": record}
    return NameVariant.objects.create(**owner, name=name, kind=VariantKind.CYRILLIC, language=language)


@pytest.fixture
def bokaev():
    person = make_person("Maks Bokaev", slug="maks-bokaev", summary="Rights activist.", summary_ru="Правозащитник.")
    spelling(person, "Макс Боқаев", NameLanguage.KAZAKH)
    spelling(person, "Макс Бокаев")
    case = make_case(
        "Prosecution of Maks Bokaev",
        slug="prosecution-of-maks-bokaev",
        title_ru="Уголовное преследование Макса Бокаева",
        summary="Jailed for protesting.",
        summary_ru="Осуждён за протест.",
        people=[person],
    )
    make_event(
        case,
        "2016-05",
        person=person,
        type=EventType.CONVICTED,
        custody=CustodyState.IMPRISONED,
        description="Bokaev was sentenced.",
        source=make_source("World Report 2019", language="en"),
        quote="Maks Bokaev continued to serve a wrongful five-year sentence.",
    )
    return person


def heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


def test_the_russian_person_page_heads_with_the_russian_spelling_and_the_latin_beside_it(client, bokaev):
    html = client.get(russian("cases:person-detail", "maks-bokaev")).content.decode()
    assert heading(html) == 'Макс Бокаев <span class="latin" lang="en">(Maks Bokaev)</span>'
    assert "<title>Макс Бокаев (Maks Bokaev) — casetracker</title>" in html


def test_the_english_person_page_heads_with_the_latin_name_and_marks_each_cyrillic_spelling(client, bokaev):
    html = client.get(english("cases:person-detail", "maks-bokaev")).content.decode()
    assert heading(html) == "Maks Bokaev"
    assert '<span lang="ru">Макс Бокаев</span>' in html
    assert '<span lang="kk">Макс Боқаев</span>' in html


def test_russian_versions_of_summaries_and_titles_replace_the_english_on_russian_pages_only(client, bokaev):
    person_page = client.get(russian("cases:person-detail", "maks-bokaev")).content.decode()
    assert "Правозащитник." in person_page and "Rights activist." not in person_page
    assert "Уголовное преследование Макса Бокаева" in person_page
    case_page = client.get(russian("cases:case-detail", "prosecution-of-maks-bokaev")).content.decode()
    assert heading(case_page) == "Уголовное преследование Макса Бокаева"
    assert "Осуждён за протест." in case_page and "Jailed for protesting." not in case_page
    english_page = client.get(english("cases:case-detail", "prosecution-of-maks-bokaev")).content.decode()
    assert heading(english_page) == "Prosecution of Maks Bokaev" and "Уголовное" not in english_page


def test_english_left_on_a_russian_page_is_marked_english(client, bokaev):
    make_case("Appeal of Maks Bokaev", slug="appeal", people=[bokaev])
    html = client.get(russian("cases:person-detail", "maks-bokaev")).content.decode()
    assert '<span lang="en">Appeal of Maks Bokaev</span>' in html
    assert '<p lang="en">Bokaev was sentenced.</p>' in html
    assert re.search(r'<blockquote lang="en"[^>]*><p>“Maks Bokaev continued', html)


def test_english_pages_mark_no_english_text_only_the_cyrillic(client, bokaev):
    NameVariant.objects.filter(language=NameLanguage.KAZAKH).delete()
    html = client.get(english("cases:person-detail", "maks-bokaev")).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count('lang="') == 1 and '<span lang="ru">' in main


def test_lists_name_people_and_organisations_in_russian_on_russian_pages(client, bokaev):
    organization = make_organization("Democratic Choice of Kazakhstan", slug="dvk")
    spelling(organization, "Демократический выбор Казахстана")
    make_case("Ban of DVK", organizations=[organization])
    people = client.get(russian("cases:person-list")).content.decode()
    assert 'Макс Бокаев <span class="latin" lang="en">(Maks Bokaev)</span></a>' in people
    organizations = client.get(russian("cases:organization-list")).content.decode()
    assert 'Демократический выбор Казахстана <span class="latin" lang="en">' in organizations
    cases = client.get(russian("cases:case-list")).content.decode()
    assert "Уголовное преследование Макса Бокаева</a>" in cases


def test_the_russian_feed_names_the_person_in_russian(client, bokaev):
    feed = client.get(russian("cases:feed-person", "maks-bokaev")).content.decode()
    assert "<title>casetracker: Макс Бокаев (Maks Bokaev)</title>" in feed
    assert "май 2016" in feed and "Макс Бокаев (Maks Bokaev)</title>" in feed.split("<entry>")[1]
    english_page = client.get(english("cases:feed-person", "maks-bokaev")).content.decode()
    assert "Макс" not in english_page


def test_exports_carry_the_russian_spelling_and_the_russian_versions(client, bokaev):
    people = json.loads(b"".join(client.get(english("cases:person-export", "json")).streaming_content))["results"]
    assert (people[0]["name_ru"], people[0]["summary_ru"]) == ("Макс Бокаев", "Правозащитник.")
    cases = json.loads(b"".join(client.get(english("cases:case-export", "json")).streaming_content))["results"]
    assert cases[0]["title_ru"] == "Уголовное преследование Макса Бокаева"
    csv = b"".join(client.get(english("cases:person-export", "csv")).streaming_content).decode()
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("slug,name,name_ru,")


def test_a_withheld_name_shows_no_russian_spelling_on_russian_pages(client, bokaev):
    bokaev.name_withheld, bokaev.public_alias = True, "Name withheld — an activist"
    bokaev.save()
    html = client.get(russian("cases:person-detail", "maks-bokaev")).content.decode()
    assert "Бокаев" not in html.replace("Уголовное преследование Макса Бокаева", "")
    assert heading(html) == '<span lang="en">Name withheld — an activist</span>'


def test_a_spelling_language_outside_the_vocabulary_is_refused_by_the_database(bokaev):
    with pytest.raises(IntegrityError):
        NameVariant.objects.filter(person=bokaev).update(language="xx")
