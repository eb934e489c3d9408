"""The sources page: the documents cited, and what each of them supports in public."""

import re

import pytest
from django.urls import reverse

from cases.choices import EventType
from cases.views.sources import SOURCES_PER_PAGE

from .factories import make_case, make_event, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    source = make_source("World Report 2019: Kazakhstan", slug="world-report-2019", publisher="Human Rights Watch")
    ashim = make_case("Prosecution of Ardak Ashim", people=[make_person("Ardak Ashim")])
    bokaev = make_case("Prosecution of Maks Bokaev", people=[make_person("Maks Bokaev")])
    make_event(ashim, "2018-03", source=source, type=EventType.CHARGED)
    make_event(ashim, "2018-05", source=source, type=EventType.EXEMPTED)
    make_event(bokaev, "2018-08", source=source, type=EventType.STATUS_REPORTED)
    make_event(None, "2018-06", theme=make_theme("Civil Society"), source=source, type=EventType.CONTEXT)
    return source


SUPPORTED_CASE = re.compile(
    r'<li><a href="/cases/[^"]+/">([^<]+)</a> '
    r'<span class="muted">\((\d+) events?\)</span></li>'
)


def supported_cases(html):
    return SUPPORTED_CASE.findall(html)


def test_each_source_says_how_many_events_and_cases_it_supports_with_links(client, report):
    html = client.get(reverse("cases:source-list")).content.decode()
    assert '<h2><a href="/sources/world-report-2019/">World Report 2019: Kazakhstan</a></h2>' in html
    assert "Supports 4 published events." in html
    assert "In 2 cases:" in html
    assert supported_cases(html) == [("Prosecution of Ardak Ashim", "2"), ("Prosecution of Maks Bokaev", "1")]
    assert '<a href="https://example.org/report" rel="noopener noreferrer">The original document</a>' in html


def test_unpublished_sources_events_and_cases_are_left_out(client, report):
    make_source("Internal memo", is_published=False)
    hidden_case = make_case("Hidden case", people=[make_person("Hidden Person")], is_published=False)
    make_event(hidden_case, "2018-09", source=report)
    draft_case = make_case("Prosecution with drafts only")
    make_event(draft_case, "2018-10", source=report, is_published=False)
    hidden_person = make_person("Hidden Person Two", is_published=False)
    shared = make_case("Shared case", people=[hidden_person])
    make_event(shared, "2018-11", source=report, person=hidden_person)

    html = client.get(reverse("cases:source-list")).content.decode()
    for secret in ("Internal memo", "Hidden case", "Prosecution with drafts only", "Hidden Person"):
        assert secret not in html
    assert "Supports 4 published events." in html
    assert [title for title, _count in supported_cases(html)] == [
        "Prosecution of Ardak Ashim",
        "Prosecution of Maks Bokaev",
    ]


def test_a_source_that_supports_nothing_public_says_so(client):
    make_source("Unused document")
    html = client.get(reverse("cases:source-list")).content.decode()
    assert "Unused document" in html and "Supports 0 published events." in html


def test_the_sources_page_takes_the_same_number_of_queries_however_many_sources(
    client, report, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as counted:
        client.get(reverse("cases:source-list"))
    for _number in range(30):
        source = make_source()
        make_event(make_case(people=[make_person()]), "2018-01", source=source)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        html = client.get(reverse("cases:source-list")).content.decode()
    assert html.count("<h2><a href=") == SOURCES_PER_PAGE


def test_the_sources_page_is_paginated_and_a_bad_page_number_is_not_an_error(client):
    last = SOURCES_PER_PAGE + 4
    for number in range(last + 1):
        make_source(f"Document {number:02d}")
    first = client.get(reverse("cases:source-list")).content.decode()
    assert "Document 00" in first and f"Document {last}" not in first and "Page 1 of 2" in first
    second = client.get(reverse("cases:source-list"), {"page": "2"}).content.decode()
    assert f"Document {last}" in second
    for bad in ("0", "x", "999"):
        assert client.get(reverse("cases:source-list"), {"page": bad}).status_code == 200


def test_the_source_detail_page_still_lists_what_it_supports(client, report):
    html = client.get(reverse("cases:source-detail", args=["world-report-2019"])).content.decode()
    assert html.count('class="event"') == 4


def test_a_source_names_its_first_cases_and_says_how_many_more(client, monkeypatch):
    monkeypatch.setattr("cases.views.sources.CASES_PER_SOURCE", 1)
    source = make_source("Report")
    for title in ("Case A", "Case B", "Case C"):
        make_event(make_case(title), source=source)

    html = client.get(reverse("cases:source-list")).content.decode()

    assert [title for title, _count in supported_cases(html)] == ["Case A"]
    assert "And 2 more cases." in html
