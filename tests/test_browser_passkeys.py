"""A researcher registers a passkey and signs in with it, in Debian's Chromium with its virtual
authenticator (a security key the browser simulates), under the site's Content-Security-Policy."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .personas import PASSWORD, make_staff
from .test_two_factor import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@pytest.fixture
def passkey_settings(settings, live_server):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return settings


def sign_in(page, url: str, code: str = "") -> None:
    page.goto(url + reverse("admin:login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", code)
    page.click("input[type=submit]")


def test_a_researcher_registers_a_passkey_and_then_signs_in_with_it(live_server, browser, roles, passkey_settings):
    alice = make_staff("alice", "Researcher")
    app = TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)
    url = live_server.url
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})

    sign_in(page, url, current_code(app))
    page.goto(url + reverse("admin:two-factor-passkeys"))
    with page.expect_response(lambda response: "registration/complete" in response.url) as registered:
        page.click("#passkey-register-button")
    assert registered.value.ok, registered.value.text()
    page.reload()
    assert page.locator("ul.passkeys li").count() == 1
    assert WebAuthnCredential.objects.filter(user=alice, confirmed=True).count() == 1

    context.clear_cookies()
    sign_in(page, url)  # the password, and no code
    page.wait_for_url("**" + reverse("admin:two-factor-passkey") + "**")
    with page.expect_navigation(url=url + reverse("admin:index")):
        page.click("#passkey-verification-button")
    assert page.locator("#site-name").count() == 1 and page.locator("#content-main").count() == 1
    assert "two-factor" not in page.url
    assert not refused
    context.close()
