"""The public lists (people, organisations, cases, events): filtered, sorted and paged from the query string.

Every view is a shareable link. A bad filter value shows the form with its error (400);
a page past the end answers 404.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from ..api.pagination import is_whole_number
from ..filters import CaseFilter, EventFilter, OrganizationFilter, PersonFilter
from ..models import Case, Event, Organization, Person
from ..paging import CappedPaginator
from .meta import PageMeta, filled_in, last_updated, narrowed_to_country, permanent_url
from .search import did_you_mean, with_search

PAGE_SIZE = 25
# Parameters that order or page a list rather than narrow it.
NOT_FILTERS = {"sort", "page"}


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def query_without(request, *names: str) -> str:
    """The current query string less `names`, the page number and empty parameters, with its
    leading "?" ("" if empty)."""
    query = filled_in(request.GET)
    for name in (*names, "page"):
        query.pop(name, None)
    return f"?{query.urlencode()}" if query else ""


def display_value(field: forms.Field, value) -> str:
    if hasattr(value, "year"):
        return formats.date_format(value, "j E Y")
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def active_filters(request, form: forms.Form) -> list[ActiveFilter]:
    """The filters in use, each with a link that removes it."""
    active = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in NOT_FILTERS or value in (None, ""):
            continue
        remove_url = request.path + query_without(request, name)
        active.append(ActiveFilter(str(field.label), display_value(field, value), remove_url))
    return active


def materialise_choices(form: forms.Form) -> None:
    # Lists drawn from the database (charges, themes) are read here, once, not while rendering.
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.choices = list(field.widget.choices)


def filtered_page(request, filterset):
    """The page of results the query string asks for: (context, status)."""
    materialise_choices(filterset.form)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "export_query": query_without(request),
        "page_error": "",
    }
    if not filterset.is_valid():
        return context, 400
    context["active_filters"] = active_filters(request, filterset.form)
    number = request.GET.get("page", "1")
    if not is_whole_number(number, 1):
        context["page_error"] = _("The page number must be a whole number of 1 or more.")
        return context, 400
    paginator = CappedPaginator(filterset.qs, PAGE_SIZE, rows=filterset.rows())
    if paginator.is_past_cap(number):
        context["page_error"] = _(
            "Only the first %(pages)s pages of a list are shown: narrow the filters, or download the whole list."
        ) % {"pages": paginator.num_pages}
        return context, 400
    try:
        page = paginator.page(int(number))
    except EmptyPage as error:
        raise Http404(_("There is no page %(number)s of these results.") % {"number": number}) from error
    page.object_list = list(page.object_list)
    context.update(
        page=page,
        count=paginator.count,
        count_is_capped=paginator.count_is_capped,
        max_rows=formats.number_format(paginator.max_rows, force_grouping=True),
        results=page.object_list,
    )
    return context, 200


def render_list(
    request, template: str, filterset, *, title: str, description: str, nothing_found: str, suggest_from=(), **extra
):
    """A list page; when a search finds nothing, the published names nearest to it (`suggest_from`)."""
    context, status = filtered_page(request, filterset)
    context["nothing_found"] = nothing_found
    if status == 200:
        title = narrowed_to_country(title, filterset.form.cleaned_data.get("country"))
        search_text = filterset.form.cleaned_data.get("search")
        if search_text and not context["count"]:
            context["search_text"] = search_text
            context["suggestions"] = did_you_mean(
                search_text, suggest_from, lambda name: with_search(request.path, request.GET, "search", name)
            )
    context["meta"] = PageMeta(title=title, description=description, updated=last_updated(context.get("results", ())))
    # A filtered list is shared by its query string: the permanent link keeps it.
    context["canonical_url"] = permanent_url(request)
    return render(request, template, {**context, **extra}, status=status)


def person_list(request):
    people = Person.objects.published().with_search_names()
    filterset = PersonFilter(request.GET, queryset=people, request=request)
    as_of = filterset.form.cleaned_data.get("as_of") if filterset.is_valid() else None
    # Without a date the list speaks of the last reports: say how many of them are too old to confirm,
    # counted with the headcount in one query. Read when the page shows them, so a refused page (a bad
    # page number) costs nothing.
    headcount = report_counts = None
    if filterset.is_valid() and as_of is None:
        counts = SimpleLazyObject(lambda: filterset.qs.headcounts())
        headcount, report_counts = SimpleLazyObject(lambda: counts[0]), SimpleLazyObject(lambda: counts[1:])
    elif filterset.is_valid():
        headcount = SimpleLazyObject(lambda: filterset.qs.headcount())
    return render_list(
        request,
        "cases/person_list.html",
        filterset,
        title=_("People"),
        description=_("Political prisoners and persecuted people, their custody status on any date, every fact cited."),
        nothing_found=_("No one matches these filters."),
        suggest_from=[Person.objects.published()],
        as_of=as_of,
        report_counts=report_counts,
        confirmed_months=settings.CUSTODY_CONFIRMED_MONTHS,
        sort_url=sorted_by(request, "expected_end"),
        headcount=headcount,
    )


def sorted_by(request, sort: str) -> str:
    """This list's address, with its filters, sorted by `sort` from the first page."""
    query = request.GET.copy()
    query["sort"] = sort
    query.pop("page", None)
    return f"?{query.urlencode()}"


def organization_list(request):
    organizations = Organization.objects.published().with_latest_event().with_search_names()
    filterset = OrganizationFilter(request.GET, queryset=organizations, request=request)
    return render_list(
        request,
        "cases/organization_list.html",
        filterset,
        title=_("Organisations"),
        description=_("Media outlets, movements and trade unions that are themselves the subject of a case."),
        nothing_found=_("No organisation matches these filters."),
        suggest_from=[Organization.objects.published()],
    )


def case_list(request):
    cases = Case.objects.published().with_latest_event().with_public_subjects()
    filterset = CaseFilter(request.GET, queryset=cases, request=request)
    as_of = filterset.form.cleaned_data.get("as_of") if filterset.is_valid() else None
    return render_list(
        request,
        "cases/case_list.html",
        filterset,
        title=_("Cases"),
        description=_("Criminal, administrative and other cases against activists, journalists, lawyers and others."),
        nothing_found=_("No case matches these filters."),
        suggest_from=[Case.objects.published()],
        as_of=as_of,
    )


def event_list(request):
    events = Event.objects.published().with_public_citations().newest_first()
    filterset = EventFilter(request.GET, queryset=events, request=request)
    return render_list(
        request,
        "cases/event_list.html",
        filterset,
        title=_("Events"),
        description=_("Every recorded status change, dated as precisely as its source, with the source's words."),
        nothing_found=_("No event matches these filters."),
        suggest_from=[Person.objects.published(), Organization.objects.published()],
    )
