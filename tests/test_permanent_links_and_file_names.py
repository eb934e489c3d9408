"""A shared address says only what is set: permanent links and "Cite as" drop empty parameters, and a
download's file name says what it holds."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from cases.choices import CustodyState
from cases.exports import export_filename

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db

EMPTY_FORM = {"search": "", "country": "", "custody": "", "in_custody": "", "role": "", "sort": ""}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_permanent_link_and_citation_drop_empty_parameters(client, language):
    with translation.override(language):
        address = reverse("cases:person-list")
    html = client.get(address, {**EMPTY_FORM, "as_of": "2018-06-30"}).content.decode()
    expected = f"http://testserver{address}?as_of=2018-06-30"
    assert f'<link rel="canonical" href="{expected}">' in html
    assert f'<a href="{expected}">{expected}</a>' in html
    assert f"{expected}, " in html.split('class="citation"')[1]
    assert "search=&amp;" not in html.split("</head>")[0]


def test_the_remove_links_and_download_links_drop_empty_parameters_too(client):
    html = client.get(reverse("cases:person-list"), {**EMPTY_FORM, "in_custody": "true"}).content.decode()
    assert 'href="/people/export.csv?in_custody=true"' in html
    assert 'href="/people/">remove' in html


def test_a_search_page_keeps_its_query_in_the_permanent_link(client):
    html = client.get(reverse("cases:search"), {"q": "Bokaev"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/search/?q=Bokaev">' in html


def test_a_download_is_named_after_its_filters_and_status_date(client, set_today):
    set_today(date(2026, 11, 25))
    make_event(make_case(people=[make_person("Maks Bokaev")]), "2016-05", custody=CustodyState.IMPRISONED)
    response = client.get(
        reverse("cases:person-export", kwargs={"fmt": "csv"}),
        {**EMPTY_FORM, "as_of": "2018-06-30", "in_custody": "true"},
    )
    assert response["Content-Disposition"] == 'attachment; filename="casetracker-people-in-custody-2018-06-30.csv"'
    plain = client.get(reverse("cases:event-export", kwargs={"fmt": "json"}))
    assert plain["Content-Disposition"] == 'attachment; filename="casetracker-events-2026-11-25.json"'


@pytest.mark.parametrize(
    ("filters", "name"),
    [
        ({"search": "Бокаев / ../etc", "country": "KZ"}, "casetracker-people-matching-bokaev-etc-kz-2026-11-25.csv"),
        ({"in_custody": "false", "group": "true"}, "casetracker-people-not-in-custody-groups-2026-11-25.csv"),
        (
            {"custody": "house_arrest", "since": date(2018, 1, 1)},
            "casetracker-people-house-arrest-from-2018-01-01-2026-11-25.csv",
        ),
        ({"search": 'a"b;c\r\nd'}, "casetracker-people-matching-abc-d-2026-11-25.csv"),
        ({"search": "—"}, "casetracker-people-2026-11-25.csv"),
    ],
)
def test_a_file_name_holds_only_safe_characters(filters, name):
    assert export_filename("people", filters, "csv", date(2026, 11, 25)) == name


def test_a_very_long_search_makes_a_file_name_of_bounded_length():
    name = export_filename("people", {"search": "Бокаев " * 100}, "csv", date(2026, 11, 25))
    assert len(name) < 200 and name.endswith("-2026-11-25.csv")
