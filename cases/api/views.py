"""Read-only API over published records. Unpublished records answer 404 like missing ones."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView
from rest_framework import routers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound

from ..models import Case, Event, Organization, Person
from . import filters, serializers
from .pagination import PeoplePagination

EXPORTS = {"people": "cases:person-export", "organizations": "cases:organization-export",
           "cases": "cases:case-export", "events": "cases:event-export"}  # fmt: skip


class ApiRoot(routers.APIRootView):
    """The API's front page: what it is, where its documentation is, and each list's address."""

    def get_view_name(self):
        return settings.SPECTACULAR_SETTINGS["TITLE"]

    def get_view_description(self, html=False):
        text = (
            "Read-only JSON over the published people, organisations, cases and events of casetracker: "
            "anonymous, no key or sign-in needed. Every list takes the public lists' filters and is paginated."
        )
        if not html:
            return text
        return format_html(
            '<p>{}</p><p>Documentation: <a href="{}">{}</a> (the OpenAPI schema: <a href="{}">{}</a>). '
            "The same lists as CSV or JSON files, filtered the same way: "
            '<a href="{}">people</a>, <a href="{}">organisations</a>, <a href="{}">cases</a>, '
            '<a href="{}">events</a>.</p>',
            text,
            *(2 * [reverse("api:docs")]),
            *(2 * [reverse("api:schema")]),
            *export_urls("csv").values(),
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        absolute = request.build_absolute_uri
        response.data = {
            **response.data,
            "documentation": absolute(reverse("api:docs")),
            "schema": absolute(reverse("api:schema")),
            "exports": {
                fmt: {name: absolute(url) for name, url in export_urls(fmt).items()} for fmt in ("csv", "json")
            },
        }
        return response


def export_urls(fmt: str) -> dict[str, str]:
    # The API speaks English: the downloads it names are the English pages'.
    with translation.override(settings.LANGUAGE_CODE):
        return {name: reverse(url_name, kwargs={"fmt": fmt}) for name, url_name in EXPORTS.items()}


# Redoc's styles, on the docs page only: those it injects once started carry the page's nonce
# (cases/redoc-init.js hands it over); the scrollbar's, injected as its file loads, cannot, so they
# are allowed by hash: an empty <style> and then its rules (drf-spectacular-sidecar 2026.10.1;
# tests/test_browser_api_docs.py fails on any CSP error if an upgrade changes them).
REDOC_STYLE_SOURCES = [
    NONCE,
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]


@method_decorator(csp_update({"style-src": REDOC_STYLE_SOURCES}), name="dispatch")
class ApiDocsView(SpectacularRedocView):
    """The documentation, in Redoc rather than Swagger UI: Swagger UI nests buttons in buttons and
    fails axe's contrast rule, Redoc passes (see README, "The API in brief")."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["redoc_settings"] = spectacular_settings.REDOC_UI_SETTINGS or {}
        return response


class ApiRouter(routers.DefaultRouter):
    APIRootView = ApiRoot


AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Status on this date (YYYY-MM-DD).")


@extend_schema_view(retrieve=extend_schema(parameters=[AS_OF]))
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People, with their custody state on `as_of` (or the latest known)."""

    lookup_field = "slug"
    filterset_class = filters.PersonFilter
    pagination_class = PeoplePagination

    def get_queryset(self):
        people = Person.objects.published().with_search_names()
        if self.action == "retrieve":
            people = people.with_public_cases()
        return people

    def filter_queryset(self, queryset):
        # A list is counted and paged without the custody, which the filters join only when they read
        # it; the people served carry it (`page_rows`). A bad `as_of` has been answered 400 already.
        people = super().filter_queryset(queryset)
        return people if self.action == "list" else people.with_custody(self.status_date())

    def page_rows(self):
        """The people of a page as served: with their custody on `as_of` (or now)."""
        return self.get_queryset().with_custody(self.status_date())

    def status_date(self):
        form = self.filterset_class(self.request.query_params).form
        return form.cleaned_data.get("as_of") if form.is_valid() else None

    def get_serializer_class(self):
        return serializers.PersonDetailSerializer if self.action == "retrieve" else serializers.PersonSerializer


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations that are themselves the subject of a case."""

    lookup_field = "slug"
    filterset_class = filters.OrganizationFilter

    def get_queryset(self):
        organizations = Organization.objects.published().with_search_names()
        if self.action == "retrieve":
            organizations = organizations.with_public_cases()
        return organizations

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.OrganizationDetailSerializer
        return serializers.OrganizationSerializer


@extend_schema_view(retrieve=extend_schema(parameters=[AS_OF]))
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases, with their stage on `as_of` (or the latest known)."""

    lookup_field = "slug"
    filterset_class = filters.CaseFilter

    def get_queryset(self):
        cases = Case.objects.published().with_public_subjects()
        if self.action == "retrieve":
            cases = cases.with_public_events()
        return cases

    def get_serializer_class(self):
        return serializers.CaseDetailSerializer if self.action == "retrieve" else serializers.CaseSerializer


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Status changes and dated developments, newest first."""

    filterset_class = filters.EventFilter
    serializer_class = serializers.EventListSerializer

    def get_queryset(self):
        return Event.objects.published().with_public_citations().newest_first()


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
def not_found(request):
    raise NotFound
