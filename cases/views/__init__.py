"""Public pages. Only published records exist for them: anything else answers 404."""

from django.db.models import Max
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..choices import IN_CUSTODY_STATES, CustodyState
from ..models import Case, Charge, Event, Organization, Person, Source, Theme
from .meta import PageMeta, last_updated
from .sources import source_list


def _cited_sources(events):
    return (citation.source for event in events for citation in event.citations.all())


def _subjects(cases):
    return (subject for case in cases for subject in (*case.public_people, *case.public_organizations))


def home(request):
    custody_counts = Person.objects.published().custody_counts()
    recent = Event.objects.published().exclude(case=None).with_public_citations().newest_first()[:10]
    latest_person = Person.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    meta = PageMeta(
        title="",
        updated=max(filter(None, [latest_person, last_updated(recent)]), default=None),
        feed_url=reverse("cases:feed-updates"),
    )
    context = {
        "people_count": sum(custody_counts.values()),
        "in_custody_count": sum(custody_counts[state] for state in IN_CUSTODY_STATES),
        "custody_counts": [(CustodyState(state), count) for state, count in custody_counts.items() if count],
        "recent_events": recent,
        "meta": meta,
    }
    return render(request, "cases/home.html", context)


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.published().with_custody().with_public_cases(), slug=slug)
    timeline = sorted(
        (e for case in person.public_cases for e in case.public_events if e.person_id in (None, person.pk)),
        key=lambda e: (e.date_start, e.date_end, e.pk),
    )
    # The latest report of their custody, confirming or changing it, in timeline order: a report
    # dated only "2018" does not count as later than one dated "September 2018".
    last_reported = next((e for e in reversed(timeline) if e.custody), None)
    meta = PageMeta(
        title=person.public_name,
        description=person.summary
        or _("The custody status of %(name)s and a timeline of their cases, every fact cited.")
        % {"name": person.public_name},
        updated=last_updated([person], person.public_cases, timeline, _cited_sources(timeline)),
        feed_url=reverse("cases:feed-person", args=[person.slug]),
    )
    context = {"person": person, "timeline": timeline, "last_reported": last_reported, "meta": meta}
    return render(request, "cases/person_detail.html", context)


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.published().with_public_cases(), slug=slug)
    timeline = sorted(
        (e for case in organization.public_cases for e in case.public_events),
        key=lambda e: (e.date_start, e.date_end, e.pk),
    )
    meta = PageMeta(
        title=organization.name,
        description=organization.summary
        or _("The cases against %(name)s and what happened in them, every fact cited.") % {"name": organization.name},
        updated=last_updated([organization], organization.public_cases, timeline, _cited_sources(timeline)),
        feed_url=reverse("cases:feed-organization", args=[organization.slug]),
    )
    return render(
        request,
        "cases/organization_detail.html",
        {"organization": organization, "timeline": timeline, "meta": meta},
    )


def case_detail(request, slug):
    case = get_object_or_404(
        Case.objects.published().with_stage().with_public_subjects().with_public_events(), slug=slug
    )
    meta = PageMeta(
        title=case.title,
        description=case.summary
        or _("What happened in the case “%(title)s”, every fact cited.") % {"title": case.title},
        updated=last_updated([case], _subjects([case]), case.public_events, _cited_sources(case.public_events)),
        feed_url=reverse("cases:feed-case", args=[case.slug]),
    )
    return render(request, "cases/case_detail.html", {"case": case, "timeline": case.public_events, "meta": meta})


def charge_detail(request, slug):
    charge = get_object_or_404(Charge.objects.public(), slug=slug)
    cases = Case.objects.published().filter(charges=charge).with_public_subjects()
    people = Person.objects.published().in_published_cases(charges=charge).with_custody()
    people = people.with_sort_name().order_by("sort_name", "pk")
    meta = PageMeta(
        title=_("Charge: “%(name)s”") % {"name": charge.name},
        description=charge.description or _("Everyone charged with “%(name)s”, case by case.") % {"name": charge.name},
        updated=last_updated(cases, _subjects(cases)),
        feed_url=reverse("cases:feed-charge", args=[charge.slug]),
    )
    return render(
        request, "cases/charge_detail.html", {"charge": charge, "cases": cases, "people": people, "meta": meta}
    )


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.public(), slug=slug)
    cases = Case.objects.published().filter(themes=theme).with_public_subjects()
    context_events = Event.objects.published().filter(theme=theme, case=None).with_public_citations().in_date_order()
    meta = PageMeta(
        title=theme.name,
        description=theme.description or _("Every case under “%(name)s”.") % {"name": theme.name},
        updated=last_updated(cases, _subjects(cases), context_events, _cited_sources(context_events)),
        feed_url=reverse("cases:feed-theme", args=[theme.slug]),
    )
    return render(
        request,
        "cases/theme_detail.html",
        {"theme": theme, "cases": cases, "context_events": context_events, "meta": meta},
    )


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.published(), slug=slug)
    events = Event.objects.published().filter(citations__source=source).distinct().with_public_citations()
    events = events.in_date_order()
    meta = PageMeta(
        title=source.title,
        description=_("%(title)s: the facts this document supports, with its words.") % {"title": source.title},
        updated=last_updated([source], events, (event.case for event in events), (event.person for event in events)),
    )
    return render(request, "cases/source_detail.html", {"source": source, "events": events, "meta": meta})


__all__ = [
    "case_detail",
    "charge_detail",
    "home",
    "organization_detail",
    "person_detail",
    "source_detail",
    "source_list",
    "theme_detail",
]
