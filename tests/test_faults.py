"""Faults: the database going away under live requests, a crash in the middle of a status update,
and two editors saving the same case at once. Each needs real commits, so these tests run outside
the usual test transaction (the migrations' groups are restored for each)."""

import contextlib
import socket
import threading
import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from cases.admin.mixins import VersionedForm
from cases.choices import CustodyState, EventType
from cases.models import Case, Citation, CustodySpan, Event

from .factories import make_case, make_event, make_person, make_source
from .personas import make_staff, sign_in
from .test_history_and_locking import case_form

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_as_found_after_the_module"),
]


on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite is a file, with no server to lose and no row locks to take",
)


class TcpProxy:
    """A TCP relay in front of PostgreSQL, with threads: cut it and the database is gone for the app
    (open connections die, new ones are refused); restore it on the same port and it is back."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            for sock in self._open:
                self._close(sock)
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while listener is self._listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(sink)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


def wsgi_get(handler: WSGIHandler, path: str) -> tuple[int, bytes]:
    """A GET through Django's WSGI handler, as gunicorn calls it: with the request_started and
    request_finished signals that close broken or stale database connections."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    statuses = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(statuses[0].split()[0]), body


@pytest.fixture
def database_behind_a_proxy():
    """The app's connection goes through a TcpProxy; the shared PostgreSQL server is never stopped."""
    settings_dict = connection.settings_dict
    original = settings_dict["HOST"], settings_dict["PORT"]
    proxy = TcpProxy((original[0] or "127.0.0.1", int(original[1] or 5432)))
    proxy.start()
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", proxy.port
    yield proxy
    proxy.cut()
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = original


@on_postgresql_only
def test_requests_get_a_plain_503_while_the_database_is_away_and_200_once_it_is_back(database_behind_a_proxy):
    person = make_person("Maks Bokaev")
    address = person.get_absolute_url()
    handler = WSGIHandler()
    assert wsgi_get(handler, address)[0] == 200  # the connection is open, through the proxy

    database_behind_a_proxy.cut()
    for _attempt in range(3):
        status, body = wsgi_get(handler, address)
        assert status == 503
        page = body.decode()
        assert "Temporarily unavailable" in page
        assert "Traceback" not in page and "OperationalError" not in page and "psycopg" not in page

    database_behind_a_proxy.start()  # back, on the same address: no restart of the app
    assert wsgi_get(handler, address)[0] == 200
    assert wsgi_get(handler, reverse("api:person-detail", args=[person.slug]))[0] == 200


@pytest.fixture
def editor():
    return sign_in(Client(raise_request_exception=False), make_staff("erin", "Editor"))


def status_update(case, source) -> dict:
    return {
        "case": case.pk, "person": "", "date_start": "2018-10-15", "date_precision": "day", "date_end": "",
        "type": EventType.RELEASED, "custody": CustodyState.AT_LIBERTY, "stage": "",
        "description": "Released from pre-trial detention.", "source": source.pk,
        "quote": "He was released on 15 October.", "publish": "on",
    }  # fmt: skip


def fail(*args, **kwargs):
    raise RuntimeError("the server fell over here")


@pytest.mark.parametrize(
    "failing",
    ["cases.models.Citation.save", "cases.signals.sync_custody_spans"],
    ids=["while-saving-the-citation", "while-deriving-custody"],
)
def test_a_crash_in_the_middle_of_a_status_update_leaves_nothing_half_saved(editor, monkeypatch, failing):
    person = make_person("Aset Matayev")
    case = make_case("Prosecution of Aset Matayev", people=[person])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    source = make_source("A report")

    def counts():
        return (
            Event.objects.count(), Event.history.count(), Citation.objects.count(), Citation.history.count(),
            list(CustodySpan.objects.values_list("state", "valid_from", "valid_until")),
        )  # fmt: skip

    before = counts()
    monkeypatch.setattr(failing, fail)
    response = editor.post(reverse("admin:cases_case_status_update", args=[case.pk]), status_update(case, source))
    assert response.status_code == 500, response.context["form"].errors
    assert counts() == before

    monkeypatch.undo()  # the same update, without the crash, goes through whole
    response = editor.post(reverse("admin:cases_case_status_update", args=[case.pk]), status_update(case, source))
    assert response.status_code == 302
    assert Event.objects.count() == before[0] + 1
    assert CustodySpan.objects.filter(person=person, state=CustodyState.AT_LIBERTY).exists()


@on_postgresql_only
def test_two_editors_saving_the_same_case_at_once_lose_no_update(monkeypatch):
    case = make_case("Prosecution of Max Bokayev", summary="First text.", is_published=False)
    erin = sign_in(Client(), make_staff("erin", "Editor"))
    olga = sign_in(Client(), make_staff("olga", "Editor"))
    url = reverse("admin:cases_case_change", args=[case.pk])
    posts = {
        "erin": (erin, case_form(case, title="Prosecution of Maks Bokaev", is_published="on")),
        "olga": (olga, case_form(case, summary="Olga's text.")),
    }

    checked = VersionedForm.clean

    def clean_slowly(form):
        # Hold the version checked for a moment, so the other save arrives while this one is open.
        cleaned = checked(form)
        time.sleep(0.3)
        return cleaned

    monkeypatch.setattr(VersionedForm, "clean", clean_slowly)
    start = threading.Barrier(len(posts))
    responses = {}

    def save(name):
        client, data = posts[name]
        start.wait()
        try:
            responses[name] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses.values()) == [200, 302]
    saved = next(name for name, r in responses.items() if r.status_code == 302)
    refused = next(name for name, r in responses.items() if r.status_code == 200)
    assert "Someone else saved this record while you were editing it." in responses[refused].content.decode()
    case.refresh_from_db()
    assert case.version == 2
    if saved == "erin":
        assert (case.title, case.is_published, case.summary) == ("Prosecution of Maks Bokaev", True, "First text.")
    else:
        assert (case.title, case.is_published, case.summary) == ("Prosecution of Max Bokayev", False, "Olga's text.")
    # The refused editor's form keeps what they typed, ready to save again on the new version.
    assert f'name="edit_version" value="{case.version}"' in responses[refused].content.decode()
    assert Case.objects.count() == 1


@on_postgresql_only
def test_two_citations_of_one_source_saved_at_once_are_both_counted(monkeypatch):
    from cases.models import Source, sources

    source = make_source("World Report 2019")
    # Two cases, so that neither write waits for the other on a case's row.
    cases = {"One.": make_case("Prosecution of Max Bokayev"), "Two.": make_case("Prosecution of Talgat Ayan")}
    counted = sources.first_of_each

    def count_slowly(citations, count):
        # Hold the count for a moment, so the other citation is saved while this one is open.
        found = counted(citations, count)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(sources, "first_of_each", count_slowly)
    start = threading.Barrier(2)

    def cite(quote):
        start.wait()
        try:
            with transaction.atomic():  # as the admin saves a form
                make_event(cases[quote], "2018-03", source=source, quote=quote)
        finally:
            connection.close()

    threads = [threading.Thread(target=cite, args=(quote,)) for quote in ("One.", "Two.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    source = Source.objects.get(pk=source.pk)
    assert (source.public_event_count, source.public_case_count) == (2, 2)
