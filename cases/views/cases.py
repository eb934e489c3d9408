"""A case's page, and the pages of what cases are about: a charge, a theme."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..localized import localized_text
from ..models import Case, Charge, Event, Person, Theme
from .meta import PageMeta, case_subjects, cited_sources, last_updated, latest_information, with_country

# A charge's or a theme's page lists this many of its cases and people at most, with a link to the
# list that filters, sorts, pages and downloads them all: a theme may cover thousands of cases.
# (A charge stores one more of its people, models.cases.FIRST_PEOPLE_STORED, to tell whether there are more.)
LISTED_AT_MOST = 50


def first(records, limit: int) -> tuple[list, bool]:
    """The first `limit` of `records`, and whether there are more (one query, no count)."""
    listed = list(records[: limit + 1])
    return listed[:limit], len(listed) > limit


def case_detail(request, slug):
    case = get_object_or_404(
        Case.objects.published().with_stage().with_public_subjects().with_public_events(), slug=slug
    )
    meta = PageMeta(
        title=with_country(localized_text(case, "title"), case.country),
        description=localized_text(case, "summary")
        or _("What happened in the case “%(title)s”, every fact cited.") % {"title": localized_text(case, "title")},
        updated=last_updated([case], case_subjects([case]), case.public_events, cited_sources(case.public_events)),
        latest_information=latest_information(case.public_events),
        feed_url=reverse("cases:feed-case", args=[case.slug]),
    )
    context = {
        "case": case,
        "timeline": case.public_events,
        "key_dates": case.key_dates(),
        "source_count": len({source.pk for source in cited_sources(case.public_events)}),
        "meta": meta,
    }
    return render(request, "cases/case_detail.html", context)


def charge_detail(request, slug):
    charge = get_object_or_404(Charge.objects.public(), slug=slug)
    cases, more_cases = first(Case.objects.published().filter(charges=charge).with_public_subjects(), LISTED_AT_MOST)
    # The first people by name as stored (finding them walks thousands of people by name), then
    # their custody: joining the custody of every person charged would read thousands of spans.
    first_ids = charge.first_people()
    more_people = len(first_ids) > LISTED_AT_MOST
    people = (
        Person.objects.published()
        .filter(pk__in=first_ids[:LISTED_AT_MOST])
        .with_custody()
        .with_sort_name()
        .order_by("sort_name", "pk")
    )
    meta = PageMeta(
        title=_("Charge: “%(name)s”") % {"name": charge.name},
        description=charge.description or _("Everyone charged with “%(name)s”, case by case.") % {"name": charge.name},
        updated=last_updated(cases, case_subjects(cases)),
        feed_url=reverse("cases:feed-charge", args=[charge.slug]),
    )
    context = {
        "charge": charge,
        "cases": cases,
        "more_cases": more_cases,
        "people": people,
        "more_people": more_people,
        "listed_at_most": LISTED_AT_MOST,
        "meta": meta,
    }
    return render(request, "cases/charge_detail.html", context)


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.public(), slug=slug)
    cases, more_cases = first(Case.objects.published().filter(themes=theme).with_public_subjects(), LISTED_AT_MOST)
    context_events = Event.objects.published().filter(theme=theme, case=None).with_public_citations().in_date_order()
    meta = PageMeta(
        title=theme.name,
        description=theme.description or _("Every case under “%(name)s”.") % {"name": theme.name},
        updated=last_updated(cases, case_subjects(cases), context_events, cited_sources(context_events)),
        latest_information=latest_information(context_events),
        feed_url=reverse("cases:feed-theme", args=[theme.slug]),
    )
    return render(
        request,
        "cases/theme_detail.html",
        {
            "theme": theme,
            "cases": cases,
            "more_cases": more_cases,
            "listed_at_most": LISTED_AT_MOST,
            "context_events": context_events,
            "meta": meta,
        },
    )


def charge_list(request):
    """Every charge a published case carries, with how many: no other charge is public."""
    charges = list(Charge.objects.public().with_public_counts().order_by("name"))
    meta = PageMeta(
        title=_("Charges"),
        description=_("The offences people are charged with in the published cases, and how many cases each."),
    )
    return render(request, "cases/charge_list.html", {"charges": charges, "meta": meta})


def theme_list(request):
    """Every theme something published is filed under, with how many cases and developments."""
    themes = list(Theme.objects.public().with_public_counts().order_by("name"))
    meta = PageMeta(
        title=_("Themes"),
        description=_("The subjects cases and developments are filed under, such as freedom of the media."),
    )
    return render(request, "cases/theme_list.html", {"themes": themes, "meta": meta})
