"""Permanent addresses: with SITE_URL set, Atom ids, canonical links, the sitemap and "Cite as"
are the same whatever host a request came in on."""

import re
import secrets

import pytest
from django.urls import reverse

from .factories import make_case, make_event, make_person
from .test_security_settings import run_manage
from .test_sitemaps import SITEMAP, sitemap_urls

pytestmark = pytest.mark.django_db

SITE = "https://casetracker.example.org"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]


@pytest.fixture
def bokaev():
    person = make_person("Maks Bokaev")
    case = make_case("Prosecution of Maks Bokaev", people=[person])
    make_event(case, "2016-11-28", type="convicted", custody="imprisoned")
    return person


def atom_ids(client, address: str, host: str) -> list[str]:
    xml = client.get(address, HTTP_HOST=host).content.decode()
    return re.findall(r"<id>(.*?)</id>", xml)


@pytest.mark.parametrize("feed", ["cases:feed-updates", "cases:feed-person"])
def test_feed_and_entry_ids_do_not_change_with_the_host(client, site_url, bokaev, feed):
    address = reverse(feed, args=[bokaev.slug] if feed.endswith("person") else [])
    ids = atom_ids(client, address, "localhost")
    assert len(ids) == 2  # the feed's and its one entry's
    assert ids == atom_ids(client, address, "127.0.0.1")
    assert all(i.startswith(SITE + "/") for i in ids)
    xml = client.get(address, HTTP_HOST="127.0.0.1").content.decode()
    assert f'href="{SITE}{address}"' in xml and "127.0.0.1" not in xml


def test_the_canonical_link_and_the_citation_use_the_site_address(client, site_url, bokaev):
    html = client.get(bokaev.get_absolute_url(), HTTP_HOST="127.0.0.1").content.decode()
    canonical = SITE + bokaev.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<link rel="alternate" hreflang="ru" href="{SITE}/ru{bokaev.get_absolute_url()}">' in html
    assert f"casetracker, Maks Bokaev, {canonical}, accessed" in html
    assert "127.0.0.1" not in html


def test_the_sitemap_robots_and_exports_use_the_site_address(client, site_url, bokaev):
    index = client.get(reverse("sitemap"), HTTP_HOST="127.0.0.1").content.decode()
    assert f"<loc>{SITE}{reverse('sitemap-section', args=['people'])}</loc>" in index and "127.0.0.1" not in index
    locations = [url.findtext(f"{SITEMAP}loc") for url in sitemap_urls(client, SITE, HTTP_HOST="127.0.0.1")]
    assert f"{SITE}{bokaev.get_absolute_url()}" in locations and not any("127.0.0.1" in loc for loc in locations)
    robots = client.get(reverse("robots-txt"), HTTP_HOST="127.0.0.1").content.decode()
    assert f"Sitemap: {SITE}{reverse('sitemap')}" in robots
    export = client.get(reverse("cases:person-export", args=["json"]), HTTP_HOST="127.0.0.1")
    assert SITE + bokaev.get_absolute_url() in b"".join(export.streaming_content).decode()


def test_without_a_site_address_the_request_host_is_used(client, bokaev):
    html = client.get(bokaev.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{bokaev.get_absolute_url()}">' in html


@pytest.mark.parametrize("value", ["casetracker.example.org", "https://casetracker.example.org/tracker", "ftp://x"])
def test_a_site_address_that_is_not_a_scheme_and_host_stops_the_start_loudly(value):
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(60), SITE_URL=value)
    assert result.returncode != 0
    assert "SITE_URL must be a scheme and host" in result.stderr


def test_the_deployment_check_asks_for_a_site_address():
    result = run_manage("check", "--deploy", SECRET_KEY=secrets.token_urlsafe(60), DEBUG="false")
    assert "cases.W001" in result.stdout + result.stderr
