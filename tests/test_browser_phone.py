"""The public pages on a 375px phone and a 1280px desktop, measured in Debian's Chromium: nothing
scrolls sideways, the results come before the folded filters' fields, a list's rows become cards
that fit, and the chart's text is never smaller than 12px. English and Russian.

Runs with `make test-browser` (the `browser` marker).
"""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("loaded_report")]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

PAGES = [
    ("cases:home", []),
    ("cases:person-detail", ["maks-bokaev"]),
    ("cases:case-detail", ["prosecution-of-maks-bokaev-and-talgat-ayan"]),
    ("cases:person-list", []),
    ("cases:case-list", []),
    ("cases:event-list", []),
    ("cases:statistics", []),
    ("cases:source-list", []),
    ("cases:charge-list", []),
    ("cases:theme-list", []),
]

# The size of each piece of chart text as drawn: its font size times the scale of its SVG on screen.
DRAWN_TEXT_SIZES = """() => [...document.querySelectorAll("figure.chart svg text")]
    .filter(text => text.getClientRects().length > 0)
    .map(text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""


def addresses(pages=PAGES):
    for language in ("en", "ru"):
        with translation.override(language):
            yield from (reverse(name, args=args) for name, args in pages)


def test_no_public_page_scrolls_sideways_on_a_375px_phone(live_server, browser):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    too_wide = {}
    for address in list(addresses()):
        response = page.goto(live_server.url + address)
        assert response is not None and response.status == 200, address
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[address] = width
    assert too_wide == {}


def test_on_a_phone_the_results_come_first_and_each_row_is_a_card_that_fits(live_server, browser):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    for address in list(addresses([("cases:person-list", []), ("cases:case-list", [])])):
        page.goto(live_server.url + address)
        assert page.locator("details.filters").get_attribute("open") is None
        first_result = page.locator("table.results tbody tr").first
        box = first_result.bounding_box()
        assert box is not None and box["y"] < 1000, f"{address}: the first result starts at {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], address
        assert page.locator("table.results thead").bounding_box()["height"] <= 1, "the column heads become labels"
        # The folded filters open on demand, without script.
        page.locator("details.filters > summary").click()
        assert page.locator("form.filters input[name=search]").is_visible()


def test_the_chart_text_is_at_least_12px_at_any_width(live_server, browser):  # noqa: F811
    statistics = list(addresses([("cases:statistics", [])]))
    for viewport in (PHONE, {"width": 320, "height": 640}, {"width": 600, "height": 900}, DESKTOP):
        page = browser.new_page(viewport=viewport)
        for address in statistics:
            page.goto(live_server.url + address)
            sizes = page.evaluate(DRAWN_TEXT_SIZES)
            assert sizes, f"{address}: no chart text is shown at {viewport['width']}px"
            assert min(sizes) >= 11.99, f"{address} at {viewport['width']}px: text drawn at {min(sizes):.1f}px"
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.close()
