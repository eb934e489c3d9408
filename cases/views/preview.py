"""The staff preview of a record's public page: the public view itself, built with unpublished
records shown and marked (cases.models.base.previewing), never cached and never indexed.

The admin serves it (cases.admin.mixins.RecordAdmin.preview_view) after its own permission checks.
"""

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ..models import Case, Event, Organization, Person, Source
from ..models.base import Publishable, previewing
from .cases import case_detail, theme_detail
from .people import organization_detail, person_detail
from .sources import source_detail

PUBLIC_VIEWS = {Person: person_detail, Organization: organization_detail, Case: case_detail, Source: source_detail}


def public_page_of(record: Publishable):
    """The public view that shows `record`, and its slug: an event shows in its case's page (or its
    theme's, for a development outside any case)."""
    if isinstance(record, Event):
        return (case_detail, record.case.slug) if record.case_id else (theme_detail, record.theme.slug)
    return PUBLIC_VIEWS[type(record)], record.slug


def preview_response(request: HttpRequest, record: Publishable, language: str) -> HttpResponse:
    """The public page of `record` in `language` (the admin itself is in English only)."""
    view, slug = public_page_of(record)
    with previewing(record), translation.override(language):
        response = view(request, slug)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
