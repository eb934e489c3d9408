"""Files for crawlers: robots.txt (the sitemap lives in cases/sitemaps.py)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..addresses import absolute_url


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
