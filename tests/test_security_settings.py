"""Production settings pass Django's deployment checks, cookies are locked down; every page carries a strict CSP."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from .factories import make_case, make_event, make_person

PROJECT = settings.BASE_DIR


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        DEBUG="false",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https",
        SITE_URL="https://casetracker.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_proxy_header_setting_stops_the_start_loudly():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(60), SECURE_PROXY_SSL_HEADER="https")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must look like" in result.stderr


def test_the_language_cookie_is_secure_same_site_and_http_only_in_production():
    switch_to_russian = (
        "from django.test import Client; from django.urls import reverse; "
        "response = Client().post(reverse('set_language'), {'language': 'ru', 'next': '/'}, secure=True); "
        "print(response.cookies[settings.LANGUAGE_COOKIE_NAME].output())"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; " + switch_to_russian,
        SECRET_KEY=secrets.token_urlsafe(60), DEBUG="false", ALLOWED_HOSTS="testserver",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    cookie = result.stdout.strip()
    assert "=ru;" in cookie
    assert {"Secure", "SameSite=Lax", "HttpOnly"} <= {part.strip() for part in cookie.split(";")}


def test_sessions_expire_after_inactivity_and_passwords_are_checked():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client):
    person = make_person("Max Bokayev")
    case = make_case("Prosecution of Max Bokayev", people=[person])
    make_event(case, "2018-03")
    for url in [reverse("cases:home"), person.get_absolute_url(), case.get_absolute_url(), reverse("api:docs")]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in directives.get("style-src", []), url
        assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
        assert "<script>" not in response.content.decode(), f"an inline script on {url}"


@pytest.mark.django_db
def test_the_api_docs_load_their_start_up_script_from_a_file_and_allow_redocs_styles_by_nonce(client):
    response = client.get(reverse("api:docs"))
    page = response.content.decode()
    assert static("cases/redoc-init.js") in page
    assert not re.search(r"<script(?![^>]*\ssrc=)(?![^>]*application/json)", page), "an inline script"
    nonce = re.search(r'redoc-init\.js" nonce="([^"]+)"', page).group(1)
    style = csp_directives(response)["style-src"]
    assert f"'nonce-{nonce}'" in style and "'unsafe-inline'" not in style
    assert csp_directives(client.get(reverse("cases:home")))["style-src"] == ["'self'"]
