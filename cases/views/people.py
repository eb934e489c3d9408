"""A person's and an organisation's page: their custody status and the timeline of their cases."""

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import dates, portraits
from ..localized import display_name, localized_text
from ..models import Case, Event, Organization, Person
from .cases import LISTED_AT_MOST, first
from .meta import PageMeta, cited_sources, last_updated, latest_information, with_country
from .sources import EVENTS_PER_PAGE


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.published().with_custody_estimate().with_public_cases(), slug=slug)
    timeline = sorted(
        (e for case in person.public_cases for e in case.public_events if e.person_id in (None, person.pk)),
        key=lambda e: (e.date_start, e.date_end, e.pk),
    )
    meta = PageMeta(
        title=with_country(display_name(person), person.country),
        description=localized_text(person, "summary")
        or _("The custody status of %(name)s and a timeline of their cases, every fact cited.")
        % {"name": display_name(person)},
        updated=last_updated([person], person.public_cases, timeline, cited_sources(timeline)),
        latest_information=latest_information(timeline),
        feed_url=reverse("cases:feed-person", args=[person.slug]),
    )
    release_passed = person.expected_release_passed(person.custody_last_reported, dates.today())
    context = {
        "person": person,
        "timeline": timeline,
        "release_passed": release_passed,
        "source_count": len({source.pk for source in cited_sources(timeline)}),
        "portrait_alt": _("Portrait of %(name)s") % {"name": display_name(person)},
        "meta": meta,
    }
    return render(request, "cases/person_detail.html", context)


def person_portrait(request, slug):
    """A portrait, by the publication rules of its person and only with consent: the private
    storage gives it no public address of its own."""
    person = get_object_or_404(Person.objects.published().with_public_portrait(), slug=slug)
    response = FileResponse(person.portrait.open("rb"), content_type=portraits.content_type(person.portrait.name))
    # Unpublishing or withdrawing consent must take effect at once: every use asks again.
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.published().with_search_names(), slug=slug)
    # An organisation may be party to many cases: the first of them, with a link to all, and
    # their timeline a page at a time.
    public_cases = Case.objects.published().filter(organizations=organization)
    organization.public_cases, more_cases = first(public_cases, LISTED_AT_MOST)
    events = Event.objects.published().filter(case__in=public_cases).with_public_citations().in_date_order()
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    timeline = page.object_list
    newest = events.order_by("-date_start", "-date_end", "-pk").first() if page else None
    meta = PageMeta(
        title=display_name(organization),
        description=localized_text(organization, "summary")
        or _("The cases against %(name)s and what happened in them, every fact cited.")
        % {"name": display_name(organization)},
        updated=last_updated([organization], organization.public_cases, timeline, cited_sources(timeline)),
        # The newest fact of them all, not of this page alone.
        latest_information=latest_information([newest] if newest else []),
        feed_url=reverse("cases:feed-organization", args=[organization.slug]),
    )
    context = {
        "organization": organization,
        "more_cases": more_cases,
        "listed_at_most": LISTED_AT_MOST,
        "timeline": timeline,
        "page": page,
        "meta": meta,
    }
    return render(request, "cases/organization_detail.html", context)
