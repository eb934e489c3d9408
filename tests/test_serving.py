"""`make serve`: the production settings with only the HTTPS redirect off pass the deployment checks,
and gunicorn with gunicorn.conf.py starts and serves pages with their cache headers."""

import gc
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from .test_security_settings import run_manage

PROJECT = settings.BASE_DIR
SERVE_ENV = {"DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "SITE_URL": "http://127.0.0.1:8000"}


def test_the_serve_settings_pass_the_deployment_checks_but_for_the_https_redirect():
    result = run_manage("check", "--deploy", SECRET_KEY=secrets.token_urlsafe(60), **SERVE_ENV)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "security.W008" in output  # SECURE_SSL_REDIRECT off, for the loopback only
    assert "1 issue" in output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn(db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn runs in another process, which cannot open the test run's in-memory SQLite database")
    database = connection.settings_dict
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    environment.update(
        SERVE_ENV,
        SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    )
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers=1"]
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(command, cwd=PROJECT, env=environment, stderr=log.open("w"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_the_api_and_robots_txt_with_cache_headers(gunicorn):
    status, headers, body = fetch(f"{gunicorn}/api/people/?format=json")
    assert status == 200 and headers["Server"] == "gunicorn"
    assert b'"results"' in body
    assert headers["Cache-Control"] == f"public, max-age={settings.PUBLIC_CACHE_MAX_AGE}, must-revalidate"
    status, _headers, body = fetch(f"{gunicorn}/api/people/?format=json", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _headers, body = fetch(f"{gunicorn}/robots.txt")
    assert status == 200 and b"Disallow: /admin/" in body


def test_gunicorn_freezes_what_the_master_loaded_before_each_fork():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
