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
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from .addresses import absolute_url
from .localized import display_name, localized_text
from .models import Case, Charge, Event, Organization, Person, Theme

FEED_LENGTH = 50
SITE_NAME = "casetracker"


class ReadableAtomFeed(Atom1Feed):
    """Atom that a browser shows as a page: an `<?xml-stylesheet?>` instruction pointing to
    cases/feed.xsl (static, so the CSP allows it), and the site's stylesheet as a `link` the XSLT
    reads. Feed readers ignore both. Django writes stylesheets for RSS only, so Atom does it here."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # Any stylesheet must come after the XML declaration and before the first element.
        self.add_stylesheets(handler)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_stylesheets(self, handler):
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if css := self.feed.get("page_stylesheet"):
            handler.addQuickElement("link", "", {"rel": "stylesheet", "type": "text/css", "href": css})


def event_datetime(event: Event) -> datetime:
    """The moment an entry is dated: the last day the event can have happened, never after today."""
    day = min(event.date_end, timezone.localdate())
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class EventFeed(Feed):
    """Published events, newest first; subclasses choose which events and what the feed is about."""

    feed_type = ReadableAtomFeed
    author_name = SITE_NAME
    description_template = "cases/feeds/event.html"
    url_name = ""  # the feed's own address, for a feed about one record (its slug)

    def stylesheets(self):
        return [Stylesheet(static("cases/feed.xsl"), mimetype="text/xsl")]

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Browsers show application/atom+xml as plain text, so they never run the stylesheet: a
        # browser (asking for HTML) gets the same document as XML; feed readers still get Atom.
        if "text/html" in request.headers.get("Accept", ""):
            response["Content-Type"] = "application/xml; charset=utf-8"
        patch_vary_headers(response, ["Accept"])
        return response

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Absolute, like every other link in the feed.
        feed.feed["page_stylesheet"] = absolute_url(static("cases/site.css"), request)
        return feed

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
        published = Event.objects.published()
        in_its_cases, of_no_case = published.filter(case__themes=theme), published.filter(case=None, theme=theme)
        return published.newest_of_each(in_its_cases, of_no_case, count=FEED_LENGTH)

    def subtitle(self, theme):
        return _("Published changes in cases under “%(name)s”, and developments that concern it, newest first.") % {
            "name": theme.name
        }
