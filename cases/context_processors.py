"""What every public page needs to say where it lives: its canonical address (under SITE_URL, see
cases.addresses), its address in each language, and today's date for "accessed" in a citation."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .addresses import absolute_url
from .models.base import previewed_record


def page_address(request):
    def alternates():
        return [(code, absolute_url(translate_url(request.path, code), request)) for code, _name in settings.LANGUAGES]

    return {
        # Lazy: admin and API pages never ask for these.
        "canonical_url": SimpleLazyObject(lambda: absolute_url(request.path, request)),
        "language_urls": SimpleLazyObject(alternates),
        "accessed": timezone.localdate(),
    }


def preview(request):
    """`preview`: the record a staff preview shows (see cases.admin.mixins), None on the public site."""
    record = previewed_record()
    if record is None:
        return {"preview": None}
    opts = record._meta
    here = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[record.pk])
    return {
        "preview": record,
        "preview_admin_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
        "preview_languages": [(code, f"{here}?language={code}") for code, _name in settings.LANGUAGES],
    }
