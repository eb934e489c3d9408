"""Query-string filters shared by the public lists, their exports, the statistics and the API.

Each filter reads a QuerySet method, so the page, its CSV and the API agree. A bad value is a
form error: the page shows it (400), the API answers 400 naming the parameter.
"""

import django_filters
from django import forms
from django.db.models import F, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES
from drf_spectacular.utils import extend_schema_field

from .choices import IN_CUSTODY_STATES, CaseKind, CaseStage, CustodyState, EventType, OrganizationKind, Role
from .countries import CountryCodeField, country_choices
from .models import Case, Charge, Event, Organization, Person, Theme
from .models.custody import CategoryKind
from .paging import MAX_ROWS
from .widgets import DateInput, EnteredNamesSelect, FilterBoundField, ManyOptionsSelect

YES_NO = (("true", _("yes")), ("false", _("no")))
# The categories a case is filed under: filter name -> (model, the case's field).
CATEGORIES = {"charge": (Charge, "charges"), "theme": (Theme, "themes")}
# How many cases make a theme's events many (see EventFilter.filter_theme).
FEW_CASES = 500
ANY = _("Any")


def charge_choices():
    return [("", _("Any charge")), *Charge.objects.public().order_by("name").values_list("slug", "name")]


def theme_choices():
    return [("", _("Any theme")), *Theme.objects.public().order_by("name").values_list("slug", "name")]


class EventRangeForm(forms.Form):
    bound_field_class = FilterBoundField
    # The same order on every list; Django appends any field not named here.
    field_order = [
        "search", "country", "as_of", "custody", "in_custody", "group", "stage", "kind", "charge", "theme", "role",
        "type", "location", "since", "until", "sort",
    ]  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the date range must not be before its start."))
        return data


@extend_schema_field(
    {
        "type": "string",
        # Any case is read; the schema names the codes in capitals and in small letters.
        "enum": [*COUNTRIES, *(code.lower() for code in COUNTRIES)],
        "description": "Country: an ISO 3166-1 alpha-2 code (KZ), in either case. Another value answers 400.",
    }
)
class CountryFilter(django_filters.Filter):
    """`?country=KZ`: an ISO 3166-1 code in either case, offered as the countries the records cover."""

    field_class = CountryCodeField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("widget", ManyOptionsSelect(choices=country_choices))  # type: ignore[arg-type]  # a callable, read at each render
        kwargs.setdefault("help_text", _("ISO 3166-1 code, such as KZ"))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        return queryset.in_country(value) if value else queryset


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice among fixed values, drawn by the select every public filter uses."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ManyOptionsSelect)
        super().__init__(*args, **kwargs)


def custody_states(name: str, value: str) -> frozenset[str]:
    """The custody states a `custody` (one state) or `in_custody` (true or false) parameter asks for."""
    if name == "custody":
        return frozenset([value])
    in_custody = frozenset(IN_CUSTODY_STATES)
    return in_custody if value == "true" else frozenset(CustodyState.values) - in_custody


def slug_select(choices, label):
    """A slug parameter offered as a list; an unknown slug is not an error, it simply matches nothing."""
    return django_filters.CharFilter(method="filter_in_cases", label=label, widget=EnteredNamesSelect(choices=choices))


def category_pk(name: str, slug: str) -> int | None:
    """The id of the charge or theme (`name`) with this slug, None for none."""
    model, _field = CATEGORIES[name]
    return model._default_manager.filter(slug=slug).values_list("pk", flat=True).first()


def category_lookup(name: str, slug: str) -> dict:
    """The case lookup of the charge or theme (`name`) with this slug: by its id, so that the database
    plans by how many cases that one category has. Joined by its slug, it planned for an average
    one, and read every name of 100,000 for a charge of the report's three cases (seconds). An
    unknown slug keeps its lookup, which matches nothing."""
    _model, field = CATEGORIES[name]
    pk = category_pk(name, slug)
    return {field: pk} if pk is not None else {f"{field}__slug": slug}


class PublicFilterSet(django_filters.FilterSet):
    """Search, an event date range and sorting, for any of the public lists."""

    # The annotation `sort=latest` orders by, newest first (annotated by `with_latest_event()`).
    LATEST = "latest_event_end"

    search = django_filters.CharFilter(method="filter_search", label=_("Search names"))
    country = CountryFilter()
    since = django_filters.DateFilter(
        method="filter_nothing", label=_("With an event from"), widget=DateInput(), help_text=_("YYYY-MM-DD")
    )
    until = django_filters.DateFilter(
        method="filter_nothing", label=_("With an event until"), widget=DateInput(), help_text=_("YYYY-MM-DD")
    )
    sort = ChoiceFilter(
        method="filter_nothing",
        label=_("Sort by"),
        choices=[("name", _("Name (A–Z)")), ("-name", _("Name (Z–A)")), ("latest", _("Latest change first"))],
        empty_label=_("Name, or best match when searching"),
    )

    class Meta:
        form = EventRangeForm
        fields: list[str] = []

    def filter_nothing(self, queryset, name, value):
        # Applied together in filter_queryset, where they depend on each other.
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def prepare(self, queryset):
        """Annotations the other filters read (such as the status on `as_of`)."""
        return queryset

    def rows(self):
        """The records as the list shows them (what `prepare` annotates), unfiltered: the page's
        rows are read from here by the keys the filtered list gives (cases.paging)."""
        return self.prepare(self.queryset)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = super().filter_queryset(self.prepare(queryset))
        if data.get("since") or data.get("until"):
            queryset = queryset.with_events_between(data.get("since"), data.get("until"))
        return self.apply_sort(queryset, data.get("sort"), searching=bool(data.get("search")))

    def apply_sort(self, queryset, sort: str, searching: bool):
        if not sort and searching:
            return queryset  # search has ordered by relevance
        queryset = queryset.with_sort_name()
        if sort == "latest":
            if self.LATEST not in queryset.query.annotations:
                queryset = queryset.with_latest_event()
            return queryset.order_by(F(self.LATEST).desc(nulls_last=True), "sort_name", "pk")
        if sort == "-name":
            return queryset.order_by("-sort_name", "-pk")
        return queryset.order_by("sort_name", "pk")


class SubjectFilterSet(PublicFilterSet):
    """People and organisations: filtered by what their published cases are about."""

    charge = slug_select(charge_choices, _("Charge"))
    theme = slug_select(theme_choices, _("Theme"))
    location = django_filters.CharFilter(lookup_expr="icontains", label=_("Location contains"))

    CASE_LOOKUPS: dict[str, str] = {}

    def filter_in_cases(self, queryset, name, value):
        if name in CATEGORIES:
            if (pk := category_pk(name, value)) is None:
                return queryset.in_published_cases(**category_lookup(name, value))  # matches nothing
            return queryset.filed_under(CategoryKind(name), pk)
        return queryset.in_published_cases(**{self.CASE_LOOKUPS[name]: value})


class PersonFilter(SubjectFilterSet):
    as_of = django_filters.DateFilter(
        method="filter_nothing", label=_("Status on"), widget=DateInput(), help_text=_("YYYY-MM-DD; empty: latest")
    )
    custody = ChoiceFilter(choices=CustodyState.choices, method="filter_custody", label=_("Custody"), empty_label=ANY)
    in_custody = ChoiceFilter(choices=YES_NO, method="filter_custody", label=_("In custody"), empty_label=ANY)
    kind = ChoiceFilter(choices=CaseKind.choices, method="filter_in_cases", label=_("Case kind"), empty_label=ANY)
    role = ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=ANY)
    group = ChoiceFilter(
        choices=[("false", _("individuals")), ("true", _("groups"))],
        method="filter_group",
        label=_("Individuals or groups"),
        empty_label=_("Both"),
    )

    sort = ChoiceFilter(
        method="filter_nothing",
        label=_("Sort by"),
        choices=[
            *PublicFilterSet.base_filters["sort"].extra["choices"],
            ("expected_end", _("Expected end of sentence, soonest first")),
        ],
        empty_label=_("Name, or best match when searching"),
    )

    CASE_LOOKUPS = {"kind": "kind"}

    class Meta(PublicFilterSet.Meta):
        model = Person

    def rows(self):
        """The people as the list shows them: with their custody on `as_of` (or now)."""
        return self.queryset.with_custody(self.form.cleaned_data.get("as_of"))

    def apply_sort(self, queryset, sort: str, searching: bool):
        if sort == "latest":
            # A person's latest change is their latest custody change (on `as_of`).
            return queryset.by_latest_change(self.form.cleaned_data.get("as_of"))
        if sort == "expected_end":
            return queryset.by_expected_end(self.form.cleaned_data.get("as_of"))
        return super().apply_sort(queryset, sort, searching)

    def filter_custody(self, queryset, name, value):
        return queryset.in_custody_states(custody_states(name, value), self.form.cleaned_data.get("as_of"))

    def filter_group(self, queryset, name, value):
        return queryset.groups() if value == "true" else queryset.individuals()


class StatisticsFilter(PersonFilter):
    """The people list's filters, for figures that have no order."""

    sort = None  # type: ignore[assignment]  # django-filter's way to leave out an inherited filter


class OrganizationFilter(SubjectFilterSet):
    kind = ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"), empty_label=ANY)

    class Meta(PublicFilterSet.Meta):
        model = Organization


class CaseFilter(PublicFilterSet):
    as_of = django_filters.DateFilter(
        method="filter_nothing", label=_("Stage on"), widget=DateInput(), help_text=_("YYYY-MM-DD; empty: latest")
    )
    stage = ChoiceFilter(choices=CaseStage.choices, label=_("Stage"), empty_label=ANY)
    kind = ChoiceFilter(choices=CaseKind.choices, label=_("Kind"), empty_label=ANY)
    charge = django_filters.CharFilter(
        method="filter_category",
        label=_("Charge"),
        widget=EnteredNamesSelect(choices=charge_choices),  # type: ignore[arg-type]  # a callable, read at each render
    )
    theme = django_filters.CharFilter(
        method="filter_category",
        label=_("Theme"),
        widget=EnteredNamesSelect(choices=theme_choices),  # type: ignore[arg-type]  # a callable, read at each render
    )
    custody = ChoiceFilter(
        choices=CustodyState.choices,
        method="filter_custody",
        label=_("Someone in this custody state"),
        empty_label=ANY,
    )
    in_custody = ChoiceFilter(choices=YES_NO, method="filter_custody", label=_("Someone in custody"), empty_label=ANY)
    location = django_filters.CharFilter(lookup_expr="icontains", label=_("Location contains"))
    person = django_filters.CharFilter(method="filter_person", label=_("Person (slug)"), widget=forms.HiddenInput)
    organization = django_filters.CharFilter(
        method="filter_organization", label=_("Organisation (slug)"), widget=forms.HiddenInput
    )

    class Meta(PublicFilterSet.Meta):
        model = Case

    def filter_category(self, queryset, name, value):
        return queryset.filter(**category_lookup(name, value))

    def prepare(self, queryset):
        return queryset.with_stage(self.form.cleaned_data.get("as_of"))

    def filter_custody(self, queryset, name, value):
        """Cases with at least one published person in that custody state on `as_of` (or now)."""
        people, on = Person.objects.published(), self.form.cleaned_data.get("as_of")
        if name == "in_custody" and value == "false":
            # "No one in custody": leave out every case that has someone in custody.
            return queryset.exclude(pk__in=people.in_custody_on(on).values("cases"))
        return queryset.filter(pk__in=people.in_custody_states(custody_states(name, value), on).values("cases"))

    def filter_person(self, queryset, name, value):
        return queryset.filter(pk__in=Person.objects.published().filter(slug=value).values("cases"))

    def filter_organization(self, queryset, name, value):
        return queryset.filter(pk__in=Organization.objects.published().filter(slug=value).values("cases"))


class EventFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search descriptions and names"))
    since = django_filters.DateFilter(
        method="filter_dates", label=_("Could have happened on or after"), widget=DateInput(), help_text=_("YYYY-MM-DD")
    )
    until = django_filters.DateFilter(
        method="filter_dates",
        label=_("Could have happened on or before"),
        widget=DateInput(),
        help_text=_("YYYY-MM-DD"),
    )
    type = ChoiceFilter(choices=EventType.choices, label=_("Type"), empty_label=ANY)
    country = CountryFilter()
    theme = django_filters.CharFilter(
        method="filter_theme",
        label=_("Theme"),
        widget=EnteredNamesSelect(choices=theme_choices),  # type: ignore[arg-type]  # a callable, read at each render
    )
    case = django_filters.CharFilter(field_name="case__slug", label=_("Case (slug)"), widget=forms.HiddenInput)
    person = django_filters.CharFilter(method="filter_person", label=_("Person (slug)"), widget=forms.HiddenInput)

    class Meta:
        model = Event
        form = EventRangeForm
        fields: list[str] = []

    # How many of the newest matches of a search are kept: the lists and the API show no row past
    # their cap (cases.paging), and counting one more tells that there are more. None: every one
    # (the export).
    searched_up_to: int | None = MAX_ROWS + 1

    def filter_search(self, queryset, name, value):
        # Applied last, in filter_queryset: the newest matches are those that pass the other filters.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.search(self.form.cleaned_data.get("search"), first=self.searched_up_to)

    def rows(self):
        """The events as the list shows them, unfiltered (see PublicFilterSet.rows)."""
        return self.queryset

    def filter_dates(self, queryset, name, value):
        return queryset.between(**{name: value})

    def filter_theme(self, queryset, name, value):
        """Events of cases under the theme, and the theme's context events.

        A theme of many cases has many events: walking every event in the list's order finds a page
        of them soon. A theme of few (the report's, among 150,000 demo cases) is read by two index
        look-ups of their keys instead: PostgreSQL plans an OR of the two as the walk, whatever the
        theme, and walked all thirty years of events to find the report's few (28 s)."""
        if (pk := category_pk("theme", value)) is None:
            return queryset.filter(theme__slug=value)  # none, as a query the statistics can read
        if Case.themes.through.objects.filter(theme=pk)[: FEW_CASES + 1].count() > FEW_CASES:
            return queryset.filter(Q(case__themes=pk) | Q(theme=pk))
        in_its_cases = Event.objects.filter(case__themes=pk).order_by().values("pk")
        of_it = Event.objects.filter(theme=pk).order_by().values("pk")
        return queryset.filter(pk__in=in_its_cases.union(of_it, all=True))

    def filter_person(self, queryset, name, value):
        return queryset.concerning(Subquery(Person.objects.published().filter(slug=value).values("pk")[:1]))


class EventExportFilter(EventFilter):
    """The events list's filters, whose search keeps every match: the export streams them all."""

    searched_up_to = None
