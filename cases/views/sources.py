"""The sources: every published document cited, and what each supports."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ..dates import FuzzyDate
from ..models import Citation, Event, Source
from ..models.sources import FIRST_CASES_STORED
from .meta import PageMeta, last_updated

SOURCES_PER_PAGE = 20
# A source's cases named on the list; its own page has every event it supports.
CASES_PER_SOURCE = FIRST_CASES_STORED
# A source's page lists what it supports a page at a time: a report may support thousands of facts.
EVENTS_PER_PAGE = 50


def source_list(request):
    page = Paginator(Source.objects.published().order_by("title", "pk"), SOURCES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # What each source supports is stored on it (SourceQuerySet.refresh_support): a demo world's
    # thousands of sources cite 1.6 million facts between them.
    first_cases = Source.objects.first_cases(page)
    for source in page:
        source.supported_cases = first_cases[source.pk][:CASES_PER_SOURCE]
        source.more_cases = source.public_case_count - len(source.supported_cases)
    stamps = [source.public_support_updated_at for source in page if source.public_support_updated_at]
    meta = PageMeta(
        title=_("Sources"),
        description=_("The documents every fact on casetracker is cited from, and what each of them supports."),
        updated=max([*stamps, last_updated(page)], default=None) if page else None,
    )
    return render(request, "cases/source_list.html", {"page": page, "meta": meta})


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.published(), slug=slug)
    # Each event once however often it cites the source, without DISTINCT over every event's columns.
    cited = Event.objects.published().filter(pk__in=Citation.objects.filter(source=source).values("event"))
    # The key and date of every fact it supports, read once: the page, the count and the newest all
    # come from them, where a count, a page and a newest-first walk each read the facts again.
    facts = list(cited.in_date_order().values_list("pk", "date_start", "date_end", "date_precision"))
    page = Paginator(facts, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    keys = [fact[0] for fact in page.object_list]
    events = list(Event.objects.filter(pk__in=keys).with_public_citations().in_date_order())
    meta = PageMeta(
        title=source.title,
        description=_("%(title)s: the facts this document supports, with its words.") % {"title": source.title},
        updated=last_updated([source], events, (event.case for event in events), (event.person for event in events)),
        # The newest fact of them all (the last in date order), not of this page's alone.
        latest_information=FuzzyDate(*facts[-1][1:]) if facts else None,
    )
    return render(request, "cases/source_detail.html", {"source": source, "events": events, "page": page, "meta": meta})
