"""Every public page, feed, API answer and admin list makes as many queries in a small demo world
as in one ten times larger: no query per record (the benchmark, `make bench`, times them at scale)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Charge, Organization, Person, Source, Theme

from .factories import read_only_for_the_module
from .personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

SIZES = (20, 60)


def pages() -> dict[str, str]:
    """Each page's address in the demo world in the database, about its first published records."""
    person = Person.objects.published().filter(cases__is_published=True).order_by("pk").first()
    case = Case.objects.published().order_by("pk").first()
    organization = Organization.objects.published().order_by("pk").first()
    charge = Charge.objects.public().order_by("pk").first()
    theme = Theme.objects.public().order_by("pk").first()
    source = Source.objects.published().order_by("pk").first()
    as_of = "?as_of=2018-06-30&in_custody=true"
    period = "?since=2010-01-01&until=2015-12-31"
    return {
        "home": reverse("cases:home"),
        "people": reverse("cases:person-list"),
        "people as of a date": reverse("cases:person-list") + as_of + "&sort=latest",
        "people by expected end": reverse("cases:person-list") + "?sort=expected_end",
        "people found": reverse("cases:person-list") + "?search=a",
        "people found, by latest change": reverse("cases:person-list") + "?search=a&sort=latest",
        "people found with near misses, by name": reverse("cases:person-list") + "?search=aeva&sort=name",
        "people in a period": reverse("cases:person-list") + period,
        "cases": reverse("cases:case-list") + "?sort=latest",
        "organisations": reverse("cases:organization-list"),
        "organisations by latest event": reverse("cases:organization-list") + "?sort=latest",
        "events": reverse("cases:event-list"),
        "sources": reverse("cases:source-list"),
        "person": person.get_absolute_url(),
        "person in Russian": "/ru" + person.get_absolute_url(),
        "case": case.get_absolute_url(),
        "organisation": organization.get_absolute_url(),
        "charge": charge.get_absolute_url(),
        "theme": theme.get_absolute_url(),
        "source": source.get_absolute_url(),
        "statistics": reverse("cases:statistics") + as_of,
        "statistics of everyone": reverse("cases:statistics"),
        "statistics by country": reverse("cases:statistics") + "?country=KZ",
        "feed of updates": reverse("cases:feed-updates"),
        "feed of a person": reverse("cases:feed-person", args=[person.slug]),
        "feed of a charge": reverse("cases:feed-charge", args=[charge.slug]),
        "feed of a theme": reverse("cases:feed-theme", args=[theme.slug]),
        "api people": reverse("api:person-list") + as_of,
        "api people in a period": reverse("api:person-list") + period,
        "api person": reverse("api:person-detail", args=[person.slug]),
        "api cases": reverse("api:case-list"),
        "api case": reverse("api:case-detail", args=[case.slug]),
        "api organisations": reverse("api:organization-list"),
        "api events": reverse("api:event-list"),
        "export of people": reverse("cases:person-export", kwargs={"fmt": "csv"}) + "?country=KZ",
        "sitemap index": reverse("sitemap"),
        "sitemap of people": reverse("sitemap-section", args=["people"]),
        "sitemap of themes": reverse("sitemap-section", args=["themes"]),
        "admin people": reverse("admin:cases_person_changelist") + "?q=a",
        "admin cases": reverse("admin:cases_case_changelist"),
        "admin events": reverse("admin:cases_event_changelist") + "?type__exact=convicted",
        "admin case form": reverse("admin:cases_case_change", args=[case.pk]),
    }


def count_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(captured.captured_queries)


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """{page: [(status, queries) in each world]}, the worlds built one after the other."""
    from django.test import Client

    found: dict[str, list[tuple[int, int]]] = {}
    with read_only_for_the_module(django_db_blocker):
        staff = sign_in(Client(), make_staff("counter", superuser=True))
        public = Client()
        for size in SIZES:
            call_command("generate_demo_data", "--delete", "--people", str(size), "--seed", "5", stdout=StringIO())
            for page, url in pages().items():
                client = staff if page.startswith("admin") else public
                found.setdefault(page, []).append(count_queries(client, url))
    return found


PAGES = [
    "home", "people", "people as of a date", "people by expected end", "people found",
    "people found, by latest change", "people found with near misses, by name",
    "people in a period", "cases", "organisations", "organisations by latest event",
    "events", "sources", "person", "person in Russian", "case", "organisation", "charge", "theme",
    "source", "statistics", "statistics of everyone", "statistics by country", "feed of updates", "feed of a person",
    "feed of a charge", "feed of a theme", "api people", "api people in a period", "api person", "api cases",
    "api case", "api organisations", "api events", "export of people", "sitemap index", "sitemap of people",
    "sitemap of themes", "admin people", "admin cases", "admin events", "admin case form",
]  # fmt: skip


def test_every_page_is_counted(counts):
    assert set(counts) == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_database(counts, page):
    small, large = counts[page]
    assert small[0] == large[0] == 200
    # A prefetch runs only when some record on the page has what it fetches (an organisation, a
    # second spelling), so two worlds may differ by one query; a query per record would be dozens.
    assert abs(small[1] - large[1]) <= 1, (
        f"{page}: {small[1]} queries among {SIZES[0]} people, {large[1]} among {SIZES[1]}"
    )
