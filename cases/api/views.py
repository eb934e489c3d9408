"""Read-only API over published records. Unpublished records answer 404 like missing ones."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound

from ..models import Case, Event, Organization, Person
from . import filters, serializers
from .pagination import PeoplePagination

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Status on this date (YYYY-MM-DD).")


@extend_schema_view(retrieve=extend_schema(parameters=[AS_OF]))
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People, with their custody state on `as_of` (or the latest known)."""

    lookup_field = "slug"
    filterset_class = filters.PersonFilter
    pagination_class = PeoplePagination

    def get_queryset(self):
        people = Person.objects.published().prefetch_related("name_variants")
        if self.action == "retrieve":
            people = people.with_public_cases()
        return people

    def get_serializer_class(self):
        return serializers.PersonDetailSerializer if self.action == "retrieve" else serializers.PersonSerializer


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations that are themselves the subject of a case."""

    lookup_field = "slug"
    filterset_class = filters.OrganizationFilter

    def get_queryset(self):
        organizations = Organization.objects.published().prefetch_related("name_variants")
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
