"""Atom feeds of published events: every status change, and one per person, case, organisation,
charge and theme, so that a reader can follow exactly what they care about.

An entry is dated by its event, not by when someone typed it in: `updated` is the last day
the event can have happened (the end of its interval: 31 March for "March 2018"), the same
day the timeline and the custody status go by. A later correction of an old event therefore
does not push it to the top of a reader as if it were news. A day still ahead (an event
dated "2026" read in November) is given as today, so no entry is dated in the future.

Feed and entry ids are their pages' addresses under the canonical site address (SITE_URL, see
cases.addresses): reached under another host name, no entry looks new.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .addresses import absolute_url
from .localized import display_name, localized_text
from .models import Case, Charge, Event, Organization, Person, Theme

FEED_LENGTH = 50
SITE_NAME = "casetracker"


def event_datetime(event: Event) -> datetime:
    """The moment an entry is dated: the last day the event can have happened, never after today."""
    day = min(event.date_end, timezone.localdate())
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class EventFeed(Feed):
    """Published events, newest first; subclasses choose which events and what the feed is about."""

    feed_type = Atom1Feed
    author_name = SITE_NAME
    description_template = "cases/feeds/event.html"
    url_name = ""  # the feed's own address, for a feed about one record (its slug)

    def events(self, obj):
        raise NotImplementedError

    def items(self, obj):
        return self.events(obj).with_public_citations().with_public_subjects().newest_first()[:FEED_LENGTH]

    def title(self, obj):
        return f"{SITE_NAME}: {obj}"

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name, args=[obj.slug]))

    def item_title(self, event):
        return event.headline

    def item_link(self, event):
        # Also the entry's Atom id (Django's default), so permanent under SITE_URL.
        return absolute_url(event.get_absolute_url())

    def item_updateddate(self, event):
        return event_datetime(event)


class UpdatesFeed(EventFeed):
    def events(self, obj):
        return Event.objects.published().exclude(case=None)

    def title(self, obj):
        return _("%(site)s: all status changes") % {"site": SITE_NAME}

    def link(self, obj):
        return absolute_url(reverse("cases:home"))

    def feed_url(self, obj):
        return absolute_url(reverse("cases:feed-updates"))

    def subtitle(self, obj):
        return _("Every published change in every case, newest first, each with its source.")


class PersonFeed(EventFeed):
    url_name = "cases:feed-person"

    def get_object(self, request, slug):
        return get_object_or_404(Person.objects.published(), slug=slug)

    def events(self, person):
        return Event.objects.published().concerning(person)

    def title(self, person):
        return f"{SITE_NAME}: {display_name(person)}"

    def subtitle(self, person):
        return _("Published changes concerning %(name)s, newest first.") % {"name": display_name(person)}


class CaseFeed(EventFeed):
    url_name = "cases:feed-case"

    def get_object(self, request, slug):
        return get_object_or_404(Case.objects.published(), slug=slug)

    def events(self, case):
        return Event.objects.published().filter(case=case)

    def title(self, case):
        return f"{SITE_NAME}: {localized_text(case, 'title')}"

    def subtitle(self, case):
        return _("Published changes in the case “%(title)s”, newest first.") % {"title": localized_text(case, "title")}


class OrganizationFeed(EventFeed):
    url_name = "cases:feed-organization"

    def get_object(self, request, slug):
        return get_object_or_404(Organization.objects.published(), slug=slug)

    def events(self, organization):
        return Event.objects.published().filter(case__organizations=organization)

    def title(self, organization):
        return f"{SITE_NAME}: {display_name(organization)}"

    def subtitle(self, organization):
        return _("Published changes in the cases against %(name)s, newest first.") % {
            "name": display_name(organization)
        }


class ChargeFeed(EventFeed):
    url_name = "cases:feed-charge"

    def get_object(self, request, slug):
        return get_object_or_404(Charge.objects.public(), slug=slug)

    def events(self, charge):
        return Event.objects.published().filter(case__charges=charge)

    def title(self, charge):
        return f"{SITE_NAME}: {charge.name}"

    def subtitle(self, charge):
        return _("Published changes in cases with the charge “%(name)s”, newest first.") % {"name": charge.name}


class ThemeFeed(EventFeed):
    url_name = "cases:feed-theme"

    def get_object(self, request, slug):
        return get_object_or_404(Theme.objects.public(), slug=slug)

    def events(self, theme):
        return Event.objects.published().filter(Q(case__themes=theme) | Q(case=None, theme=theme))

    def subtitle(self, theme):
        return _("Published changes in cases under “%(name)s”, and developments that concern it, newest first.") % {
            "name": theme.name
        }
