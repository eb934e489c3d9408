"""A charge's, a theme's and a source's page stay short however much they cover: the first cases
and people with a link to the list of all of them, or what a source supports a page at a time."""

import pytest
from django.urls import reverse

from cases.views import cases as case_views
from cases.views import people as people_views
from cases.views import sources as source_views

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cases(monkeypatch):
    monkeypatch.setattr(case_views, "LISTED_AT_MOST", 2)
    charge, theme = make_charge("inciting discord"), make_theme("Civil Society")
    people = [make_person(name) for name in ("Ayan", "Bokaev", "Chen")]
    for person in people:
        make_case(f"Case of {person.name}", people=[person], charges=[charge], themes=[theme])
    make_case("Hidden case", people=[make_person("Aaron Hidden")], charges=[charge], themes=[theme], is_published=False)
    return charge, theme


def test_a_charge_page_lists_the_first_cases_and_people_and_links_to_all_of_them(client, three_cases):
    charge, _ = three_cases
    response = client.get(charge.get_absolute_url())
    html = response.content.decode()
    assert [person.name for person in response.context["people"]] == ["Ayan", "Bokaev"]
    assert [case.title for case in response.context["cases"]] == ["Case of Ayan", "Case of Bokaev"]
    assert "Only the first 2 people are listed here." in html and "Only the first 2 cases are listed here." in html
    assert f"{reverse('cases:person-list')}?charge={charge.slug}" in html
    assert f"{reverse('cases:case-list')}?charge={charge.slug}" in html
    assert "Chen" not in html and "Hidden" not in html


def test_a_theme_page_lists_the_first_cases_and_links_to_all_of_them(client, three_cases):
    _, theme = three_cases
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "Case of Bokaev" in html and "Case of Chen" not in html
    assert "Only the first 2 cases are listed here." in html
    assert f"{reverse('cases:case-list')}?theme={theme.slug}" in html


def test_a_page_that_lists_everything_it_covers_says_nothing_of_a_limit(client, three_cases, monkeypatch):
    monkeypatch.setattr(case_views, "LISTED_AT_MOST", 3)
    charge, theme = three_cases
    for record in (charge, theme):
        html = client.get(record.get_absolute_url()).content.decode()
        assert "Case of Chen" in html and "Only the first" not in html


def test_a_source_page_lists_what_it_supports_a_page_at_a_time_each_fact_once(client, monkeypatch):
    monkeypatch.setattr(source_views, "EVENTS_PER_PAGE", 2)
    source = make_source("World Report")
    case = make_case("Land protest case")
    events = [make_event(case, f"2018-0{month}", source=source, description=f"Fact {month}.") for month in (1, 2, 3)]
    # Cited twice, listed once.
    events[0].citations.create(source=source, quote="Again.")
    make_event(case, "2018-04", source=source, description="Unpublished fact.", is_published=False)
    first = client.get(source.get_absolute_url())
    assert [event.pk for event in first.context["events"]] == [events[0].pk, events[1].pk]
    assert "Page 1 of 2" in first.content.decode()
    # The newest published fact of them all, not the first page's newest nor the unpublished one.
    assert first.context["meta"].latest_information.edtf == "2018-03"
    second = client.get(source.get_absolute_url(), {"page": 2}).content.decode()
    assert "Fact 3." in second and "Fact 1." not in second and "Unpublished" not in second


def test_an_organisation_page_lists_its_first_cases_and_its_timeline_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(people_views, "LISTED_AT_MOST", 1)
    monkeypatch.setattr(people_views, "EVENTS_PER_PAGE", 2)
    outlet = make_organization("Ratel.kz")
    first_case, second_case = (make_case(title, organizations=[outlet]) for title in ("Audit case", "Blog case"))
    make_case("Hidden case", organizations=[outlet], is_published=False)
    for case, month in [(first_case, 1), (second_case, 2), (first_case, 3)]:
        make_event(case, f"2018-0{month}", description=f"Fact {month}.")
    response = client.get(outlet.get_absolute_url())
    html = response.content.decode()
    assert "Audit case" in html and "Only the first 1 case is listed here." in html
    assert f"{reverse('cases:case-list')}?organization={outlet.slug}" in html
    assert "Fact 1." in html and "Fact 2." in html and "Fact 3." not in html and "Page 1 of 2" in html
    assert response.context["meta"].latest_information.edtf == "2018-03"
    assert "Fact 3." in client.get(outlet.get_absolute_url(), {"page": 2}).content.decode()
