"""What every public page says about itself: title, summary for sharing, canonical address,
last update, a citation line; and a page's query count does not grow with what it shows."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.choices import CustodyState, EventType
from cases.models import Case, Event, Organization, Person, Source

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def bokaev():
    person = make_person(
        "Maks Bokaev", slug="maks-bokaev", summary="Atyrau activist imprisoned for peaceful protest in 2016."
    )
    case = make_case(
        "Prosecution of Maks Bokaev",
        slug="prosecution-of-maks-bokaev",
        people=[person],
        organizations=[make_organization("Atyrau Activists", slug="atyrau-activists")],
        charges=[make_charge("inciting discord")],
        themes=[make_theme("Civil Society")],
    )
    make_event(case, "2016-11-28", person=person, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    return person


def set_updated(model, pk, when):
    model.objects.filter(pk=pk).update(updated_at=when)


def pages(bokaev):
    case = bokaev.cases.get()
    return [
        reverse("cases:home"),
        reverse("cases:person-detail", args=[bokaev.slug]),
        reverse("cases:case-detail", args=[case.slug]),
        reverse("cases:organization-detail", args=["atyrau-activists"]),
        reverse("cases:charge-detail", args=["inciting-discord"]),
        reverse("cases:theme-detail", args=["civil-society"]),
        reverse("cases:source-list"),
        reverse("cases:source-detail", args=[case.events.get().citations.get().source.slug]),
    ]


def test_a_person_page_has_a_title_a_description_and_open_graph_tags_for_sharing(client, bokaev):
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert "<title>Maks Bokaev — casetracker</title>" in html
    assert '<meta name="description" content="Atyrau activist imprisoned for peaceful protest in 2016.">' in html
    assert '<meta property="og:title" content="Maks Bokaev">' in html
    assert '<meta property="og:description" content="Atyrau activist imprisoned for peaceful protest in 2016.">' in html
    assert '<meta property="og:url" content="http://testserver/people/maks-bokaev/">' in html


def test_a_page_without_a_summary_is_described_in_words_of_its_own(client, bokaev):
    Person.objects.filter(pk=bokaev.pk).update(summary="")
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert (
        '<meta name="description" content="The custody status of Maks Bokaev and a timeline of their cases, '
        'every fact cited.">' in html
    )


def test_a_long_summary_is_cut_to_a_sharing_length(client, bokaev):
    Person.objects.filter(pk=bokaev.pk).update(summary="word " * 100)
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert len(description) <= 200 and description.endswith("…")


def test_every_page_has_a_canonical_link_a_permanent_link_and_a_citation_line(client, bokaev):
    today = timezone.localdate().isoformat()
    for url in pages(bokaev):
        html = client.get(url).content.decode()
        canonical = f"http://testserver{url}"
        assert f'<link rel="canonical" href="{canonical}">' in html, url
        assert f'<a href="{canonical}">{canonical}</a>' in html, url
        assert re.search(rf"casetracker, (.+, )?{re.escape(canonical)}, accessed {today}", html), url
        assert html.count("<title>") == 1 and html.count('name="description"') == 1, url


def test_the_citation_line_names_the_page(client, bokaev):
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    today = timezone.localdate().isoformat()
    assert f"casetracker, Maks Bokaev, http://testserver/people/maks-bokaev/, accessed {today}" in html


def test_a_query_string_is_not_part_of_the_canonical_address(client, bokaev):
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"]), {"utm_source": "x"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/people/maks-bokaev/">' in html


def test_each_page_links_its_other_language(client, bokaev):
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/people/maks-bokaev/">' in html
    assert '<link rel="alternate" hreflang="ru" href="http://testserver/ru/people/maks-bokaev/">' in html


def test_last_updated_is_the_latest_change_to_what_the_page_shows(client, bokaev):
    case = bokaev.cases.get()
    event = case.events.get()
    source = event.citations.get().source
    set_updated(Person, bokaev.pk, datetime(2019, 1, 5, tzinfo=UTC))
    set_updated(Case, case.pk, datetime(2019, 2, 6, tzinfo=UTC))
    set_updated(Source, source.pk, datetime(2019, 3, 7, tzinfo=UTC))
    set_updated(Event, event.pk, datetime(2019, 4, 8, tzinfo=UTC))
    # A draft is not shown, so its change does not count.
    draft = make_event(case, "2017-01", person=bokaev, is_published=False)
    set_updated(Event, draft.pk, datetime(2020, 1, 1, tzinfo=UTC))
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert '<dt>Last updated</dt>\n        <dd><time datetime="2019-04-08">8 April 2019</time></dd>' in html

    set_updated(Source, source.pk, datetime(2019, 5, 9, tzinfo=UTC))
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert '<time datetime="2019-05-09">9 May 2019</time>' in html


def test_last_updated_on_a_charge_page_follows_its_cases(client, bokaev):
    case = bokaev.cases.get()
    Case.objects.filter(pk=case.pk).update(updated_at=datetime(2018, 12, 1, tzinfo=UTC))
    Organization.objects.update(updated_at=datetime(2018, 11, 1, tzinfo=UTC))
    Person.objects.filter(pk=bokaev.pk).update(updated_at=datetime(2018, 12, 2, tzinfo=UTC))
    html = client.get(reverse("cases:charge-detail", args=["inciting-discord"])).content.decode()
    assert '<time datetime="2018-12-02">2 December 2018</time>' in html


def person_with_events(count: int) -> Person:
    person = make_person()
    source = make_source()
    for number in range(count):
        case = make_case(people=[person], charges=[make_charge()], themes=[make_theme()])
        for month in range(1, 5):
            make_event(case, f"{2010 + number}-{month:02d}", person=person, source=source)
    return person


@pytest.mark.parametrize(
    ("name", "slug_of"),
    [
        ("cases:person-detail", lambda person: person.slug),
        ("cases:case-detail", lambda person: person.cases.first().slug),
        ("cases:source-detail", lambda person: Source.objects.first().slug),
        ("cases:feed-person", lambda person: person.slug),
    ],
)
def test_a_page_takes_the_same_number_of_queries_however_much_it_shows(
    client, name, slug_of, django_assert_max_num_queries
):
    small = person_with_events(1)
    with django_assert_max_num_queries(12) as counted:
        assert client.get(reverse(name, args=[slug_of(small)])).status_code == 200
    large = person_with_events(8)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert client.get(reverse(name, args=[slug_of(large)])).status_code == 200
