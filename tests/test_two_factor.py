"""Every staff account signs in with a second factor, and no admin address skips it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .personas import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

LOGIN = "admin:login"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def log_in(client, username, code="", password=PASSWORD, **extra):
    data = {"username": username, "password": password, "otp_token": code, "next": reverse("admin:index")}
    return client.post(reverse(LOGIN), data, **extra)


@pytest.fixture
def alice_with_app(alice_researcher):
    device = TOTPDevice.objects.create(user=alice_researcher, name="Authenticator app", confirmed=True)
    return alice_researcher, device


def test_a_researcher_signs_in_with_password_and_the_code_from_the_app(client, alice_with_app):
    _, device = alice_with_app
    before = client.get(reverse(LOGIN)).wsgi_request.session.session_key
    response = log_in(client, "alice", current_code(device))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session.session_key != before  # the session id rotates on login


def test_the_password_alone_does_not_open_the_admin(client, alice_with_app):
    response = log_in(client, "alice")
    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_wrong_code_is_refused_and_counts_towards_the_lockout(client, alice_with_app, settings):
    settings.AXES_FAILURE_LIMIT = 2
    response = log_in(client, "alice", "000000")
    assert "That code is wrong" in response.content.decode()
    assert SESSION_KEY not in client.session
    log_in(client, "alice", "000000")
    _, device = alice_with_app
    assert log_in(client, "alice", current_code(device)).status_code == 429


@pytest.mark.parametrize("elsewhere", ["https://attacker.example/", "//attacker.example/admin/", ""])
def test_a_refused_next_address_leads_to_the_admin_index(client, alice_with_app, elsewhere):
    _, device = alice_with_app
    data = {"username": "alice", "password": PASSWORD, "otp_token": current_code(device), "next": elsewhere}
    response = client.post(reverse(LOGIN), data)
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_a_backup_code_opens_the_admin_once(client, alice_with_app):
    user, _ = alice_with_app
    code = "backupcode1234"
    backup = user.staticdevice_set.create(name="Backup codes", confirmed=True)
    backup.token_set.create(token=code)
    assert log_in(client, "alice", code).status_code == 302
    client.logout()
    assert log_in(client, "alice", code).status_code == 200  # used up
    assert not StaticToken.objects.filter(token=code).exists()


def test_a_new_staff_member_sets_up_the_app_before_anything_else(client, alice_researcher):
    response = log_in(client, "alice")
    assert response.status_code == 302
    # Signed in with the password only: the admin sends them to set up the second factor.
    assert client.get(reverse("admin:index")).url.startswith(reverse(LOGIN))
    assert client.get(reverse(LOGIN)).url == reverse("admin:two-factor-setup")
    page = client.get(reverse("admin:two-factor-setup")).content.decode()
    assert "<svg" in page and "otpauth://totp/" in page
    device = TOTPDevice.objects.get(user=alice_researcher, confirmed=False)

    assert client.post(reverse("admin:two-factor-setup"), {"otp_token": "000000"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # as if the researcher waited the second a wrong code costs
    response = client.post(reverse("admin:two-factor-setup"), {"otp_token": current_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_set_up_page_cannot_replace_a_device_with_only_the_password(client, alice_with_app):
    log_in(client, "alice", "000000")  # wrong code: not signed in
    assert client.get(reverse("admin:two-factor-setup")).status_code == 302
    assert TOTPDevice.objects.count() == 1


def admin_urls():
    """Every address the admin answers, with placeholder arguments: found, not listed by hand."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern

    def find_admin(patterns):
        # At any depth: the admin may sit inside i18n_patterns or another include.
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    return pattern
                if found := find_admin(pattern.url_patterns):
                    return found
        return None

    admin_resolver = find_admin(get_resolver().url_patterns)
    for pattern in walk(admin_resolver.url_patterns):
        if pattern.name in {"login", "logout", "two-factor-setup"}:
            continue
        names = list(pattern.pattern.regex.groupindex)
        if names:
            kwargs = {name: "cases" if name == "app_label" else "1" for name in names}
            yield reverse(f"admin:{pattern.name}", kwargs=kwargs)
        else:
            yield reverse(f"admin:{pattern.name}", args=["1"] * pattern.pattern.regex.groups)


def test_no_admin_address_opens_without_the_second_factor(client):
    urls = list(admin_urls())
    assert len(urls) > 80  # every model's pages and the workspace's own
    superuser = make_staff("root", superuser=True)
    client.force_login(superuser)  # the password was right; no code was given
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse(LOGIN)), url


def test_an_editor_can_lift_a_lockout_with_the_reset_command(client, alice_with_app, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        log_in(client, "alice", password="wrong password")
    _, device = alice_with_app
    assert log_in(client, "alice", current_code(device)).status_code == 429
    call_command("axes_reset_username", "alice")
    assert log_in(client, "alice", current_code(device)).status_code == 302


def test_the_lockout_is_per_username_and_address_together(client, alice_with_app, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        log_in(client, "alice", password="wrong password", REMOTE_ADDR="203.0.113.9")
    _, device = alice_with_app
    assert log_in(client, "alice", current_code(device), REMOTE_ADDR="203.0.113.9").status_code == 429
    # The attacker's address is locked out for alice; alice at her own address is not.
    assert log_in(client, "alice", current_code(device), REMOTE_ADDR="198.51.100.7").status_code == 302
