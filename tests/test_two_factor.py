"""Every staff account signs in with a second factor, and no admin address skips it."""

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.urls import URLPattern, resolve, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .personas import PASSWORD
from .test_admin_crawl import admin_pages, admin_patterns, private_media, record_ids, team  # noqa: F401 (fixtures)

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


# The sign-in page is the one way in; everything else the admin site registers is walked.
OPEN_TO_A_PASSWORD_ONLY_SESSION = {"login"}


def unnamed_admin_addresses() -> list[str]:
    """The addresses of the admin's unnamed patterns: each model's old change address
    (`<app>/<model>/<id>/`, a redirect), and the catch-all, opened with an address nothing else takes."""
    addresses = [reverse("admin:index") + "no-such-page/"]
    site_level = [str(p.pattern) for p in admin.site.get_urls() if isinstance(p, URLPattern) and not p.name]
    assert site_level == ["(?P<url>.*)$"], "Teach the walk to open the new unnamed pattern, or name it."
    for model, model_admin in admin.site._registry.items():
        unnamed = [str(p.pattern) for p in model_admin.get_urls() if not p.name]
        assert unnamed in ([], ["<path:object_id>/"]), f"Teach the walk to open {unnamed} of {model._meta.label}."
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        addresses += [f"{changelist}{pk}/" for pk in record_ids(model)[:1] if unnamed]
    return addresses


def every_admin_address() -> list[str]:
    """Every address the admin site registers (walked from admin.site.get_urls(): each model's, the
    workspace's, the history, import, attachment, preview and r/ pages included), opened on real
    records (tests/test_admin_crawl.py)."""
    patterns = {pattern.name for pattern in admin_patterns()} - OPEN_TO_A_PASSWORD_ONLY_SESSION
    pages = [page for page in admin_pages() if resolve(page).url_name in patterns]
    return [*pages, *unnamed_admin_addresses()]


def is_closed(response) -> bool:
    """Sent to sign in (or, from the sign-out, to the home page, which sends them to sign in)."""
    sign_in, home = reverse(LOGIN), reverse("admin:index")
    return response.status_code == 302 and (response.url.startswith(sign_in) or response.url == home)


@pytest.mark.usefixtures("team")
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_admin_address_opens_to_a_session_that_passed_the_password_but_not_the_second_factor(client, method):
    addresses = every_admin_address()
    names = {resolve(address).url_name for address in addresses}
    assert {"password_change", "jsi18n", "view_on_site", "cases_person_import", "cases_source_attachment"} <= names
    assert {"cases_event_simple_history", "cases_person_history", "cases_event_preview", "logout"} <= names
    superuser = get_user_model().objects.get(username="root")
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()
    client.force_login(superuser)  # the password was right; no code was given
    client.raise_request_exception = False
    answers = {address: getattr(client, method)(address) for address in addresses}
    opened = [f"{response.status_code} {address}" for address, response in answers.items() if not is_closed(response)]
    assert not opened, "\n".join(opened)
    assert len(answers) > 120
    assert client.get(reverse(LOGIN)).status_code == 200  # still signed in with the password, asked for a code


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
