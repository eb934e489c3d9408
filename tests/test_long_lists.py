"""A long list neither counts nor pages past its first MAX_ROWS rows (cases.paging): it says there
are more, and a page past them is refused with what to do instead, on the public lists and the API."""

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import paging
from cases.models import Case

from .factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def more_cases_than_the_cap(monkeypatch):
    # Two pages of the public lists' 25: the least data that runs past the cap.
    monkeypatch.setattr(paging.CappedPaginator, "max_rows", 50)
    return [make_case(f"Case {n:02}") for n in range(51)]


def test_a_list_longer_than_the_cap_says_more_than_and_offers_its_first_pages(client, more_cases_than_the_cap):
    response = client.get(reverse("cases:case-list"), {"page": "2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "More than 50 cases" in html
    assert "Page 2 of the first 2" in html
    assert 'rel="next"' not in html


def test_a_page_past_the_cap_answers_400_with_what_to_do(client, more_cases_than_the_cap):
    response = client.get(reverse("cases:case-list"), {"page": "3"})
    assert response.status_code == 400
    assert "narrow the filters, or download the whole list" in response.content.decode()


def test_a_list_within_the_cap_counts_exactly_and_a_page_past_its_end_is_404(client):
    make_case("Only case")
    response = client.get(reverse("cases:case-list"))
    assert "1 case" in response.content.decode()
    assert client.get(reverse("cases:case-list"), {"page": "2"}).status_code == 404


def test_the_api_says_its_count_is_a_minimum_and_refuses_a_page_past_the_cap(client, more_cases_than_the_cap):
    data = client.get(reverse("api:case-list"), {"page_size": "25", "page": "last"}).json()
    assert (data["count"], data["count_is_minimum"], data["next"]) == (51, True, None)
    response = client.get(reverse("api:case-list"), {"page_size": "25", "page": "3"})
    assert response.status_code == 400
    assert "narrow the filters" in response.json()["page"][0]


def test_the_api_count_is_exact_within_the_cap(client):
    make_case("Only case")
    data = client.get(reverse("api:case-list")).json()
    assert (data["count"], data["count_is_minimum"]) == (1, False)


def test_a_later_page_holds_the_next_rows_in_the_lists_order(client):
    for n in range(28):
        make_case(f"Case {n:02}")
    page = client.get(reverse("cases:case-list"), {"page": "2", "sort": "-name"}).context["results"]
    assert [case.title for case in page] == ["Case 02", "Case 01", "Case 00"]


def test_every_page_is_the_lists_rows_in_its_order_read_from_the_rows_as_shown(django_assert_num_queries):
    for n in range(8):
        make_case(f"Case {n:02}")
    listed = Case.objects.exclude(title="Case 05").order_by("-title", "pk")
    shown = Case.objects.annotate(shown=Value(True))
    paginator = paging.CappedPaginator(listed, 3, orphans=1, rows=shown)
    in_order = [case.title for case in listed]
    pages = []
    for number in paginator.page_range:
        # The page's keys, then their rows: as many queries for the last page as for the first.
        with django_assert_num_queries(2):
            page = list(paginator.page(number))
        assert all(case.shown for case in page)
        pages.append([case.title for case in page])
    # Seven rows, three a page, the last row an orphan of the page before it.
    assert pages == [in_order[:3], in_order[3:]]


def reads_of_cases(queries) -> int:
    """How many of `queries` read the cases (not the planner setting a near-miss search makes)."""
    return sum('FROM "cases_case"' in query["sql"] for query in queries)


def test_a_searched_list_reads_its_keys_in_order_once_for_its_count_and_every_page():
    for n in range(7):
        make_case(f"Land case {n}")
    make_case("Another matter")
    searched = Case.objects.search("land")
    paginator = paging.CappedPaginator(searched, 3, rows=Case.objects.all())
    in_order = [case.title for case in searched]
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 7
    assert reads_of_cases(queries) == 1
    pages = []
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as queries:
            pages.append([case.title for case in paginator.page(number)])
        assert len(queries) == reads_of_cases(queries) == 1  # the rows alone: the keys were read with the count
    assert pages == [in_order[:3], in_order[3:6], in_order[6:]]


@pytest.mark.parametrize("max_rows", [3, 1])
def test_a_searched_list_counts_its_people_by_the_keys_it_found_when_it_found_them_all(monkeypatch, max_rows):
    from cases.models import Person
    from cases.paging import CappedPaginator

    from .factories import make_person

    monkeypatch.setattr(CappedPaginator, "max_rows", max_rows)
    for name, size in [("Ardak Ashim", None), ("Ardak Bekov", 12), ("Dina Ardakova", None), ("Bolat", None)]:
        make_person(name, **({"identity": "group", "group_size": size} if size else {}))
    searched = Person.objects.published().search("ardak")
    expected = (searched.headcount(), searched.headcounts())
    paginator = CappedPaginator(searched, 25)
    assert paginator.count == min(3, max_rows + 1)
    everyone_found = len(paginator.searched_keys) <= max_rows
    assert (searched._all_keys is not None) == everyone_found
    # Counted by the keys (or, past the cap, by searching again), the same.
    assert (searched.headcount(), searched.headcounts()) == expected
    assert expected[0].individuals == 14
