"""axe-core in a real browser (Debian's Chromium) on the public pages of the loaded report, in Russian
and in English: no violation of the language rules (WCAG 3.1.1, 3.1.2) and none serious or critical.

Runs with `make test-browser` (the `browser` marker); .ci/run installs Chromium when it is missing.
"""

import os
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LANGUAGE_RULES = {"html-has-lang", "html-lang-valid", "valid-lang", "html-xml-lang-mismatch"}

PAGES = [
    ("cases:home", []),
    ("cases:person-list", []),
    ("cases:person-detail", ["maks-bokaev"]),
    ("cases:person-detail", ["natalya-ulasik"]),
    ("cases:case-list", []),
    ("cases:organization-list", []),
    ("cases:event-list", []),
    ("cases:statistics", []),
    ("cases:source-list", []),
]


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the database is only touched
    # before the browser starts (the live server answers from its own thread).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def public_addresses():
    report = settings.BASE_DIR / "fixtures" / "kazakhstan-2018.yaml"
    call_command("load_report", str(report), stdout=StringIO())
    for language in ("ru", "en"):
        with translation.override(language):
            yield from (reverse(name, args=args) for name, args in PAGES)


def test_axe_finds_no_language_or_serious_violation_on_the_public_pages(live_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    addresses = list(public_addresses())
    axe = Axe()
    page = browser.new_page()
    found = {}
    for address in addresses:
        response = page.goto(live_server.url + address)
        assert response is not None and response.status == 200, address
        violations = axe.run(page).response["violations"]
        problems = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
            for v in violations
            if v["id"] in LANGUAGE_RULES or v["impact"] in {"serious", "critical"}
        ]
        if problems:
            found[address] = problems
    assert found == {}
    assert any(address.startswith("/ru/") for address in addresses)
