"""axe-core in a real browser (Debian's Chromium) on every public page type of the loaded report, in
Russian and in English, its error page (not found), and on the pages without a language prefix (the
API root, the admin login):
no violation of the language rules (WCAG 3.1.1, 3.1.2) and none serious or critical.

Runs with `make test-browser` (the `browser` marker); .ci/run installs Chromium when it is missing.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from .browser import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("loaded_report")]

LANGUAGE_RULES = {"html-has-lang", "html-lang-valid", "valid-lang", "html-xml-lang-mismatch"}


def test_axe_finds_no_language_or_serious_violation_on_any_page_type(page):
    from axe_playwright_python.sync_playwright import Axe

    addresses = []
    for language in ("ru", "en"):
        with translation.override(language):
            addresses += public_pages().values()
    assert len(addresses) == 2 * 16 and any(address.startswith("/ru/") for address in addresses)
    addresses += [reverse("api:api-root"), reverse("admin:login")]
    not_found = [reverse("cases:person-detail", args=["no-one"])]
    with translation.override("ru"):
        not_found.append(reverse("cases:person-detail", args=["no-one"]))

    axe = Axe()
    found = {}
    for address in addresses + not_found:
        response = page.goto(address)
        assert response is not None and response.status == (404 if address in not_found else 200), address
        violations = axe.run(page).response["violations"]
        problems = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
            for v in violations
            if v["id"] in LANGUAGE_RULES or v["impact"] in {"serious", "critical"}
        ]
        if problems:
            found[address] = problems
    assert found == {}
