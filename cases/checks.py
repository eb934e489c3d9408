"""Deployment checks of this site's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set: Atom ids, canonical links, the sitemap and citations take the host each "
            "request came in on, so a feed reached under another name looks all new.",
            hint="Set SITE_URL to the site's public address, such as https://casetracker.example.org.",
            id="cases.W001",
        )
    ]
