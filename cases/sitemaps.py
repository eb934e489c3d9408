"""sitemap.xml: every public page, in English and in Russian. Only published records, and only
the charges and themes that have something published to show.

An index of sections (`sitemap.xml`), each section in pages (`sitemap-people.xml?p=2`), so no
document has to hold every record and each page costs the same however many there are.
"""

from functools import cached_property
from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation

from .addresses import address_of, site_scheme_and_host
from .models import Case, Charge, Organization, Person, Source, Theme


class PublicSitemap(Sitemap):
    # Each address in both languages, each listing the other as an alternate (hreflang).
    i18n = True
    alternates = True
    x_default = True
    # Whether the section may run to several pages: the charges, themes and list pages are a few
    # dozen addresses, so the index need not count them (which would read them all).
    paged = False

    # Under the canonical site address when one is set, whatever host the request came in on.
    def get_domain(self, site=None):
        site_url = site_scheme_and_host()
        return site_url[1] if site_url else super().get_domain(site)

    def get_protocol(self, protocol=None):
        site_url = site_scheme_and_host()
        return site_url[0] if site_url else super().get_protocol(protocol)


class PagesSitemap(PublicSitemap):
    def items(self):
        return [
            "cases:home",
            "cases:person-list",
            "cases:case-list",
            "cases:organization-list",
            "cases:event-list",
            "cases:statistics",
            "cases:source-list",
            "cases:charge-list",
            "cases:theme-list",
        ]

    def location(self, item):
        return reverse(item)


class IdBlocks:
    """Pages of records by blocks of ids: page n holds the records whose id is in the nth block of
    `per_page` ids. Counting the pages is one look-up of the highest id and a page
    is one range of the primary key, where a Paginator would count the records and skip over the
    earlier pages (and Sitemap's own, with `i18n`, would read every record). A page may hold fewer
    than `per_page` (ids of unpublished or deleted records), or none."""

    def __init__(self, records, per_page: int):
        self.records, self.per_page = records, per_page

    @cached_property
    def num_pages(self) -> int:
        highest = self.records.aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, -(-highest // self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        first = (number - 1) * self.per_page
        records = self.records.filter(pk__gt=first, pk__lte=first + self.per_page)
        return SimpleNamespace(object_list=list(records))


class PublishedSitemap(PublicSitemap):
    model = None
    url_name = ""  # the record's page, by its slug
    # Records per page (each is listed in every language, with its alternates).
    limit = 200
    paged = True

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    @cached_property
    def paginator(self):
        return IdBlocks(self.items(), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        """What Sitemap.get_urls gives with `i18n`, `alternates` and `x_default` (each record in
        every language, each naming all of them), with one reverse() per language rather than four
        activations of a language and four reverse() a record."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        languages = self._languages()
        addresses = {}
        for language in languages:
            with translation.override(language):
                addresses[language] = address_of(self.url_name)
        default = settings.LANGUAGE_CODE
        urls = []
        for record in self.paginator.page(page).object_list:
            locations = {language: base + address(record.slug) for language, address in addresses.items()}
            alternates = [{"location": location, "lang_code": language} for language, location in locations.items()]
            if self.x_default and default in locations:
                x_default = locations[default].replace(f"/{default}/", "/", 1)
                alternates.append({"location": x_default, "lang_code": "x-default"})
            urls += [
                {
                    "item": (record, language),
                    "location": location,
                    "lastmod": record.updated_at,
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                }
                for language, location in locations.items()
            ]
        if urls:
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls

    def get_latest_lastmod(self):
        # Not in the index: it would read every record of the section; each page has its own.
        return None

    def lastmod(self, record):
        return record.updated_at


class PersonSitemap(PublishedSitemap):
    model = Person
    url_name = "cases:person-detail"


class OrganizationSitemap(PublishedSitemap):
    model = Organization
    url_name = "cases:organization-detail"


class CaseSitemap(PublishedSitemap):
    model = Case
    url_name = "cases:case-detail"


class SourceSitemap(PublishedSitemap):
    model = Source
    url_name = "cases:source-detail"


class ChargeSitemap(PublicSitemap):
    def items(self):
        return (
            Charge.objects.public()
            .annotate(lastmod=Max("cases__updated_at", filter=Q(cases__is_published=True)))
            .order_by("pk")
        )

    def lastmod(self, charge):
        return charge.lastmod


class ThemeSitemap(PublicSitemap):
    def items(self):
        # Both maxima run over one joined row set; duplicated rows do not change a maximum.
        return (
            Theme.objects.public()
            .annotate(
                cases_updated=Max("cases__updated_at", filter=Q(cases__is_published=True)),
                context_updated=Max(
                    "context_events__updated_at",
                    filter=Q(context_events__is_published=True, context_events__case=None),
                ),
            )
            .order_by("pk")
        )

    def lastmod(self, theme):
        return max(stamp for stamp in (theme.cases_updated, theme.context_updated) if stamp is not None)


SITEMAPS = {
    "pages": PagesSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
    "cases": CaseSitemap,
    "charges": ChargeSitemap,
    "themes": ThemeSitemap,
    "sources": SourceSitemap,
}
