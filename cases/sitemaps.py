"""sitemap.xml: every public page, in English and in Russian. Only published records, and only
the charges and themes that have something published to show."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .addresses import site_scheme_and_host
from .models import Case, Charge, Organization, Person, Source, Theme


class PublicSitemap(Sitemap):
    # Each address in both languages, each listing the other as an alternate (hreflang).
    i18n = True
    alternates = True
    x_default = True

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


class PublishedSitemap(PublicSitemap):
    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class PersonSitemap(PublishedSitemap):
    model = Person


class OrganizationSitemap(PublishedSitemap):
    model = Organization


class CaseSitemap(PublishedSitemap):
    model = Case


class SourceSitemap(PublishedSitemap):
    model = Source


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
