"""The home page: how many people are in custody, and the latest developments."""

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..choices import CustodyState
from ..countries import names, public_countries
from ..models import Event, Headcount, Person
from .meta import PageMeta, last_updated, latest_information


def home(request):
    people = Person.objects.published()
    custody_counts = people.custody_counts()
    in_custody_headcount, unconfirmed_headcount = people.custody_report_counts()
    recent = Event.objects.published().exclude(case=None).with_public_citations().newest_first()[:10]
    latest_person = Person.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    countries = public_countries()
    meta = PageMeta(
        # The home page names what it covers, in its title too (search results, shared links).
        title=_("Political prisoners and persecuted people in %(countries)s") % {"countries": names(countries)}
        if countries
        else "",
        updated=max(filter(None, [latest_person, last_updated(recent)]), default=None),
        feed_url=reverse("cases:feed-updates"),
        latest_information=latest_information(recent),
    )
    context = {
        "headcount": sum(custody_counts.values(), Headcount()),
        "in_custody_headcount": in_custody_headcount,
        "unconfirmed_headcount": unconfirmed_headcount,
        "confirmed_months": settings.CUSTODY_CONFIRMED_MONTHS,
        "custody_counts": [(CustodyState(state), count) for state, count in custody_counts.items() if count],
        "recent_events": recent,
        "countries": countries,
        "meta": meta,
    }
    return render(request, "cases/home.html", context)
