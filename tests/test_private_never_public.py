"""Internal notes, withheld names and staff-only fields never reach any public page, feed, export or API.

The test finds the public addresses itself (every named URL outside the admin), so pages added
later are scanned too, and fills each with every record's slug and primary key.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from cases.choices import CustodyState
from cases.models import Case, Charge, Event, Organization, Person, Source, Theme

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db

NOTE = "PRIVATE-NOTE-"
WITHHELD = "Secretname Withheldov"
WITHHELD_VARIANT = "Секретнейм Визхелдов"
FORBIDDEN = [NOTE, "Secretname", "Withheldov", "Секретнейм", "Визхелдов", "internal_notes", "1931"]
# Searches for part of the withheld name: a page may echo the words searched for, never the rest.
SEARCHES = [({}, FORBIDDEN)] + [
    ({"search": word, "q": word}, [secret for secret in FORBIDDEN if secret != word])
    for word in ("Withheldov", "Визхелдов")
]


@pytest.fixture
def world():
    theme = make_theme("Civil Society")
    charge = make_charge("inciting discord")
    org = make_organization("Atajurt", internal_notes=NOTE + "organization")
    open_person = make_person("Max Bokayev", internal_notes=NOTE + "person", birth_year=1931)
    hidden = make_person(
        WITHHELD,
        slug="trade-unionist-shymkent",
        variants=[WITHHELD_VARIANT],
        name_withheld=True,
        public_alias="Name withheld — a trade unionist from Shymkent",
        internal_notes=NOTE + "withheld person",
    )
    case = make_case(
        "Prosecution of trade unionists", people=[open_person, hidden], organizations=[org], charges=[charge],
        themes=[theme], internal_notes=NOTE + "case",
    )  # fmt: skip
    source = make_source("HRW World Report", internal_notes=NOTE + "source")
    make_event(
        case, "2018-03", custody=CustodyState.DETAINED, internal_notes=NOTE + "event", source=source,
        description="Both were detained.",
    )  # fmt: skip
    make_event(None, "2018-04", theme=theme, type="context", internal_notes=NOTE + "context event", source=source)
    return hidden


def public_url_names():
    """(name, argument names) of every named URL outside the admin, with namespaces."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, list(pattern.pattern.regex.groupindex), pattern.pattern.regex.groups

    yield from walk(get_resolver().url_patterns, "")


def candidate_values(argument: str) -> list[str]:
    if argument == "format":
        return ["json"]
    if argument in {"pk", "id"}:
        return [str(pk) for model in (Event, Person, Case, Source) for pk in model.objects.values_list("pk", flat=True)]
    slugs = [
        s
        for model in (Person, Organization, Case, Charge, Theme, Source)
        for s in model.objects.values_list("slug", flat=True)
    ]
    return slugs


def public_urls():
    for name, arguments, groups in public_url_names():
        if not arguments:
            if groups:
                continue  # unnamed groups: none in this project
            yield reverse(name)
            continue
        for values in _combinations(arguments):
            try:
                yield reverse(name, kwargs=values)
            except NoReverseMatch:
                continue


def _combinations(arguments):
    combos = [{}]
    for argument in arguments:
        combos = [{**combo, argument: value} for combo in combos for value in candidate_values(argument)]
    return combos


def test_no_public_address_shows_anything_private(client, world):
    seen = 0
    for url in set(public_urls()):
        for query, forbidden in SEARCHES:
            response = client.get(url, query)
            if response.status_code != 200:
                continue
            seen += 1
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace")
            for secret in forbidden:
                assert secret not in text, f"{secret!r} on {url} {query}"
    # The home page, every detail page of a public record, the API and its docs, at least.
    assert seen >= 40


def test_staff_still_see_the_withheld_name_and_the_notes(researcher_client, world):
    html = researcher_client.get(reverse("admin:cases_person_change", args=[world.pk])).content.decode()
    assert WITHHELD in html and WITHHELD_VARIANT in html and NOTE + "withheld person" in html
