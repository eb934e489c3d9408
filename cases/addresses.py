"""Permanent addresses: a path under the configured canonical site address (settings.SITE_URL), so
Atom ids, canonical links, the sitemap and citations do not change with the host a request used."""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` under SITE_URL; without it (development), under the host the request came in on,
    or left as it is when there is no request (a feed adds the request's host itself)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        return path
    return request.build_absolute_uri(path)


def site_scheme_and_host() -> tuple[str, str] | None:
    """SITE_URL as (scheme, host), or None when it is not set."""
    if not settings.SITE_URL:
        return None
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


def address_of(url_name: str) -> Callable[[str], str]:
    """`reverse(url_name, args=[slug])` in the active language for many slugs at the cost of none
    after the first (a slug needs no quoting): every page names dozens of records, the exports and
    the sitemap thousands, and each `reverse` walks the URL patterns again."""
    before, after = _around_slug(url_name, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return lambda slug: f"{before}{slug}{after}"


@lru_cache(maxsize=256)
def _around_slug(url_name: str, language: str | None, script_prefix: str, urlconf: str) -> tuple[str, str]:
    """What comes before and after the slug in `url_name`'s path (the key: what `reverse` reads)."""
    marker = "slug-marker"
    before, after = reverse(url_name, args=[marker], urlconf=urlconf).split(marker)
    return before, after
