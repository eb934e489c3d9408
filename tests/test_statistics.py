"""The statistics: people in custody at each month's end, counts by charge and theme, as figures and SVG."""

from datetime import date

import pytest
from django.urls import reverse

from cases.choices import CustodyState, EventType
from cases.models import Person
from cases.statistics import MonthCount, bar_chart, counts_by_charge, counts_by_theme, custody_by_month

from .factories import make_case, make_charge, make_event, make_person, make_theme

pytestmark = pytest.mark.django_db


def by_month(people=None, **kwargs) -> dict[str, int]:
    people = Person.objects.published() if people is None else people
    return {f"{m.month_end:%Y-%m}": m.count for m in custody_by_month(people, **kwargs)}


def test_a_detention_and_release_counted_at_month_ends_only():
    case = make_case(people=[make_person("Ardak Ashim")])
    make_event(case, "2018-03-02", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-05-10", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    assert by_month(until=date(2018, 7, 1)) == {"2018-03": 1, "2018-04": 1, "2018-05": 0, "2018-06": 0, "2018-07": 0}


def test_a_state_reported_only_to_the_month_counts_from_that_months_end():
    case = make_case(people=[make_person()])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    assert by_month(until=date(2018, 4, 30)) == {"2018-03": 1, "2018-04": 1}


def test_custody_that_begins_and_ends_within_a_month_is_never_at_a_months_end():
    case = make_case(people=[make_person()])
    make_event(case, "2018-03-02", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-03-20", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    assert by_month() == {}


def test_changes_between_forms_of_custody_count_a_person_once():
    case = make_case(people=[make_person()])
    make_event(case, "2018-01-10", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-02-15", type=EventType.HOUSE_ARREST, custody=CustodyState.HOUSE_ARREST)
    make_event(case, "2018-03-15", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    assert by_month(until=date(2018, 3, 31)) == {"2018-01": 1, "2018-02": 1, "2018-03": 1}


def test_since_and_until_frame_the_months():
    case = make_case(people=[make_person()])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-07-10", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    assert by_month(since=date(2018, 5, 15), until=date(2018, 8, 1)) == {"2018-05": 1, "2018-06": 1, "2018-07": 0,
                                                                       "2018-08": 0}  # fmt: skip
    # Months before anyone's custody are not drawn, however early the range starts.
    assert list(by_month(since=date(1, 1, 1), until=date(2018, 4, 1))) == ["2018-03", "2018-04"]
    assert by_month(since=date(2018, 9, 1), until=date(2018, 8, 1)) == {}


def test_unpublished_people_and_events_are_not_counted():
    hidden = make_person(is_published=False)
    shown = make_person()
    case = make_case(people=[hidden, shown])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(case, "2018-04", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY, is_published=False)
    assert by_month(until=date(2018, 5, 31)) == {"2018-03": 1, "2018-04": 1, "2018-05": 1}
    draft = make_case(people=[make_person()], is_published=False)
    make_event(draft, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    assert by_month(until=date(2018, 5, 31))["2018-05"] == 1


def test_counts_by_charge_and_theme_follow_the_people_given():
    discord, fraud = make_charge("inciting discord"), make_charge("fraud")
    civil, media = make_theme("Civil Society"), make_theme("Freedom of Media")
    a, b, c = make_person("A"), make_person("B"), make_person("C", is_published=False)
    make_case("One", people=[a, b], charges=[discord], themes=[civil])
    make_case("Two", people=[a], charges=[discord, fraud], themes=[media])
    make_case("Draft", people=[b], charges=[fraud], is_published=False)
    make_case("Three", people=[c], charges=[fraud])
    people = Person.objects.published()
    assert [(r.name, r.people, r.cases) for r in counts_by_charge(people)] == [
        ("inciting discord", 2, 2),
        ("fraud", 1, 1),
    ]
    assert [(r.name, r.people, r.cases) for r in counts_by_theme(people)] == [("Civil Society", 2, 1),
                                                                                ("Freedom of Media", 1, 1)]  # fmt: skip
    assert [(r.name, r.people) for r in counts_by_charge(people.filter(slug="b"))] == [("inciting discord", 1)]


def test_the_tallest_bar_reaches_the_top_gridline_and_empty_months_have_no_height():
    months = [MonthCount(date(2018, m, 28), n) for m, n in [(1, 0), (2, 3), (3, 7)]]
    chart = bar_chart(months)
    assert chart.bars[0].height == 0
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8"]
    top = chart.y_ticks[-1].position
    assert chart.bars[2].y == pytest.approx(top + (chart.bottom - top) / 8)
    assert [t.label for t in chart.x_ticks] == ["2018"]
    assert bar_chart([]) is None


def test_no_one_in_custody_says_so_instead_of_drawing(client):
    make_person()
    html = client.get(reverse("cases:statistics")).content.decode()
    assert "<svg" not in html
    assert "None of these people has been in custody" in html


@pytest.mark.parametrize("count", [2, 6])
def test_statistics_queries_do_not_grow_with_the_people(client, django_assert_max_num_queries, count):
    charge, theme = make_charge(), make_theme()
    for index in range(count):
        case = make_case(people=[make_person()], charges=[charge], themes=[theme])
        make_event(case, f"2018-{index % 12 + 1:02d}", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    # One query sums every figure of the people in custody on the date (a month's snapshot and the shares
    # changed since, cases.figures_on_a_date), after one for the latest month stored and one setting for
    # it on PostgreSQL; the others read the charges and themes to name, the countries, the choices of
    # charge and theme, and the newest events (for "latest information dates from" and the last month).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("cases:statistics"), {"in_custody": "true", "as_of": "2018-12-31"})
    assert response.context["headcount"].individuals == count


@pytest.mark.parametrize(
    "prefix, month, carried",
    [
        ("", "March 2018", "1 carried forward, unconfirmed"),
        ("/ru", "Март 2018 г.", "1 — перенесено с прежнего сообщения"),
    ],
)
def test_each_month_is_drawn_as_a_titled_bar_in_both_charts_and_a_row_of_the_table(client, prefix, month, carried):
    case = make_case(people=[make_person(), make_person("Relatives", identity="group")])
    make_event(case, "2018-03-02", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    html = client.get(prefix + reverse("cases:statistics"), {"until": "2018-05-31"}).content.decode()
    # Reported in March, carried forward unconfirmed from April: one individual and a group of unknown size.
    assert html.count(f"<g><title>{month}: 1</title>") == 2
    assert html.count(f"({carried}") == 4  # April and May, in both charts
    assert f'<tr><th scope="row"><time datetime="2018-03">{month}</time></th><td>1 ' in html
    assert html.count("<g><title>") == 2 * html.count('<tr><th scope="row"><time') == 2 * 3
    assert 'class="bar carried" x="' in html
