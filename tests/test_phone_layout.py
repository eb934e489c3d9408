"""What lets the lists and the statistics work on a phone, as the server writes it: filters folded
behind a summary with their count, tables that can turn into labelled cards, dates typed as
YYYY-MM-DD, and a narrow chart beside the wide one. tests/test_browser_phone.py measures the pages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cases.choices import CustodyState
from cases.models import Person
from cases.statistics import bar_chart, custody_by_month

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db

LISTS = ["cases:person-list", "cases:case-list", "cases:organization-list", "cases:event-list", "cases:statistics"]


@pytest.fixture
def someone_detained():
    person = make_person("Ardak Ashim", location="Shymkent")
    case = make_case("Prosecution of Ardak Ashim", people=[person])
    make_event(case, "2012-03-01", custody=CustodyState.DETAINED)
    make_event(case, "2020-03-01", custody=CustodyState.DETAINED)
    return person


@pytest.mark.parametrize("name", LISTS)
def test_the_filters_are_folded_closed_before_the_results(client, name):
    html = client.get(reverse(name)).content.decode()
    details = re.search(r"<details class=\"filters\"( open)?>\s*<summary>", html)
    assert details and details.group(1) is None
    assert html.index('<details class="filters"') < html.index("</details>") < html.index("<footer")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_folded_filters_say_how_many_are_in_use(client, language, someone_detained):
    with translation.override(language):
        html = client.get(reverse("cases:person-list"), {"custody": "detained", "search": "Ardak"}).content.decode()
    summary = re.search(r"<summary>(.*?)</summary>", html, re.S).group(1)
    assert ("Search and filter" if language == "en" else "Поиск и фильтры") in summary
    assert ("(2 active)" if language == "en" else "(активных: 2)") in summary


def test_no_count_is_shown_while_no_filter_is_in_use(client):
    summary = re.search(r"<summary>(.*?)</summary>", client.get(reverse("cases:case-list")).content.decode(), re.S)
    assert "active" not in summary.group(1)


def test_filters_that_cannot_be_read_are_shown_open_with_the_error(client):
    response = client.get(reverse("cases:person-list"), {"as_of": "30/06/2018"})
    assert response.status_code == 400
    assert '<details class="filters" open>' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_cell_of_the_people_and_case_tables_carries_its_column_for_the_card_view(
    client, language, someone_detained
):
    with translation.override(language):
        people = client.get(reverse("cases:person-list")).content.decode()
        cases = client.get(reverse("cases:case-list")).content.decode()
    for html in (people, cases):
        table = html[html.index('<table class="results cards" role="table">') : html.index("</table>")]
        body = table[table.index("<tbody") :]
        assert body.count("<td") == body.count('<td role="cell" data-label="') > 0
        assert 'role="rowheader"' in body and 'role="columnheader"' in table
    assert ('data-label="Last reported"' if language == "en" else 'data-label="Последнее сообщение"') in people


@pytest.mark.parametrize("name", ["cases:person-list", "cases:case-list", "cases:event-list", "cases:statistics"])
def test_date_fields_are_typed_as_yyyy_mm_dd_not_the_browsers_locale_picker(client, name):
    html = client.get(reverse(name)).content.decode()
    dates = re.findall(r'<input type="[a-z]+" name="(?:since|until|as_of)"[^>]*>', html)
    assert dates
    for field in dates:
        assert field.startswith('<input type="text"'), field
        assert 'inputmode="numeric"' in field and 'placeholder="YYYY-MM-DD"' in field
        assert 'pattern="\\d{4}-?\\d{2}-?\\d{2}"' in field


def test_a_date_typed_on_a_keypad_without_a_hyphen_is_read_as_the_same_day(client, someone_detained):
    with_hyphens = client.get(reverse("cases:person-list"), {"as_of": "2018-06-30"})
    digits_only = client.get(reverse("cases:person-list"), {"as_of": "20180630"})
    assert digits_only.status_code == 200
    assert "30 June 2018" in digits_only.content.decode() and "30 June 2018" in with_hyphens.content.decode()
    assert 'value="2018-06-30"' in digits_only.content.decode()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_date_that_is_no_day_is_a_400_with_the_field_named(client, language):
    with translation.override(language):
        response = client.get(reverse("cases:event-list"), {"since": "2018-13-45"})
    assert response.status_code == 400
    assert 'href="#id_since"' in response.content.decode()


def test_the_statistics_page_draws_a_wide_and_a_narrow_chart_with_their_own_labels(client, someone_detained):
    html = client.get(reverse("cases:statistics")).content.decode()
    assert 'class="chart-wide" viewBox="0 0 720 260"' in html
    assert 'class="chart-narrow" viewBox="0 0 288 220"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "two charts, no id twice"


def test_the_narrow_chart_gives_fewer_years_never_closer_than_a_label_needs(someone_detained):
    months = custody_by_month(Person.objects.published())
    wide, narrow = bar_chart(months), bar_chart(months, width=288, height=220)
    assert len(narrow.x_ticks) < len(wide.x_ticks)
    positions = [tick.position for tick in narrow.x_ticks]
    assert all(later - earlier >= 40 for earlier, later in zip(positions, positions[1:], strict=False))


def test_no_year_under_the_chart_is_cut_off_at_its_right_edge(someone_detained):
    months = custody_by_month(Person.objects.published())
    for chart in (bar_chart(months), bar_chart(months, width=288, height=220)):
        assert all(tick.position + 14 <= chart.width for tick in chart.x_ticks), chart.x_ticks
