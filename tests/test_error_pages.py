"""The site's own error pages, in its layout and language, with a search box and a way home; the
500 and 503 pages render with no database at all."""

import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from cases.views import errors

from .factories import make_person

pytestmark = pytest.mark.django_db


def assert_in_the_site_layout(html: str):
    assert '<header class="site">' in html
    assert 'name="search"' in html and f'action="{reverse("cases:person-list")}"' in html
    assert f'<a href="{reverse("cases:home")}">' in html
    assert "Traceback" not in html


@pytest.fixture
def failing_person_page(monkeypatch):
    """The person page raises `error` as it looks its record up."""

    def fail_with(error: Exception):
        def fail(*args, **kwargs):
            raise error

        monkeypatch.setattr("cases.views.people.get_object_or_404", fail)

    return fail_with


def test_an_unpublished_person_answers_the_sites_own_404(client):
    person = make_person("Hidden Person", is_published=False)
    response = client.get(reverse("cases:person-detail", args=[person.slug]))
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_the_site_layout(html)
    assert "Page not found" in html and '<html lang="en">' in html


def test_the_404_page_is_in_russian_under_ru(client):
    response = client.get("/ru/people/no-such-person/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru">' in html and "Страница не найдена" in html
    assert 'href="/ru/"' in html


def test_a_request_for_an_unknown_host_answers_the_sites_own_400():
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    html = response.content.decode()
    assert_in_the_site_layout(html)
    assert "Bad request" in html


def test_a_permission_denied_answers_the_sites_own_403(client, failing_person_page):
    failing_person_page(PermissionDenied())
    response = client.get(reverse("cases:person-detail", args=["someone"]))
    assert response.status_code == 403
    assert_in_the_site_layout(response.content.decode())
    assert "Not allowed" in response.content.decode()


def test_an_unexpected_error_answers_the_sites_own_500_in_the_pages_language(failing_person_page):
    failing_person_page(RuntimeError("a bug"))
    client = Client(raise_request_exception=False)
    response = client.get(reverse("cases:person-detail", args=["someone"]))
    assert response.status_code == 500
    assert_in_the_site_layout(response.content.decode())
    assert "Server error" in response.content.decode() and "a bug" not in response.content.decode()
    russian = client.get("/ru/people/someone/")
    assert russian.status_code == 500 and "Ошибка сервера" in russian.content.decode()


def test_a_database_that_is_away_answers_503_with_a_retry_after(failing_person_page):
    failing_person_page(OperationalError("connection refused"))
    response = Client(raise_request_exception=False).get(reverse("cases:person-detail", args=["someone"]))
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER)
    html = response.content.decode()
    assert_in_the_site_layout(html)
    assert "Temporarily unavailable" in html and "connection refused" not in html


@pytest.mark.parametrize(("error", "status"), [(RuntimeError("a bug"), 500), (OperationalError("away"), 503)])
def test_the_500_and_503_pages_render_with_the_database_blocked(django_db_blocker, error, status):
    request = RequestFactory().get("/people/someone/")
    with django_db_blocker.block():
        try:
            raise error
        except type(error):
            assert sys.exc_info()[1] is error
            response = errors.server_error(request)
    assert response.status_code == status
    assert_in_the_site_layout(response.content.decode())
