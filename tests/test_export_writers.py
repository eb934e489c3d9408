"""The people export's chunks written at once by connections of their own (cases.export_writers):
the same file as the Python export, in the list's order, all of it read in one snapshot, and no
connection left open by a download, finished or abandoned.

The writers read committed rows only: these tests commit theirs (and empty the database after).
"""

import threading
import time

import psycopg2
import pytest
from django.db import connection, connections

from cases import export_writers, exports
from cases.exports import DATASETS
from cases.models import Person

from .factories import make_person
from .test_export_sql import PARAMS, build_world, texts

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the writers are PostgreSQL connections"),
    pytest.mark.usefixtures("database_as_found_after_the_module"),
]


@pytest.fixture
def world():
    build_world()


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few people: many of them in flight at once, across every writer."""
    monkeypatch.setattr(exports, "FIRST_PEOPLE_CHUNK_SIZE", 2)
    monkeypatch.setattr(exports, "PEOPLE_CHUNK_SIZE", 3)


@pytest.fixture
def written_at_once(monkeypatch):
    """Counts the exports the writers wrote (so a test knows it did not run one by one)."""
    calls = []
    original = exports.written_at_once

    def counted(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(exports, "written_at_once", counted)
    return calls


def writers_connections(expected: int | None = None) -> int:
    """How many writers' connections the server holds; waiting a little for `expected` (a backend
    leaves pg_stat_activity shortly after its client closed the connection)."""
    for _ in range(50):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [export_writers.APPLICATION_NAME]
            )
            count = cursor.fetchone()[0]
        if expected is None or count == expected:
            break
        time.sleep(0.1)
    return count


def writer_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("export writer")]


def test_chunks_written_at_once_are_the_python_export_byte_for_byte(world, small_chunks, written_at_once):
    # One test for every filter and order: each test here builds and empties its own database.
    for params in PARAMS:
        for fmt in ("csv", "json"):
            assert texts(params, fmt, written_by_sql=True) == texts(params, fmt, written_by_sql=False), (params, fmt)
    assert len(written_at_once) == 2 * len(PARAMS)
    assert writers_connections(expected=0) == 0
    assert not writer_threads()


def test_every_chunk_is_read_in_the_snapshot_the_ids_were_read_in(world, small_chunks, written_at_once):
    before = texts({}, "csv", written_by_sql=False)
    dataset = DATASETS["people"]
    filterset = dataset.filterset_class({}, queryset=dataset.queryset())
    assert filterset.is_valid()
    chunks = dataset.texts(filterset, "https://example.org".__add__, "csv")
    first = next(chunks)
    # Committed by another connection while the file is sent: a renamed person, a new one.
    other = psycopg2.connect(**connections["default"].get_connection_params())
    try:
        with other, other.cursor() as cursor:
            cursor.execute("UPDATE cases_person SET name = 'Renamed meanwhile'")
        with other, other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_person (is_published, internal_notes, created_at, updated_at, version, name, slug,"
                " identity, role, location, summary, name_withheld, public_alias, search_text,"
                " group_size_is_minimum, country, summary_ru, portrait, portrait_consent, portrait_credit,"
                " current_custody)"
                " SELECT true, '', now(), now(), 0, 'Added meanwhile', 'added-meanwhile', identity, role, '', '',"
                " false, '', '', false, '', '', '', false, '', current_custody FROM cases_person LIMIT 1"
            )
    finally:
        other.close()
    assert "|".join([first, *chunks]) == before
    assert len(written_at_once) == 1
    assert Person.objects.filter(name="Renamed meanwhile").exists()
    assert "Renamed meanwhile" in texts({}, "csv", written_by_sql=True)


def test_an_abandoned_download_closes_its_writers_connections(world, small_chunks, written_at_once, monkeypatch):
    started = []

    class Recorded(export_writers.SnapshotWriters):
        def __init__(self, *args):
            super().__init__(*args)
            started.append(self)

    monkeypatch.setattr(exports, "SnapshotWriters", Recorded)
    dataset = DATASETS["people"]
    filterset = dataset.filterset_class({}, queryset=dataset.queryset())
    assert filterset.is_valid()
    chunks = dataset.texts(filterset, "https://example.org".__add__, "json")
    # The first chunk is the request's connection's, the second a writer's.
    assert next(chunks)
    assert next(chunks)
    assert writers_connections() >= 1
    # What a server does when the visitor goes away: it closes the response, and so its content.
    chunks.close()
    ((writers,),) = [started]
    assert writers.open_connections
    assert all(writer_connection.closed for writer_connection in writers.open_connections)
    assert writers_connections(expected=0) == 0
    assert not writer_threads()
    # The request's own connection left the export's transaction too.
    assert connections[filterset.qs.db].get_autocommit()
    assert len(written_at_once) == 1


def test_a_download_inside_a_transaction_is_written_by_the_requests_connection(written_at_once):
    from django.db import transaction

    with transaction.atomic():
        make_person("Maks Bokaev", variants=["Макс Бокаев"])
        make_person("Secret Name", name_withheld=True, public_alias="Name withheld")
        assert texts({}, "csv", written_by_sql=True) == texts({}, "csv", written_by_sql=False)
    assert written_at_once == []
