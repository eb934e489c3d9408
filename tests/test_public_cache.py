"""Public pages come from the cache for anonymous visitors, and the publication rules hold through it:
a record published, unpublished, edited or deleted shows so at once, on pages, lists, feeds and the API.

Writes run their commit callbacks (`committed`), as a real commit does: the cache's generation moves
on commit (cases.caching).
"""

import os
import uuid
from contextlib import contextmanager
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.caching import current_generation, public_pages_changed
from cases.models import Person
from cases.services import set_published

from .factories import make_case, make_charge, make_event, make_person

pytestmark = pytest.mark.django_db

REDIS_URL = os.getenv("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def committed():
    """The test's transaction as if it committed on leaving the block: every commit callback its writes
    registered so far runs then (the test's own transaction never commits)."""

    @contextmanager
    def block():
        yield
        connection = transaction.get_connection()
        pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _savepoints, callback, _robust in pending:
            callback()

    return block


@pytest.fixture
def bokaev(db):
    person = make_person("Maks Bokaev", slug="maks-bokaev")
    case = make_case("The Atyrau rally case", slug="atyrau-rally", people=[person])
    make_event(case, "2018-03", description="Charged with inciting discord.")
    return person


def shows(client, address: str, text: str) -> bool:
    response = client.get(address)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code == 200 and text in body.decode()


PUBLIC_ADDRESSES = [
    "/people/",
    "/ru/people/",
    "/people/maks-bokaev/",
    "/cases/atyrau-rally/",
    "/feeds/updates/",
    "/api/people/",
    "/api/people/maks-bokaev/",
    "/people/export.csv",
]


def test_a_second_visit_is_answered_from_the_cache_with_one_query(
    client, public_cache, bokaev, django_assert_num_queries
):
    first = client.get("/people/")
    with django_assert_num_queries(1):  # the generation of the public pages
        second = client.get("/people/")
    assert second.status_code == 200 and second.content == first.content


def test_unpublishing_takes_the_record_away_at_once_everywhere(client, public_cache, committed, bokaev):
    for address in PUBLIC_ADDRESSES:
        assert shows(client, address, "Bokaev"), address
    with committed():
        set_published(Person.objects.filter(pk=bokaev.pk), False)
    for address in PUBLIC_ADDRESSES:
        assert not shows(client, address, "Bokaev"), address
    assert client.get("/people/maks-bokaev/").status_code == 404
    assert client.get("/api/people/maks-bokaev/").status_code == 404


def test_publishing_shows_the_record_at_once(client, public_cache, committed, bokaev):
    with committed():
        set_published(Person.objects.filter(pk=bokaev.pk), False)
    assert client.get("/people/maks-bokaev/").status_code == 404
    assert not shows(client, "/api/people/", "Bokaev")
    with committed():
        set_published(Person.objects.filter(pk=bokaev.pk), True)
    for address in PUBLIC_ADDRESSES:
        assert shows(client, address, "Bokaev"), address


def test_an_edit_of_a_published_record_shows_at_once(client, public_cache, committed, bokaev):
    assert shows(client, "/people/", "Maks Bokaev")
    with committed():
        bokaev.name = "Maks Bokayev"
        bokaev.save()
    assert shows(client, "/people/", "Maks Bokayev")
    assert shows(client, "/api/people/maks-bokaev/", "Maks Bokayev")


def test_a_renamed_charge_shows_at_once_on_its_cases(client, public_cache, committed, bokaev):
    charge = make_charge("spreading false information")
    bokaev.cases.get().charges.add(charge)
    assert shows(client, "/cases/atyrau-rally/", "spreading false information")
    with committed():
        charge.name = "spreading knowingly false information"
        charge.save()
    assert shows(client, "/cases/atyrau-rally/", "spreading knowingly false information")


def test_a_deleted_event_leaves_the_feed_and_the_api_at_once(client, public_cache, committed, bokaev):
    assert shows(client, "/feeds/updates/", "inciting discord")
    with committed():
        bokaev.cases.get().events.get().delete()
    assert not shows(client, "/feeds/updates/", "inciting discord")
    assert not shows(client, "/api/events/", "inciting discord")


def test_a_rebuild_of_derived_data_retires_the_cached_pages(public_cache, committed, db):
    before, _changed = current_generation()
    with committed():
        call_command("rebuild_custody_spans", stdout=StringIO())
    assert current_generation()[0] == before + 1


def test_many_writes_in_one_transaction_move_the_generation_once(public_cache, committed, db):
    before, _changed = current_generation()
    with committed():
        make_person()
        make_person()
        public_pages_changed()
    assert current_generation()[0] == before + 1


def test_english_and_russian_pages_are_cached_apart(client, public_cache, bokaev):
    english = client.get("/people/").content.decode()
    russian = client.get("/ru/people/").content.decode()
    assert '<html lang="en"' in english and '<html lang="ru"' in russian


def test_each_query_string_is_cached_apart(client, public_cache, bokaev):
    make_person("Natalya Ulasik")
    assert shows(client, "/people/", "Natalya Ulasik")
    assert not shows(client, "/people/?search=Bokaev", "Natalya Ulasik")
    assert shows(client, "/people/?search=Ulasik", "Natalya Ulasik")


def test_a_missing_page_is_not_cached(client, public_cache, db):
    assert client.get("/people/natalya-ulasik/").status_code == 404
    # A write that sends no signal and so keeps the generation: only an uncached answer can see it.
    Person.objects.bulk_create([Person(name="Natalya Ulasik", slug="natalya-ulasik", is_published=True)])
    assert client.get("/people/natalya-ulasik/").status_code == 200


def test_signed_in_staff_neither_read_nor_fill_the_cache(researcher_client, public_cache, bokaev):
    assert shows(Client(), "/people/", "Maks Bokaev")  # an anonymous visit fills the cache
    # A write that sends no signal and so keeps the generation: the cached page still has the old name.
    Person.objects.filter(pk=bokaev.pk).update(name="Maks Bokayev")
    assert shows(Client(), "/people/", "Maks Bokaev")
    assert shows(researcher_client, "/people/", "Maks Bokayev")
    keys_before = set(public_cache._cache)
    researcher_client.get("/people/?search=Bokayev")
    assert set(public_cache._cache) == keys_before


def test_the_admin_is_never_cached(editor_client, public_cache):
    keys_before = set(public_cache._cache)
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert set(public_cache._cache) == keys_before


def redis_reachable() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason=f"no Redis answers at {urlsplit(REDIS_URL).netloc}")
def test_through_redis_an_unpublished_record_is_gone_at_once(client, settings, committed, bokaev):
    settings.PUBLIC_PAGE_CACHE = True
    # A prefix of its own: test databases start every run at the same generation, and Redis outlives runs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    settings.CACHES["default"]["KEY_PREFIX"] = f"tests-{uuid.uuid4().hex}"
    settings.PUBLIC_CACHE_TIMEOUT = 60
    assert shows(client, "/people/maks-bokaev/", "Bokaev")
    assert shows(client, "/api/people/", "Bokaev")
    with committed():
        set_published(Person.objects.filter(pk=bokaev.pk), False)
    assert client.get("/people/maks-bokaev/").status_code == 404
    assert not shows(client, "/api/people/", "Bokaev")


def test_a_page_too_big_for_the_cache_is_public_but_rendered_each_time(client, public_cache, bokaev, monkeypatch):
    monkeypatch.setattr("casetracker.middleware.LARGEST_CACHED_BODY", 100)
    assert "public" in client.get("/people/")["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/").status_code == 200
    assert len(queries) > 1  # rendered again, not only the generation read
