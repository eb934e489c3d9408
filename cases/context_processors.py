"""What every public page needs to say where it lives: its canonical address, its address in
each language, and today's date for "accessed" in a citation."""

from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.functional import SimpleLazyObject


def page_address(request):
    def alternates():
        return [
            (code, request.build_absolute_uri(translate_url(request.path, code))) for code, _name in settings.LANGUAGES
        ]

    return {
        # Lazy: admin and API pages never ask for these.
        "canonical_url": SimpleLazyObject(lambda: request.build_absolute_uri(request.path)),
        "language_urls": SimpleLazyObject(alternates),
        "accessed": timezone.localdate(),
    }
