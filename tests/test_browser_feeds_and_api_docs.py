"""For newcomers, in a real browser (Debian's Chromium): an Atom feed opened in the browser reads as a
page that says what a feed is and how to follow it; the API documentation loads with no
Content-Security-Policy error, says no authentication is needed, and axe-core finds no serious or
critical violation on either.

Runs with `make test-browser` (the `browser` marker).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from cases.choices import EventType

from .factories import make_case, make_charge, make_event, make_person, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious(violations) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}): " + " | ".join(n["html"][:100] for n in v["nodes"][:6])
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_api_docs_load_with_no_csp_error_no_padlock_and_no_serious_axe_violation(live_server, browser):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(live_server.url + reverse("api:docs"))
    assert response is not None and response.status == 200
    page.wait_for_selector("text=people", timeout=15000)
    page.wait_for_load_state("networkidle")
    html = page.content()
    assert [text for text in console if "Content Security Policy" in text] == []
    assert "No authentication is needed" in html
    assert "Authorize" not in html and "Authorizations" not in html
    violations = Axe().run(page).response["violations"]
    assert serious(violations) == []


@pytest.mark.parametrize(
    ("language", "heading", "entry"),
    [("en", "How to follow these changes", "March 2018: Charged"), ("ru", "Как следить за обновлениями", "март 2018")],
)
def test_a_feed_opened_in_the_browser_explains_itself_and_lists_its_entries(
    live_server, browser, language, heading, entry
):
    from axe_playwright_python.sync_playwright import Axe

    make_event(make_case(people=[make_person("Ardak Ashim")]), "2018-03", type=EventType.CHARGED)
    with translation.override(language):
        address = reverse("cases:feed-updates")
    page = browser.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server.url + address)
    assert page.locator("h2", has_text=heading).count() == 1
    assert page.locator("h1").inner_text().startswith("casetracker")
    assert entry in page.locator("ol.feed-entries").inner_text()
    assert page.locator("html").get_attribute("lang") == language
    assert [text for text in console if "Content Security Policy" in text] == []
    assert serious(Axe().run(page).response["violations"]) == []


def test_axe_finds_no_serious_violation_on_the_search_charge_and_theme_pages(live_server, browser):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    bokaev = make_person("Maks Bokaev")
    case = make_case("Prosecution of Maks Bokaev", people=[bokaev], charges=[make_charge("inciting discord")],
                     themes=[make_theme("Civil Society")])  # fmt: skip
    make_event(case, "2016-05", type=EventType.CONVICTED, description="Sentenced in Atyrau.")
    addresses = []
    for language in ("en", "ru"):
        with translation.override(language):
            addresses += [
                reverse("cases:search") + "?q=Bokaev",
                reverse("cases:search") + "?q=Zzyzx",
                reverse("cases:person-list") + "?search=Zzyzx&in_custody=true",
                reverse("cases:event-list") + "?search=Atyrau",
                reverse("cases:charge-list"),
                reverse("cases:theme-list"),
            ]
    page = browser.new_page()
    found = {}
    for address in addresses:
        response = page.goto(live_server.url + address)
        assert response is not None and response.status == 200, address
        if problems := serious(Axe().run(page).response["violations"]):
            found[address] = problems
    assert found == {}
