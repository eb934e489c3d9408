"""The public lists (people, organisations, cases, events): filtered, sorted and paged from the query string.

Every view is a shareable link. A bad filter value shows the form with its error (400);
a page past the end answers 404.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from ..addresses import absolute_url
from ..filters import CaseFilter, EventFilter, OrganizationFilter, PersonFilter
from ..models import Case, Event, Organization, Person
from .meta import PageMeta, last_updated, narrowed_to_country

PAGE_SIZE = 25
# Parameters that order or page a list rather than narrow it.
NOT_FILTERS = {"sort", "page"}


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def query_without(request, *names: str) -> str:
    """The current query string less `names` (and the page number), with its leading "?" ("" if empty)."""
    query = request.GET.copy()
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
    if not (number.isdigit() and int(number) > 0):
        context["page_error"] = _("The page number must be a whole number of 1 or more.")
        return context, 400
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    try:
        page = paginator.page(int(number))
    except EmptyPage as error:
        raise Http404(_("There is no page %(number)s of these results.") % {"number": number}) from error
    page.object_list = list(page.object_list)
    context.update(page=page, count=paginator.count, results=page.object_list)
    return context, 200


def render_list(request, template: str, filterset, *, title: str, description: str, **extra):
    context, status = filtered_page(request, filterset)
    if status == 200:
        title = narrowed_to_country(title, filterset.form.cleaned_data.get("country"))
    context["meta"] = PageMeta(title=title, description=description, updated=last_updated(context.get("results", ())))
    # A filtered list is shared by its query string: the permanent link keeps it.
    context["canonical_url"] = absolute_url(request.get_full_path(), request)
    return render(request, template, {**context, **extra}, status=status)


def person_list(request):
    people = Person.objects.published().prefetch_related("name_variants")
    filterset = PersonFilter(request.GET, queryset=people, request=request)
    as_of = filterset.form.cleaned_data.get("as_of") if filterset.is_valid() else None
    # Without a date the list speaks of the last reports: say how many of them are too old to confirm.
    report_counts = filterset.qs.custody_report_counts() if filterset.is_valid() and as_of is None else None
    headcount = filterset.qs.headcount() if filterset.is_valid() else None
    return render_list(
        request,
        "cases/person_list.html",
        filterset,
        title=_("People"),
        description=_("Political prisoners and persecuted people, their custody status on any date, every fact cited."),
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
    organizations = Organization.objects.published().with_latest_event().prefetch_related("name_variants")
    filterset = OrganizationFilter(request.GET, queryset=organizations, request=request)
    return render_list(
        request,
        "cases/organization_list.html",
        filterset,
        title=_("Organisations"),
        description=_("Media outlets, movements and trade unions that are themselves the subject of a case."),
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
    )
