"""What every public page needs to say where it lives: its canonical address (under SITE_URL, see
cases.addresses), its address in each language, and today's date for "accessed" in a citation."""

from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .addresses import absolute_url


def page_address(request):
    def alternates():
        return [(code, absolute_url(translate_url(request.path, code), request)) for code, _name in settings.LANGUAGES]

    return {
        # Lazy: admin and API pages never ask for these.
        "canonical_url": SimpleLazyObject(lambda: absolute_url(request.path, request)),
        "language_urls": SimpleLazyObject(alternates),
        "accessed": timezone.localdate(),
    }
