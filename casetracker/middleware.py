"""Middleware of the public site.

Compression: what the public reads is compressed, never a response that carries a secret.

Caching: what anonymous visitors read is served from a cache and revalidated; what staff read never is.

A public page is cached under the generation of the public pages (cases.caching), the day (pages
say "now" and "7 years ago") and, as Django's cache keys do, the full address with its query
string, the page's language and the headers the response varies on. Nothing else is cached: a
signed-in researcher's request, the admin, anything but a 200, a response that sets a cookie or
varies on one (a CSRF token, a session), a stream (the exports) or an answer the view itself
marked private.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime, time

from django.conf import settings
from django.core.cache import caches
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_cache_key,
    get_conditional_response,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from .routers import is_public_request, public_reads

# What the public site sends: pages, the API and its schema, exports, feeds, the sitemap, robots.txt.
COMPRESSED_TYPES = frozenset(
    {
        "text/html",
        "text/csv",
        "text/plain",
        "application/json",
        "application/atom+xml",
        "application/xml",
        "application/vnd.oai.openapi",
        "application/vnd.oai.openapi+json",
    }
)


class CompressPublicResponses(GZipMiddleware):
    """Django's gzip, for public responses only.

    Compressing a secret beside text an attacker can choose lets them guess it from the response
    sizes (BREACH). So nothing is compressed that sets a cookie (a CSRF token rendered into the
    page, a session, a language choice: each comes with its cookie), varies with the cookies sent
    (a signed-in user's view), or belongs to the admin.
    """

    def process_response(self, request, response):
        if not self.compressible(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def compressible(request, response) -> bool:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES or response.cookies:
            return False
        if "cookie" in response.get("Vary", "").lower():
            return False
        return not request.path_info.startswith(reverse("admin:index"))


# A page this big (a sitemap of 50,000 addresses) is public, but not worth a place in the cache.
LARGEST_CACHED_BODY = 1024 * 1024
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")


class PublicReadsMiddleware:
    """An anonymous visitor's reads go to the replica when there is one (casetracker.routers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_request(request):
            return self.get_response(request)
        with public_reads():
            response = self.get_response(request)
        if response.streaming:
            # A download is read as it is sent, after this call has returned.
            response.streaming_content = read_publicly(response.streaming_content)
        return response


def read_publicly(parts: Iterable) -> Iterator:
    """`parts`, each worked out with reads on the replica: set and reset around each step, which the
    server may take in a context of its own."""
    parts, end = iter(parts), object()
    while True:
        with public_reads():
            part = next(parts, end)
        if part is end:
            return
        yield part


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_request(request):
            response = self.get_response(request)
            add_never_cache_headers(response)
            return response

        if not settings.PUBLIC_PAGE_CACHE:
            response = self.get_response(request)
            if not self.cacheable(request, response):
                return self.private(response)
            return self.revalidated(request, self.public(response))

        # Imported here: cases.caching reads the models, which are not ready when settings load this.
        from cases.caching import current_generation

        generation, changed_at = current_generation()
        today = timezone.localdate()
        prefix = f"public.{generation}.{today:%Y%m%d}"
        # A page changes when a record does, and at midnight ("now", "7 years ago", "accessed").
        midnight = timezone.make_aware(datetime.combine(today, time.min))
        last_modified = max(changed_at, midnight) if changed_at else midnight
        cache = caches[settings.PUBLIC_CACHE_ALIAS]

        key = get_cache_key(request, prefix, "GET", cache=cache)
        cached = cache.get(key) if key is not None else None
        if cached is not None:
            return self.revalidated(request, cached)

        response = self.get_response(request)
        if not self.cacheable(request, response):
            return self.private(response)
        response["Last-Modified"] = http_date(last_modified.timestamp())
        self.public(response)
        if request.method == "GET" and len(response.content) <= LARGEST_CACHED_BODY:
            key = learn_cache_key(request, response, settings.PUBLIC_CACHE_TIMEOUT, prefix, cache=cache)
            cache.set(key, response, settings.PUBLIC_CACHE_TIMEOUT)
        return self.revalidated(request, response)

    @staticmethod
    def public(response):
        """Validators and a short public Cache-Control, so browsers and a CDN can keep it and revalidate."""
        set_response_etag(response)
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE, must_revalidate=True)
        return response

    @staticmethod
    def private(response):
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def revalidated(request, response):
        """304 Not Modified when the visitor's copy (If-None-Match / If-Modified-Since) is this one."""
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        etag = response.get("ETag")
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)

    @staticmethod
    def cacheable(request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            # A page that used a CSP nonce (the API docs) is valid only with the header sent with it.
            and not isinstance(getattr(request, "_csp_nonce", None), str)
            and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
            # Not request.user: reading it would mark the session read and make the page vary on Cookie.
            and (not hasattr(request, "session") or request.session.is_empty())
        )
