import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from .browser import SCREENSHOTS, SCREENSHOTS_TAKEN, browser, loaded_report, page, roles, screenshot_folder  # noqa: F401  (fixtures)
from .factories import read_only_for_the_module
from .personas import make_staff, sign_in

# Property tests try a modest number of examples so the suite stays quick; HYPOTHESIS_PROFILE=thorough
# tries many more (run it by hand after changing dates, search or custody). No deadline: the
# machine running the suite may be busy, and a slow example is not a wrong one.
hypothesis_settings.register_profile("suite", max_examples=50, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in the default language.

    A request to a /ru/ page leaves Russian active in the thread, and reverse() in the next
    test would then build /ru/ addresses.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def set_today(monkeypatch) -> Callable[[date], None]:
    """Set the site's clock to noon on a day (cases.dates.today and timezone.now read it)."""

    def set_to(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def alice_researcher(db):
    return make_staff("alice", "Researcher")


@pytest.fixture
def erin_editor(db):
    return make_staff("erin", "Editor")


@pytest.fixture
def victor_viewer(db):
    return make_staff("victor", "Viewer")


@pytest.fixture
def researcher_client(client, alice_researcher):
    return sign_in(client, alice_researcher)


@pytest.fixture
def editor_client(client, erin_editor):
    return sign_in(client, erin_editor)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments of a test go to a folder of its own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    """The HRW chapter loaded once for a module whose tests only read it, rolled back after the module.

    Each test still runs in a transaction of its own (a savepoint inside this one), so whatever a
    test writes is gone before the next. Use it only in a module where every test reads the report.
    """
    with read_only_for_the_module(django_db_blocker):
        call_command("load_report", str(settings.BASE_DIR / "fixtures" / "kazakhstan-2018.yaml"), stdout=StringIO())
        yield


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(SCREENSHOTS_TAKEN, False):
        terminalreporter.write_line(f"Screenshots of the public pages: {SCREENSHOTS}")


@pytest.fixture
def public_cache(settings):
    """The public pages' cache on, in this process's memory (the suite runs with it off)."""
    settings.PUBLIC_PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture(scope="module")
def database_as_found_after_the_module(django_db_setup, django_db_blocker):
    """For a module of transaction tests: put back what the migrations wrote (the roles' groups …)
    once its last test has emptied the database, which a test elsewhere, run after them on the same
    worker, expects."""
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
