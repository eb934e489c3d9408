"""Files for crawlers: robots.txt and the sitemap's index (its sections live in cases/sitemaps.py)."""

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..addresses import absolute_url
from ..sitemaps import SITEMAPS


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@x_robots_tag
def sitemap_index(request):
    """Every page of every section, under the canonical site address (Django's own index would use
    the host the request came in on)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("sitemap-section", kwargs={"section": section}), request)
        entries.append(SitemapIndexItem(location))
        if sitemap.paged:
            entries += [SitemapIndexItem(f"{location}?p={page}") for page in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
