"""WCAG 2.1 AA in the markup of every public page: landmarks, one h1 and headings in order,
a skip link, labels on every control, unique ids, the timeline as an ordered list."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.choices import CustodyState, EventType

from .factories import (
    make_case,
    make_charge,
    make_event,
    make_organization,
    make_person,
    make_source,
    make_theme,
    read_only_for_the_module,
)

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """What an accessibility audit reads from a page: headings, landmarks, controls, labels, ids."""

    def __init__(self):
        super().__init__()
        self.headings, self.landmarks, self.controls, self.labels, self.ids = [], [], [], set(), []
        self.first_link = None
        self.html_lang = None
        self.ordered_lists = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.append((tag, attrs))
        if tag == "a" and self.first_link is None:
            self.first_link = attrs
        if tag in {"select", "textarea", "button"} or (tag == "input" and attrs.get("type") != "hidden"):
            self.controls.append((tag, attrs))
        if tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        if tag == "ol":
            self.ordered_lists.append(attrs.get("class", ""))


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """Every test here reads these records: built once for the module."""
    with read_only_for_the_module(django_db_blocker):
        yield build_site()


def build_site():
    person = make_person("Maks Bokaev", slug="maks-bokaev")
    case = make_case(
        "Prosecution of Maks Bokaev",
        slug="prosecution-of-maks-bokaev",
        people=[person],
        organizations=[make_organization("Atyrau Activists", slug="atyrau-activists")],
        charges=[make_charge("inciting discord")],
        themes=[make_theme("Civil Society")],
    )
    source = make_source("World Report 2019", slug="world-report-2019")
    make_event(case, "2016-05", person=person, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, source=source)
    return case


PAGES = [
    ("cases:home", []),
    ("cases:person-detail", ["maks-bokaev"]),
    ("cases:case-detail", ["prosecution-of-maks-bokaev"]),
    ("cases:organization-detail", ["atyrau-activists"]),
    ("cases:charge-detail", ["inciting-discord"]),
    ("cases:theme-detail", ["civil-society"]),
    ("cases:source-list", []),
    ("cases:source-detail", ["world-report-2019"]),
]


def outline(client, path) -> Outline:
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = Outline()
    parsed.feed(response.content.decode())
    return parsed


@pytest.mark.parametrize("prefix", ["", "/ru"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_has_landmarks_one_h1_and_headings_in_order(client, site, prefix, name, args):
    page = outline(client, prefix + reverse(name, args=args))
    assert page.html_lang == ("ru" if prefix else "en")
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for previous, heading in zip(page.headings, page.headings[1:], strict=False):
        assert heading <= previous + 1, page.headings
    tags = [tag for tag, _attrs in page.landmarks]
    assert tags.count("main") == 1 and "header" in tags and "footer" in tags
    assert all(attrs.get("aria-label") for tag, attrs in page.landmarks if tag == "nav")


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_the_first_link_skips_to_the_main_content(client, site, name, args):
    page = outline(client, reverse(name, args=args))
    assert page.first_link == {"class": "skip", "href": "#main"}
    assert "main" in page.ids


@pytest.mark.parametrize("prefix", ["", "/ru"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_control_has_a_label_and_every_id_is_unique(client, site, prefix, name, args):
    page = outline(client, prefix + reverse(name, args=args))
    assert page.controls
    for tag, attrs in page.controls:
        if tag == "button":
            continue  # a button is named by its text; see the language switch test
        assert attrs.get("id") in page.labels or attrs.get("aria-label"), (tag, attrs)
    assert len(page.ids) == len(set(page.ids))


def test_a_timeline_is_an_ordered_list(client, site):
    for name, args in PAGES[:3]:
        assert "timeline" in outline(client, reverse(name, args=args)).ordered_lists
