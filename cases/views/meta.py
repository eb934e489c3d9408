"""What a public page says about itself: its title, its summary for sharing, when what it shows
last changed, and the feed that follows it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.http import QueryDict
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_countries import countries

from ..addresses import absolute_url
from ..dates import FuzzyDate

DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str = ""
    updated: datetime | None = None
    feed_url: str = ""
    # The date of the newest fact shown, beside `updated`: editing an old fact does not make it news.
    latest_information: FuzzyDate | None = None

    def __post_init__(self):
        # Search results and link previews show about this much; a summary is cut at a word.
        object.__setattr__(self, "description", Truncator(self.description).chars(DESCRIPTION_LENGTH))


def filled_in(query: QueryDict) -> QueryDict:
    """`query` without its empty parameters (a form sends every field, filled in or not)."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if values := [value for value in values if value.strip()]:
            kept.setlist(name, values)
    return kept


def permanent_url(request) -> str:
    """The address that shows this page again: its query string less the empty parameters
    (`?as_of=2018-06-30`, not `?search=&as_of=2018-06-30&custody=`)."""
    query = filled_in(request.GET)
    return absolute_url(request.path + (f"?{query.urlencode()}" if query else ""), request)


def with_country(title: str, country) -> str:
    """A record's page title names its country: "Maks Bokaev (Kazakhstan)"."""
    if not country:
        return title
    return _("%(title)s (%(country)s)") % {"title": title, "country": country.name}


def narrowed_to_country(title: str, code: str) -> str:
    """A list's title names the country the query string narrows it to: "People: Kazakhstan"."""
    if not code:
        return title
    return _("%(title)s: %(country)s") % {"title": title, "country": countries.name(code)}


def last_updated(*groups: Iterable) -> datetime | None:
    """The latest `updated_at` among records already loaded for a page (no query of its own)."""
    stamps = [record.updated_at for group in groups for record in group if record is not None]
    return max(stamps, default=None)


def latest_information(events: Iterable) -> FuzzyDate | None:
    """The date of the newest of `events` as loaded for a page, in timeline order (by start):
    a fact dated only "2018" is not newer than one of "September 2018"."""
    newest = max(events, key=lambda e: (e.date_start, e.date_end, e.pk), default=None)
    return newest.date if newest is not None else None


def cited_sources(events: Iterable) -> Iterable:
    """The sources cited by `events`, as loaded with their citations (for `last_updated`)."""
    return (citation.source for event in events for citation in event.public_citations)


def case_subjects(cases: Iterable) -> Iterable:
    """The published people and organisations of `cases`, as loaded by `with_public_subjects`."""
    return (subject for case in cases for subject in (*case.public_people, *case.public_organizations))
