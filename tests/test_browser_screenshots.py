"""Screenshots of each public page type at 1280 px and at 375 px, for a reviewer to look at: written
to artifacts/screenshots/ (CI keeps the folder; git ignores it). English, with the Russian home and
person pages, whose longer words are the likeliest to crowd a phone's width; the axe walk
(test_browser_accessibility.py) opens every Russian page type."""

import pytest
from django.utils import translation

from .browser import DESKTOP, PHONE, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("loaded_report")]


def test_each_public_page_type_is_photographed_on_a_desktop_and_a_phone(browser, live_server, screenshot_folder):
    pages = {f"en-{kind}": address for kind, address in public_pages().items()}
    with translation.override("ru"):
        pages.update({f"ru-{kind}": address for kind, address in public_pages().items() if kind in {"home", "person"}})
    written = []
    for width_name, viewport in [("1280", DESKTOP), ("375", PHONE)]:
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        for name, address in pages.items():
            response = page.goto(address)
            assert response is not None and response.status == 200, address
            path = screenshot_folder / f"{name}-{width_name}.png"
            page.screenshot(path=path, full_page=True)
            written.append(path)
        context.close()
    assert len(written) == 2 * (16 + 2)
    assert all(path.stat().st_size > 0 for path in written)
