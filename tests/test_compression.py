"""Public responses are compressed for a client that accepts gzip; nothing that carries a secret
(a cookie, a CSRF token, a signed-in view) and nothing of the admin is."""

import gzip

import pytest
from django.urls import reverse

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def bokaev():
    person = make_person("Maks Bokaev", summary="Activist. " * 40)
    case = make_case("Prosecution of Maks Bokaev", people=[person])
    make_event(case, "2016-11-28", type="convicted", custody="imprisoned", description="Sentenced. " * 30)
    return person


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


@pytest.mark.parametrize(
    "address",
    [
        lambda p: reverse("cases:home"),
        lambda p: p.get_absolute_url(),
        lambda p: "/ru" + p.get_absolute_url(),
        lambda p: reverse("cases:person-list"),
        lambda p: reverse("api:person-list"),
        lambda p: reverse("api:schema"),
        lambda p: reverse("cases:person-export", args=["csv"]),
        lambda p: reverse("cases:person-export", args=["json"]),
        lambda p: reverse("cases:feed-updates"),
        lambda p: reverse("sitemap"),
    ],
    ids=["home", "person", "person-ru", "list", "api", "schema", "csv", "json", "feed", "sitemap"],
)
def test_public_responses_are_gzipped_for_a_client_that_accepts_it(client, bokaev, address):
    address = address(bokaev)
    plain = client.get(address)
    response = client.get(address, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert not response.cookies
    assert body(response) == body(plain)


def test_a_public_page_carries_no_csrf_token_to_compress(client, bokaev):
    response = client.get(bokaev.get_absolute_url(), **GZIP)
    assert b"csrfmiddlewaretoken" not in body(response)
    assert b"Maks Bokaev" in body(response)


def test_nothing_is_gzipped_for_a_client_that_does_not_accept_it(client, bokaev):
    response = client.get(bokaev.get_absolute_url())
    assert not response.has_header("Content-Encoding")


def test_the_admin_is_never_gzipped(client, editor_client):
    assert not client.get(reverse("admin:login"), **GZIP).has_header("Content-Encoding")
    assert not editor_client.get(reverse("admin:cases_person_changelist"), **GZIP).has_header("Content-Encoding")


def test_a_public_page_for_a_signed_in_member_is_not_gzipped(editor_client, bokaev):
    # Their session cookie is renewed with every response: a session-specific secret.
    response = editor_client.get(bokaev.get_absolute_url(), **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_response_that_sets_a_cookie_is_not_gzipped(client, bokaev):
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": bokaev.get_absolute_url()}, follow=False, **GZIP
    )
    assert response.cookies and not response.has_header("Content-Encoding")
