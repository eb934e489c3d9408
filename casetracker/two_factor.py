"""Setting up the second factor: an authenticator app (TOTP) and ten single-use backup codes; passkeys
(WebAuthn, django-otp-webauthn) registered beside them and used after the password."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

BACKUP_CODE_COUNT = 10


class ConfirmDeviceForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = "".join(self.cleaned_data["otp_token"].split())
        if not (token.isdigit() and self.device.verify_token(token)):
            raise forms.ValidationError(_("That code does not match: check the phone's clock and enter the newest."))
        return token


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no <img>, no data URL, no style attribute: the CSP holds)."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    label = _("QR code for your authenticator app")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@transaction.atomic
def confirm_device(device: TOTPDevice) -> list[str]:
    """Confirm the app and issue fresh backup codes; returns the codes, shown once and never again."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    backup = StaticDevice.objects.create(user=device.user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


@never_cache
@csrf_protect
def setup(request, site):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login", current_app=site.name))
    if any(True for _device in devices_for_user(user, confirmed=True)):
        # Already set up: a new device is never added from a session that only knows the password.
        return redirect("admin:index" if user.is_verified() else "admin:login")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = ConfirmDeviceForm(request.POST or None, device=device)
    context = {**site.each_context(request), "title": _("Set up two-factor authentication")}
    if request.method == "POST" and form.is_valid():
        codes = confirm_device(device)
        otp_login(request, device)
        return render(request, "admin/two_factor/backup_codes.html", {**context, "codes": codes})
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "admin/two_factor/setup.html",
        {
            **context,
            "form": form,
            "qr_code": mark_safe(qr_svg(device.config_url)),  # our own SVG, built from our own URI
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
        },
        status=400 if form.is_bound else 200,
    )


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.devices_for_user(user, confirmed=True).exists()


def verified_by_passkey(request) -> bool:
    return isinstance(getattr(request.user, "otp_device", None), WebAuthnCredential)


def passkey_satisfied(request) -> bool:
    """Whether the session's second factor is one this site accepts (a passkey, when they are required)."""
    return request.user.is_verified() and (not settings.PASSKEYS_REQUIRED or verified_by_passkey(request))


@never_cache
def verify_with_passkey(request, site):
    """After the password: the passkey, for a researcher who has one."""
    user = request.user
    if not is_staff_member(user) or not has_passkey(user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login", current_app=site.name))
    if passkey_satisfied(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": _("Confirm with your passkey"),
        "codes_allowed": not settings.PASSKEYS_REQUIRED,
    }
    return render(request, "admin/two_factor/passkey_verify.html", context)


@never_cache
def passkeys(request, site):
    """The researcher's passkeys, and registering a new one (only from a session already verified)."""
    user = request.user
    if not (is_staff_member(user) and user.is_verified()):
        return redirect_to_login(request.get_full_path(), reverse("admin:login", current_app=site.name))
    context = {
        **site.each_context(request),
        "title": _("Passkeys"),
        "passkeys": WebAuthnCredential.objects.devices_for_user(user, confirmed=True).order_by("created_at"),
        "required": settings.PASSKEYS_REQUIRED and not verified_by_passkey(request),
    }
    return render(request, "admin/two_factor/passkeys.html", context)
