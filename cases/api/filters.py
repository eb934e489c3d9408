"""Query-string filters for the API (django-filter); bad values answer 400 naming the parameter."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..choices import IN_CUSTODY_STATES, CaseKind, CustodyState, EventType
from ..models import Case, Event, Organization, Person

YES_NO = (("true", _("yes")), ("false", _("no")))


class SearchFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Name or name variant contains"))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


def published_cases_with(**lookups):
    return Case.objects.published().filter(**lookups)


class PersonFilter(SearchFilterSet):
    as_of = django_filters.DateFilter(method="filter_nothing", label=_("Status on this date (YYYY-MM-DD)"))
    custody = django_filters.ChoiceFilter(choices=CustodyState.choices, field_name="custody")
    in_custody = django_filters.ChoiceFilter(choices=YES_NO, method="filter_in_custody")
    charge = django_filters.CharFilter(method="filter_charge", label=_("Charge (slug)"))
    theme = django_filters.CharFilter(method="filter_theme", label=_("Theme (slug)"))

    class Meta:
        model = Person
        fields = []

    def filter_queryset(self, queryset):
        # Custody filters read the state on `as_of`, so it is annotated before they run.
        queryset = queryset.with_custody(self.form.cleaned_data.get("as_of"))
        return super().filter_queryset(queryset)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_in_custody(self, queryset, name, value):
        if value == "true":
            return queryset.filter(custody__in=IN_CUSTODY_STATES)
        return queryset.exclude(custody__in=IN_CUSTODY_STATES)

    def filter_charge(self, queryset, name, value):
        return queryset.filter(pk__in=published_cases_with(charges__slug=value).values("people"))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(pk__in=published_cases_with(themes__slug=value).values("people"))


class OrganizationFilter(SearchFilterSet):
    class Meta:
        model = Organization
        fields = []


class CaseFilter(SearchFilterSet):
    as_of = django_filters.DateFilter(method="filter_nothing", label=_("Stage on this date (YYYY-MM-DD)"))
    person = django_filters.CharFilter(method="filter_person", label=_("Person (slug)"))
    organization = django_filters.CharFilter(method="filter_organization", label=_("Organisation (slug)"))
    charge = django_filters.CharFilter(field_name="charges__slug", distinct=True, label=_("Charge (slug)"))
    theme = django_filters.CharFilter(field_name="themes__slug", distinct=True, label=_("Theme (slug)"))
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)

    class Meta:
        model = Case
        fields = []

    def filter_queryset(self, queryset):
        queryset = queryset.with_stage(self.form.cleaned_data.get("as_of"))
        return super().filter_queryset(queryset)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_person(self, queryset, name, value):
        return queryset.filter(pk__in=Person.objects.published().filter(slug=value).values("cases"))

    def filter_organization(self, queryset, name, value):
        return queryset.filter(pk__in=Organization.objects.published().filter(slug=value).values("cases"))


class EventFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(method="filter_since", label=_("Could have happened on or after (YYYY-MM-DD)"))
    until = django_filters.DateFilter(method="filter_until", label=_("Could have happened on or before (YYYY-MM-DD)"))
    type = django_filters.ChoiceFilter(choices=EventType.choices)

    class Meta:
        model = Event
        fields = []

    def filter_since(self, queryset, name, value):
        return queryset.between(since=value)

    def filter_until(self, queryset, name, value):
        return queryset.between(until=value)
