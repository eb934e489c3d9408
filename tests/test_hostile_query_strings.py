"""Every public query parameter of every list, export, statistics page, feed and API list, fed
hostile values: the answer is a 400 naming the parameter, or a result with none of the records,
never a server error.

The addresses come from the URLconf and the parameters from each address's filterset, so a new
list or a new parameter is fuzzed without touching this file.
"""

import json
from dataclasses import dataclass

import django_filters
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from cases.choices import CustodyState, EventType
from cases.exports import DATASETS
from cases.filters import CaseFilter, EventFilter, OrganizationFilter, PersonFilter, StatisticsFilter

from .factories import (
    make_case,
    make_charge,
    make_event,
    make_organization,
    make_person,
    make_source,
    make_theme,
    read_only_for_the_module,
)

pytestmark = pytest.mark.django_db

# The public HTML lists build their filterset inside the view; every other address with
# parameters names its filterset (the API views and the export datasets).
LIST_FILTERSETS = {
    "cases:person-list": PersonFilter,
    "cases:organization-list": OrganizationFilter,
    "cases:case-list": CaseFilter,
    "cases:event-list": EventFilter,
    "cases:statistics": StatisticsFilter,
}
# Addresses without filters: they are sent the page number and stray parameters all the same.
UNFILTERED = {
    "cases:home",
    "cases:source-list",
    "cases:charge-list",
    "cases:theme-list",
    "cases:search",
    "cases:feed-updates",
    "api:api-root",
}
# What an address without a filterset reads from its query string (a form of its own, or stray
# parameters it must ignore).
FORM_PARAMETERS = {"cases:search": ("q",)}
# Not pages of records: the schema and its viewer, the sitemap, robots.txt, the language switch.
NOT_LISTS = {"api:schema", "api:docs", "sitemap", "sitemap-section", "robots-txt", "set_language", "api:not-found"}

# The admin and the passkey ceremonies of its sign-in: not public lists.
STAFF_ONLY = {"admin", "otp_webauthn"}
PAGE_PARAMETERS = ("page", "page_size")
LONG = "ж" * 10_000


@dataclass(frozen=True)
class Values:
    """The hostile values one address is sent: for any parameter, for a date, for a page number."""

    any: list
    dates: list
    pages: list


# The API lists get every value. The HTML pages, the statistics and the downloads run the same
# filters (cases/filters.py) and cost more to render, so they get the values that reach what they
# add: echoing the value into the page or the file, paging.
FULL = Values(
    any=["Bok\x00aev", "%", "_", LONG, "\u202eveabok\u202c", "unknown-choice", ["KZ", "\x00"]],
    dates=["2018-02-30", "0000-00-00", "99999-01-01"],
    pages=["-1", "0", "99999999999999999999999", "abc", "1.5", "²", "last", "\x00", LONG],
)
LIGHT = Values(
    any=["Bok\x00aev", "\u202e%_" + LONG],
    dates=["2018-02-30"],
    pages=["²", "99999999999999999999999", LONG],
)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """One of each public record, built once: a filter that goes wrong would show it."""
    with read_only_for_the_module(django_db_blocker):
        theme = make_theme("Civil Society")
        person = make_person("Maks Bokaev", slug="maks-bokaev", location="Atyrau", country="KZ")
        case = make_case(
            "Prosecution of Maks Bokaev",
            slug="prosecution-of-maks-bokaev",
            people=[person],
            organizations=[make_organization("Atyrau Activists", slug="atyrau-activists")],
            charges=[make_charge("inciting discord")],
            themes=[theme],
            country="KZ",
            location="Atyrau",
        )
        source = make_source("World Report 2019", slug="world-report-2019")
        make_event(
            case, "2016-05", person=person, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, source=source
        )
        yield case


def named_urls():
    """(name, number of arguments) of every named URL outside the admin."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in STAFF_ONLY:
                    yield from walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield ":".join(filter(None, [namespace, pattern.name])), pattern.pattern.regex.groups

    yield from walk(get_resolver().url_patterns, "")


def addresses():
    """(address, filterset or None) of every public list, export, statistics page, feed and API list."""
    found = []
    for name, arguments in sorted(set(named_urls())):
        if name in NOT_LISTS:
            continue
        if name.endswith("-export"):
            found += [(reverse(name, kwargs={"fmt": fmt}), None) for fmt in ("csv", "json")]
        elif name.startswith("api:") and name.endswith("-list"):
            found.append((reverse(name), None))
        elif name in LIST_FILTERSETS or name in UNFILTERED:
            found.append((reverse(name), LIST_FILTERSETS.get(name)))
        elif arguments == 0:
            raise AssertionError(f"{name}: add it to LIST_FILTERSETS, UNFILTERED or NOT_LISTS")
    return [(url, filterset or filterset_of(url)) for url, filterset in found]


def filterset_of(url):
    match = resolve(url)
    view_class = getattr(match.func, "cls", None)
    if "dataset" in match.kwargs:
        return DATASETS[match.kwargs["dataset"]].filterset_class
    return getattr(view_class, "filterset_class", None)


def values_for(url: str) -> Values:
    return FULL if url.startswith("/api/") else LIGHT


def requests():
    """(address, filterset, parameter, query) for every hostile value of every parameter of every address."""
    for url, filterset in addresses():
        if filterset:
            parameters = dict(filterset.base_filters)
        else:
            parameters = dict.fromkeys(FORM_PARAMETERS.get(resolve(url).view_name, ("search", "country")))
        values = values_for(url)
        for name, filter_ in parameters.items():
            dates = values.dates if isinstance(filter_, django_filters.DateFilter) else []
            for value in values.any + dates:
                yield url, filterset, name, {name: value}
        for name in PAGE_PARAMETERS:
            for value in values.pages:
                yield url, filterset, name, {name: value}
        if filterset and {"since", "until"} <= set(parameters):
            yield url, filterset, "until", {"since": "2019-01-01", "until": "2018-01-01"}


def test_every_list_export_feed_and_api_list_is_fuzzed():
    urls = [url for url, _ in addresses()]
    assert len(urls) >= 22
    assert reverse("api:person-list") in urls and reverse("cases:person-export", kwargs={"fmt": "csv"}) in urls


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


NAMES = ("Maks Bokaev", "Prosecution of Maks Bokaev", "Atyrau Activists", "inciting discord")


def shows_no_record(url: str, response, text: str) -> bool:
    """True when an answer that accepted the value lists none of the records."""
    if response["Content-Type"].startswith("application/json"):
        data = json.loads(text)
        if isinstance(data, dict) and "results" in data:
            return not data["results"]
        return True  # the API's root
    if "/feeds/" in url or url.endswith(".csv"):
        return not any(name in text for name in NAMES)
    return True  # HTML pages also show the records in their filter menus


def test_no_hostile_parameter_causes_a_server_error(client, site):
    client.raise_request_exception = False
    failures, tried = [], 0
    for url, filterset, name, query in requests():
        tried += 1
        response = client.get(url, query)
        text = body(response)
        status = response.status_code
        if status == 400:
            if name not in text:
                failures.append(f"{url} {query!r}: 400 without naming {name!r}")
        elif status == 404:
            if name not in PAGE_PARAMETERS:
                failures.append(f"{url} {query!r}: 404")
        elif status != 200:
            failures.append(f"{url} {query!r}: {status}")
        elif filterset and not (set(query) <= set(PAGE_PARAMETERS) or shows_no_record(url, response, text)):
            leaked = query[name] if isinstance(query[name], str) else query[name][-1]
            if leaked not in {"KZ", "last"}:
                failures.append(f"{url} {query!r}: records shown for a value that matches none")
    assert not failures, f"{len(failures)} of {tried}:\n" + "\n".join(failures[:40])
    assert tried > 1000
