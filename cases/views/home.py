"""The home page: how many people are in custody, and the latest developments."""

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse

from ..choices import CustodyState
from ..models import Event, Person
from .meta import PageMeta, last_updated, latest_information


def home(request):
    custody_counts = Person.objects.published().custody_counts()
    in_custody_count, unconfirmed_count = Person.objects.published().custody_report_counts()
    recent = Event.objects.published().exclude(case=None).with_public_citations().newest_first()[:10]
    latest_person = Person.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    meta = PageMeta(
        title="",
        updated=max(filter(None, [latest_person, last_updated(recent)]), default=None),
        feed_url=reverse("cases:feed-updates"),
        latest_information=latest_information(recent),
    )
    context = {
        "people_count": sum(custody_counts.values()),
        "in_custody_count": in_custody_count,
        "unconfirmed_count": unconfirmed_count,
        "confirmed_months": settings.CUSTODY_CONFIRMED_MONTHS,
        "custody_counts": [(CustodyState(state), count) for state, count in custody_counts.items() if count],
        "recent_events": recent,
        "meta": meta,
    }
    return render(request, "cases/home.html", context)
