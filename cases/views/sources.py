"""The sources page: every published document cited, and what it supports."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..models import Source
from .meta import PageMeta, last_updated

SOURCES_PER_PAGE = 50


def source_list(request):
    sources = Source.objects.published().with_public_support().order_by("title", "pk")
    page = Paginator(sources, SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    supported = Source.objects.filter(pk__in=[source.pk for source in page]).supported_cases()
    for source in page:
        source.supported_cases = supported.get(source.pk, [])
    stamps = [source.support_updated_at for source in page if source.support_updated_at]
    meta = PageMeta(
        title=_("Sources"),
        description=_("The documents every fact on casetracker is cited from, and what each of them supports."),
        updated=max([*stamps, last_updated(page)], default=None) if page else None,
    )
    return render(request, "cases/source_list.html", {"page": page, "meta": meta})
