"""Public pages. Only published records exist for them: anything else answers 404."""

from django.shortcuts import get_object_or_404, render

from ..models import Case, Charge, Event, Organization, Person, Source, Theme


def home(request):
    people = Person.objects.published().with_custody()
    recent = Event.objects.published().exclude(case=None).with_public_citations().newest_first()[:10]
    return render(request, "cases/home.html", {"people_count": people.count(), "recent_events": recent})


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.published().with_custody().with_public_cases(), slug=slug)
    timeline = sorted(
        (e for case in person.public_cases for e in case.public_events if e.person_id in (None, person.pk)),
        key=lambda e: (e.date_start, e.date_end, e.pk),
    )
    return render(request, "cases/person_detail.html", {"person": person, "timeline": timeline})


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.published().with_public_cases(), slug=slug)
    timeline = sorted(
        (e for case in organization.public_cases for e in case.public_events),
        key=lambda e: (e.date_start, e.date_end, e.pk),
    )
    return render(request, "cases/organization_detail.html", {"organization": organization, "timeline": timeline})


def case_detail(request, slug):
    case = get_object_or_404(
        Case.objects.published().with_stage().with_public_subjects().with_public_events(), slug=slug
    )
    return render(request, "cases/case_detail.html", {"case": case, "timeline": case.public_events})


def charge_detail(request, slug):
    charge = get_object_or_404(Charge, slug=slug)
    cases = Case.objects.published().filter(charges=charge).with_public_subjects()
    people = Person.objects.published().in_published_cases(charges=charge).with_custody()
    people = people.with_sort_name().order_by("sort_name", "pk")
    return render(request, "cases/charge_detail.html", {"charge": charge, "cases": cases, "people": people})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    cases = Case.objects.published().filter(themes=theme).with_public_subjects()
    context_events = Event.objects.published().filter(theme=theme, case=None).with_public_citations().in_date_order()
    return render(
        request, "cases/theme_detail.html", {"theme": theme, "cases": cases, "context_events": context_events}
    )


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.published(), slug=slug)
    events = Event.objects.published().filter(citations__source=source).distinct().with_public_citations()
    return render(request, "cases/source_detail.html", {"source": source, "events": events.in_date_order()})
