"""Passkeys as the second factor: after the password, never instead of it; registered only from a
verified session; required for everyone when PASSKEYS_REQUIRED is on. The ceremony itself runs in
Chromium (tests/test_browser_passkeys.py)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .test_two_factor import current_code, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_with_passkey(alice_researcher):
    app = TOTPDevice.objects.create(user=alice_researcher, name="Authenticator app", confirmed=True)
    passkey = WebAuthnCredential.objects.create(
        user=alice_researcher, name="Security key", confirmed=True, credential_id=b"id", public_key=b"key"
    )
    return app, passkey


def verify_session_with(client, device):
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_password_alone_leads_a_passkey_holder_only_to_the_passkey_page(client, alice_with_passkey):
    response = log_in(client, "alice")
    assert response.status_code == 302
    login = client.get(reverse("admin:login"), {"next": reverse("admin:index")})
    assert login.url == reverse("admin:two-factor-passkey") + "?next=%2Fadmin%2F"
    page = client.get(login.url).content.decode()
    assert 'id="passkey-verification-placeholder"' in page and 'id="otp_webauthn_config"' in page
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:two-factor-passkeys")).status_code == 302
    assert client.get(reverse("admin:two-factor-setup")).status_code == 302
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


def test_the_passkey_verifies_the_session(client, alice_with_passkey):
    _, passkey = alice_with_passkey
    log_in(client, "alice")
    verify_session_with(client, passkey)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_passkey_holder_may_still_sign_in_with_the_app(client, alice_with_passkey):
    app, _ = alice_with_passkey
    response = log_in(client, "alice", current_code(app))
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_verified_researcher_sees_their_passkeys_and_the_register_button(client, alice_with_passkey):
    app, _ = alice_with_passkey
    log_in(client, "alice", current_code(app))
    page = client.get(reverse("admin:two-factor-passkeys")).content.decode()
    assert "Security key" in page and 'id="passkey-registration-placeholder"' in page
    assert reverse("admin:two-factor-passkeys") in client.get(reverse("admin:index")).content.decode()


def test_registering_a_passkey_needs_a_verified_session(client, alice_with_passkey):
    log_in(client, "alice")
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"), content_type="application/json")
    assert begin.status_code == 403


def test_anonymous_visitors_cannot_begin_a_passkey_sign_in(client):
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"), content_type="application/json")
    assert begin.status_code in {401, 403}
    assert SESSION_KEY not in client.session


@pytest.fixture
def passkeys_required(settings):
    settings.PASSKEYS_REQUIRED = True


def test_when_passkeys_are_required_a_passkey_holder_cannot_use_a_code(client, alice_with_passkey, passkeys_required):
    app, _ = alice_with_passkey
    response = log_in(client, "alice", current_code(app))
    assert response.status_code == 200
    assert "Sign in with your passkey" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_when_passkeys_are_required_a_code_leads_only_to_registering_one(client, alice_researcher, passkeys_required):
    app = TOTPDevice.objects.create(user=alice_researcher, name="Authenticator app", confirmed=True)
    log_in(client, "alice", current_code(app))
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).url == reverse("admin:two-factor-passkeys")
    page = client.get(reverse("admin:two-factor-passkeys")).content.decode()
    assert "This site requires a passkey for every sign-in" in page


def test_when_passkeys_are_required_a_passkey_opens_the_admin(client, alice_with_passkey, passkeys_required):
    _, passkey = alice_with_passkey
    log_in(client, "alice")
    verify_session_with(client, passkey)
    assert client.get(reverse("admin:index")).status_code == 200
