"""What the browser tests share: Debian's Chromium driven by Playwright, the report loaded behind
pytest-django's live server, and the folder the screenshots go to.

Nothing is downloaded at test time; without Chromium the tests say they are skipped and why.
The fixtures are made available to every test module by tests/conftest.py.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the banner Chromium lays over an XSLT page (a feed) to announce XSLT's removal: it carries
# inline styles of the browser's own, which the page's CSP refuses and reports.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-features=GenerateXSLTWarningBanner",
]
# Kept by CI as an artifact; git ignores it.
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
SCREENSHOTS_TAKEN = pytest.StashKey[bool]()
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which Django takes for async code;
    # the tests only touch the database between browser steps (the live server has its own thread).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative addresses go to the live server."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def roles(transactional_db):
    """The roles a data migration creates: gone when an earlier live-server test flushed the database
    (serialized_rollback would bring them back, but trips over the content types)."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        import_module("cases.migrations.0002_roles").create_roles(apps, None)


@pytest.fixture
def loaded_report(transactional_db):
    """The HRW chapter, loaded as `manage.py load_report` does (the live server reads it committed)."""
    call_command("load_report", str(settings.BASE_DIR / "fixtures" / "kazakhstan-2018.yaml"), stdout=StringIO())


@pytest.fixture(scope="session")
def screenshot_folder(pytestconfig):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[SCREENSHOTS_TAKEN] = True  # tests/conftest.py names the folder at the end of the run
    return SCREENSHOTS


def public_pages() -> dict[str, str]:
    """One address of each public page type on the loaded report, in the active language, by type.

    Records are the first published of their kind, so a type is covered whatever the report holds.
    """
    from django.urls import reverse

    from cases.models import Case, Charge, Organization, Source, Theme

    pages = {
        "home": reverse("cases:home"),
        "people": reverse("cases:person-list"),
        "search-results": reverse("cases:person-list") + "?search=Bokayev",
        "in-custody-on-a-date": reverse("cases:person-list") + "?as_of=2018-06-30&in_custody=true",
        "person": reverse("cases:person-detail", args=["maks-bokaev"]),
        "group": reverse("cases:person-detail", args=["fifty-seven-people-charged-with-inciting-discord"]),
        "cases": reverse("cases:case-list"),
        "organizations": reverse("cases:organization-list"),
        "events": reverse("cases:event-list"),
        "statistics": reverse("cases:statistics"),
        "sources": reverse("cases:source-list"),
    }
    records = {
        "case": Case.objects.published(),
        "organization": Organization.objects.published(),
        "source": Source.objects.published(),
        "charge": Charge.objects.filter(cases__is_published=True),
        "theme": Theme.objects.filter(cases__is_published=True),
    }
    for kind, queryset in records.items():
        if record := queryset.order_by("slug").first():
            pages[kind] = record.get_absolute_url()
    return pages
