"""The admin site: password, then a second factor, for every staff account without exception.

Every admin view (Django's, the models', our own) passes `has_permission`, which demands a
session verified by a TOTP code or a single-use backup code. A staff member without a device
yet signs in with the password alone and is sent to set one up; nothing else opens to them.
Input no record can match (a NUL byte, a selected id that is no id) answers 400 in every view.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME as SELECTED
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor


def is_possible_pk(model, value) -> bool:
    try:
        model._meta.pk.clean(value, None)
    except ValidationError:
        return False
    return True


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


class StaffLoginForm(AdminAuthenticationForm):
    """Username, password and a code: six digits from the app, or one of the backup codes."""

    otp_token = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "token_required": _("Enter the code from your authenticator app, or a backup code."),
        "invalid_token": _("That code is wrong or already used. Check the time on your phone and try again."),
        "throttled": _("Too many wrong codes: wait a minute before the next try."),
        "passkey_required": _("Sign in with your passkey: leave the code empty."),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not has_confirmed_device(user):
            # No device yet: the password alone opens only the set-up page (see CasetrackerAdminSite.login).
            return cleaned
        token = "".join(cleaned.get("otp_token", "").split()).lower()
        if two_factor.has_passkey(user):
            if not token:
                # The password alone opens only the page that asks for the passkey.
                return cleaned
            if settings.PASSKEYS_REQUIRED:
                raise forms.ValidationError(self.error_messages["passkey_required"], code="passkey_required")
        if not token:
            raise forms.ValidationError(self.error_messages["token_required"], code="token_required")
        device = self._device_for(user, token)
        error = "invalid_token"
        if device is not None:
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                error = "throttled"
            else:
                with transaction.atomic():
                    verified = device.verify_token(token)
                if verified:
                    user.otp_device = device  # django-otp marks the session verified on login
                    return cleaned
        # A wrong code counts as a failed login for the lockout, like a wrong password.
        user_login_failed.send(sender=__name__, credentials={"username": cleaned.get("username")}, request=self.request)
        raise forms.ValidationError(self.error_messages[error], code=error)

    @staticmethod
    def _device_for(user, token: str):
        # App codes are digits; backup codes are letters and digits: the form tells which device
        # to ask, so a wrong app code does not throttle the backup codes (and the reverse).
        model = TOTPDevice if token.isdigit() else StaticDevice
        return model.objects.devices_for_user(user, confirmed=True).first()


def add_next(url: str, request) -> str:
    """`url` carrying on the page the sign-in was for, when that is an address of this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return f"{url}?{urlencode({'next': target})}"
    return url


class CasetrackerAdminSite(admin.AdminSite):
    site_header = _("casetracker: researchers' workspace")
    site_title = _("casetracker admin")
    index_title = _("Cases, people and sources")
    login_form = StaffLoginForm
    login_template = "admin/two_factor/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.passkey_satisfied(request)

    def admin_view(self, view, cacheable=False):
        return super().admin_view(self._refusing_malformed_input(view), cacheable)

    def _refusing_malformed_input(self, view):
        """Input no record can match answers 400 before the view queries with it: PostgreSQL refuses a
        NUL byte in any text (a filter, a search, an autocomplete term), and a list action on records
        selected as "abc" fails in the database layer on every backend."""
        model_admin = getattr(view, "__self__", None)
        model = model_admin.model if isinstance(model_admin, admin.ModelAdmin) else None

        @wraps(view)
        def inner(request, *args, **kwargs):
            if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
                return self._bad_request(
                    request, _("A parameter of this address contains a NUL character, which no text here can contain.")
                )
            if model is not None and not all(is_possible_pk(model, pk) for pk in request.POST.getlist(SELECTED)):
                return self._bad_request(request, _("The selection names records that cannot exist."))
            return view(request, *args, **kwargs)

        return inner

    def _bad_request(self, request, message):
        context = {**self.each_context(request), "title": _("Bad request"), "message": message}
        return TemplateResponse(request, "admin/bad_request.html", context, status=400)

    def login(self, request, extra_context=None):
        user = request.user
        if two_factor.is_staff_member(user) and request.method == "GET":
            if not user.is_verified():
                if not has_confirmed_device(user):
                    return redirect("admin:two-factor-setup")
                if two_factor.has_passkey(user) and "code" not in request.GET:
                    return redirect(add_next(reverse("admin:two-factor-passkey"), request))
            elif not two_factor.passkey_satisfied(request):
                # Passkeys are required and this session was verified by a code: register one first.
                return redirect("admin:two-factor-passkeys")
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        from cases.review import awaiting_review, own_records

        context = {"awaiting_review": awaiting_review(request.user), "own_records": own_records(request.user)}
        return super().index(request, {**context, **(extra_context or {})})

    def get_urls(self):
        # Not wrapped in admin_view: these serve signed-in staff who have no second factor yet.
        return [
            path("two-factor/setup/", two_factor.setup, {"site": self}, name="two-factor-setup"),
            path("two-factor/passkey/", two_factor.verify_with_passkey, {"site": self}, name="two-factor-passkey"),
            path("two-factor/passkeys/", two_factor.passkeys, {"site": self}, name="two-factor-passkeys"),
            *super().get_urls(),
        ]
