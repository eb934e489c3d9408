"""The home page: how many people are in custody, and the latest developments."""

from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..choices import IN_CUSTODY_STATES, CustodyState
from ..countries import names, public_countries
from ..models import Event, Headcount, Person
from .meta import PageMeta, last_updated


def home(request):
    custody_counts = Person.objects.published().custody_counts()
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
    )
    context = {
        "headcount": sum(custody_counts.values(), Headcount()),
        "in_custody_headcount": sum((custody_counts[state] for state in IN_CUSTODY_STATES), Headcount()),
        "custody_counts": [(CustodyState(state), count) for state, count in custody_counts.items() if count],
        "recent_events": recent,
        "countries": countries,
        "meta": meta,
    }
    return render(request, "cases/home.html", context)
