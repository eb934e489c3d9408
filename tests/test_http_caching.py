"""Browsers and a CDN can revalidate public pages: ETag, Last-Modified, a short public Cache-Control, and
304 Not Modified for a copy that is still current. Staff pages and the admin are private and not stored."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from cases.caching import _next_generation

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def bokaev(db):
    return make_person("Maks Bokaev", slug="maks-bokaev")


def test_a_public_page_says_how_to_revalidate_it(client, bokaev, settings, public_cache):
    response = client.get("/people/maks-bokaev/")
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Last-Modified"]
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", f"max-age={settings.PUBLIC_CACHE_MAX_AGE}", "must-revalidate"}


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("address", ["/people/", "/ru/people/maks-bokaev/", "/feeds/updates/", "/api/people/"])
def test_a_current_etag_answers_304_without_a_body(client, bokaev, address, cached, request):
    if cached:
        request.getfixturevalue("public_cache")
    # A feed with no entry is dated by the clock, to the second.
    make_event(make_case(people=[bokaev]), "2018-03")
    etag = client.get(address)["ETag"]
    response = client.get(address, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_stale_etag_gets_the_whole_page(client, bokaev):
    response = client.get("/people/", headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200 and b"Maks Bokaev" in response.content


def test_if_modified_since_answers_304_until_the_records_change(client, bokaev, set_today, public_cache):
    set_today(date(2026, 11, 25))
    last_modified = client.get("/people/")["Last-Modified"]
    assert client.get("/people/", headers={"If-Modified-Since": last_modified}).status_code == 304
    _next_generation()  # at noon, as the clock is set: later than the page's midnight
    response = client.get("/people/", headers={"If-Modified-Since": last_modified})
    assert response.status_code == 200
    assert parse_http_date(response["Last-Modified"]) > parse_http_date(last_modified)


def test_a_page_is_modified_at_midnight_at_the_latest(client, bokaev, set_today, public_cache):
    set_today(date(2030, 1, 2))
    assert client.get("/people/")["Last-Modified"] == http_date(parse_http_date("Wed, 02 Jan 2030 00:00:00 GMT"))


def test_a_missing_page_is_neither_public_nor_stored(client, db):
    response = client.get("/people/nobody/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_a_signed_in_researcher_gets_private_pages_without_validators(researcher_client, bokaev):
    response = researcher_client.get("/people/maks-bokaev/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert not response.has_header("ETag")
    # Their copy is never answered 304 on the strength of an anonymous one.
    etag = Client().get("/people/maks-bokaev/")["ETag"]
    assert researcher_client.get("/people/maks-bokaev/", headers={"If-None-Match": etag}).status_code == 200


def test_the_admin_is_private_and_not_stored(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_the_admin_sign_in_page_is_not_stored(client, db):
    response = client.get(reverse("admin:login"))
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_exports_stream_and_are_not_stored(client, bokaev):
    response = client.get("/people/export.csv")
    assert response.status_code == 200 and response.streaming
    assert "no-store" in response["Cache-Control"]
