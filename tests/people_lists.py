"""How the people list's order reaches its readers, for the tests of an order read in runs: the keys
read in runs against the one sort, the API's pages, the CSV export and the HTML list, and how many
queries a page takes."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.paging import MAX_ROWS

# A count past the cap: a list that long reads its keys in runs.
LONG = MAX_ROWS + 1


def assert_runs_equal_the_one_sort(people, *context) -> None:
    """The keys of every one of `people`, read in runs as a long list's are, are the one sort's."""
    everyone = list(people.values_list("pk", flat=True))
    assert people.keys_between(0, len(everyone), LONG) == everyone, context


def assert_every_page_equals_its_place(people, *context) -> None:
    """Every page of one and of three keys, read in runs, is its place in the one sort."""
    everyone = list(people.values_list("pk", flat=True))
    for bottom in range(len(everyone)):
        for top in (bottom + 1, bottom + 3):
            assert people.keys_between(bottom, top, LONG) == everyone[bottom:top], (*context, bottom, top)


def listed_everywhere(client, params: dict) -> tuple[list[str], list[str], list[str]]:
    """The slugs of the people `params` lists, as the API's pages of two give them, as the CSV
    export does, and as the HTML list's first page does."""
    paged, page = [], 1
    while True:
        answer = client.get(reverse("api:person-list"), {**params, "page_size": 2, "page": page}).json()
        paged += [person["slug"] for person in answer["results"]]
        if not answer["next"]:
            break
        page += 1
    exported = client.get(reverse("cases:person-export", kwargs={"fmt": "csv"}), params)
    body = b"".join(exported.streaming_content).decode("utf-8").removeprefix("\ufeff")
    listed = client.get(reverse("cases:person-list"), params).context["results"]
    return paged, [row["slug"] for row in csv.DictReader(io.StringIO(body))], [person.slug for person in listed]


def page_queries(client, params: dict) -> int:
    """How many queries the people list's page takes."""
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("cases:person-list"), params)
    return len(captured.captured_queries)
