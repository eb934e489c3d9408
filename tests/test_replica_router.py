"""With a replica configured, an anonymous visitor's reads go to it; writes, the admin and a signed-in
researcher's every read stay on the primary. Two aliases point at the same test database here."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Person

from .factories import make_person

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture(autouse=True)
def router(settings):
    settings.DATABASE_ROUTERS = ["casetracker.routers.ReplicaRouter"]
    replica = connections["replica"]
    if replica.vendor == "sqlite":
        # Both aliases open one shared in-memory database, where a reader waits on the test's open
        # writes; reading them uncommitted lets the second alias read as a replica would.
        with replica.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    yield
    # Its own connection to the test database, which could not be dropped at the end while open.
    replica.close()


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


@pytest.mark.parametrize("address", ["/", "/people/", "/ru/statistics/", "/api/people/", "/feeds/updates/"])
def test_an_anonymous_visitor_reads_from_the_replica(address):
    with Queries() as queries:
        assert Client().get(address).status_code == 200
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0


def test_a_signed_in_researcher_reads_public_pages_from_the_primary(researcher_client):
    with Queries() as queries:
        assert researcher_client.get("/people/").status_code == 200
    assert len(queries.primary) > 0
    assert len(queries.replica) == 0


def test_the_admin_reads_from_the_primary(editor_client):
    with Queries() as queries:
        assert editor_client.get(reverse("admin:cases_person_changelist")).status_code == 200
    assert len(queries.primary) > 0
    assert len(queries.replica) == 0


def test_the_sign_in_page_reads_from_the_primary():
    with Queries() as queries:
        Client().post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    assert len(queries.replica) == 0


def test_outside_a_request_reads_and_writes_use_the_primary():
    with Queries() as queries:
        Person.objects.create(name="Maks Bokaev", slug="maks-bokaev")
        assert Person.objects.filter(slug="maks-bokaev").exists()
    assert len(queries.primary) > 0
    assert len(queries.replica) == 0


def test_database_replica_url_adds_the_replica_and_its_router():
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    environment.update(
        DATABASE_URL="postgres://app@primary.internal:5432/casetracker",
        DATABASE_REPLICA_URL="postgres://app@replica.internal:5432/casetracker",
        DEBUG="true",
    )
    show = "from django.conf import settings as s; print(s.DATABASES['replica']['HOST'], s.DATABASE_ROUTERS)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", show],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "replica.internal ['casetracker.routers.ReplicaRouter']"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_anonymous_visitors_download_is_read_from_the_replica_as_it_is_sent(fmt):
    # The rows are read as the file is sent, after the view has returned. (On SQLite the replica's
    # alias reads the test's uncommitted person, see `router`; on PostgreSQL it finds none.)
    make_person("Maks Bokaev")
    with Queries() as queries:
        response = Client().get(reverse("cases:person-export", kwargs={"fmt": fmt}))
        b"".join(response.streaming_content)
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0
