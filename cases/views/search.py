"""The site search: people, organisations and cases found together by the forgiving search
(cases.search), one group per kind, each linking to its list filtered the same way; and the
"Did you mean …?" that every search offers when it finds nothing."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..localized import display_name, localized_text
from ..models import Case, Organization, Person
from ..paging import MAX_ROWS, CappedPaginator
from ..search import suggestions
from .meta import PageMeta, filled_in, permanent_url

# Each group shows its closest matches; its list shows them all.
RESULTS_PER_GROUP = 10
MAX_SUGGESTIONS = 3


class SiteSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search people, organisations and cases"), required=False, strip=True)


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    label: str
    count: int  # up to one past MAX_ROWS: a one-letter search matches most names
    results: list
    list_url: str

    @property
    def count_is_capped(self) -> bool:
        return self.count > MAX_ROWS

    @property
    def shown_count(self) -> str:
        return _("more than %(max_rows)s") % {"max_rows": MAX_ROWS} if self.count_is_capped else str(self.count)


@dataclass(frozen=True)
class Suggestion:
    label: str
    url: str


def public_search_name(record) -> str:
    """The name a corrected search looks for: a person's or organisation's public name, a case's title."""
    return getattr(record, "public_name", None) or record.title


def suggestion_label(record) -> str:
    return display_name(record) if hasattr(record, "public_name") else localized_text(record, "title")


def did_you_mean(text: str, querysets, address) -> list[Suggestion]:
    """The published names nearest to `text` among `querysets` (on PostgreSQL; elsewhere none),
    each with `address(name)`, the same search for that name."""
    found = [record for queryset in querysets for record in suggestions(queryset, text, MAX_SUGGESTIONS)]
    found.sort(key=lambda record: -record.suggestion_similarity)
    offered: dict[str, Suggestion] = {}
    for record in found:
        name = public_search_name(record)
        offered.setdefault(name, Suggestion(suggestion_label(record), address(name)))
    return list(offered.values())[:MAX_SUGGESTIONS]


def with_search(path: str, query: QueryDict, name: str, text: str) -> str:
    """`path` with the query string's filters, `name` set to `text`, from the first page."""
    query = filled_in(query)
    query[name] = text
    query.pop("page", None)
    return f"{path}?{query.urlencode()}"


def search_groups(text: str) -> list[SearchGroup]:
    kinds = [
        ("people", _("People"), Person.objects.published().with_search_names(), "cases:person-list"),
        (
            "organizations",
            _("Organisations"),
            Organization.objects.published().with_search_names(),
            "cases:organization-list",
        ),
        ("cases", _("Cases"), Case.objects.published().with_public_subjects(), "cases:case-list"),
    ]
    groups = []
    for kind, label, records, list_name in kinds:
        # Counted and shown as a searched list's first page is: from its keys read once
        # (CappedPaginator.searched_keys), then the rows of the closest.
        found = CappedPaginator(records.search(text), RESULTS_PER_GROUP, rows=records)
        groups.append(
            SearchGroup(
                kind=kind,
                label=label,
                count=found.count,
                results=list(found.page(1)),
                list_url=f"{reverse(list_name)}?{urlencode({'search': text})}",
            )
        )
    return groups


def site_search(request):
    form = SiteSearchForm(request.GET)
    context: dict = {"search_form": form, "groups": [], "suggestions": [], "total": 0}
    status = 200
    text = ""
    if not form.is_valid():
        status = 400
    elif text := form.cleaned_data["q"]:
        groups = search_groups(text)
        total = sum(min(group.count, MAX_ROWS) for group in groups)
        total_is_capped = any(group.count_is_capped for group in groups)
        context.update(groups=groups, total=total, total_is_capped=total_is_capped, search_query=text)
        if not total:
            context["suggestions"] = did_you_mean(
                text,
                [Person.objects.published(), Organization.objects.published(), Case.objects.published()],
                lambda name: with_search(request.path, request.GET, "q", name),
            )
    context["meta"] = PageMeta(
        title=_("Search: “%(text)s”") % {"text": text} if text else _("Search"),
        description=_("Find people, organisations and cases by name, in any spelling or script."),
    )
    context["canonical_url"] = permanent_url(request)
    return render(request, "cases/search.html", context, status=status)
