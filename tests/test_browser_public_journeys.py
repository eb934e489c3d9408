"""The public's journeys through the loaded report, in Debian's Chromium (`make test-browser`).

Each journey uses only what a visitor sees: links, the filter form, the language switch, the
download links; what the pages say is checked against the records.
"""

import csv
import io
from datetime import date
from xml.etree import ElementTree

import pytest
from django.utils import translation

from cases.localized import display_name
from cases.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("loaded_report")]

ATOM = "{http://www.w3.org/2005/Atom}"


def names_in_the_table(page) -> list[str]:
    return page.locator("table.results tbody th[scope=row] a").all_inner_texts()


def test_a_visitor_finds_a_person_by_a_cyrillic_spelling_and_follows_them_to_a_feed_and_a_download(page):
    page.goto("/")
    search = page.locator("main form.site-search.prominent")
    search.get_by_role("searchbox").fill("Бокаев")  # the report spells him Maks Bokaev
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=*")
    page.locator("main").get_by_role("link", name="Maks Bokaev", exact=True).first.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Maks Bokaev"
    events = page.locator("li.event")
    assert events.count() >= 1
    citation = events.first.locator("figure.citation")
    assert citation.locator("blockquote").inner_text().strip().startswith("“")
    source_title = citation.locator("figcaption a").first.inner_text()
    citation.locator("figcaption a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == source_title
    page.go_back()

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url("**/ru/people/maks-bokaev/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Макс Бокаев")
    assert page.locator("html").get_attribute("lang") == "ru"

    feed_link = page.locator("main a[type='application/atom+xml']").first
    feed = page.request.get(feed_link.get_attribute("href"))
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(feed.body()).findall(f"{ATOM}entry")
    assert entries and all("Бокаев" in entry.findtext(f"{ATOM}title") for entry in entries)

    # A filtered list of the Russian site, downloaded as CSV: the same people as the page shows.
    page.goto("/ru/people/")
    page.locator("details.filters > summary").click()  # the filters are folded, results first
    page.get_by_label("Лишены свободы").select_option("true")
    page.locator("form.filters button[type=submit]").click()
    shown = names_in_the_table(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(shown) > 0
    assert {row["slug"] for row in rows} == set(
        Person.objects.published().in_custody_on().values_list("slug", flat=True)
    )
    assert all(row["in_custody"].lower() == "true" for row in rows)


def test_who_was_in_custody_on_30_june_2018_from_the_home_page(page):
    page.goto("/")
    page.get_by_role("link", name="Everyone in custody at last report").click()
    page.locator("details.filters > summary").click()  # the filters are folded, results first
    page.get_by_label("Status on").fill("2018-06-30")
    page.get_by_role("button", name="Apply").click()

    expected = Person.objects.published().in_custody_on(date(2018, 6, 30))
    with translation.override("en"):
        expected_names = sorted(display_name(person) for person in expected)
    assert sorted(names_in_the_table(page)) == expected_names
    assert "Maks Bokaev" in expected_names  # imprisoned since 2016
    heading = page.locator("#results-heading").inner_text()
    assert heading.split()[0] == str(len(expected_names)), heading
    assert page.get_by_role("columnheader", name="Custody on 30 June 2018").is_visible()
