"""The public pages a person reaches from the API's links."""

from datetime import date

import pytest
from django.urls import reverse

from cases.choices import CustodyState, EventType

from .factories import make_case, make_charge, make_event, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    person = make_person("Ardak Ashim", location="Shymkent", variants=["Ардак Ашим"])
    charge = make_charge("inciting discord")
    theme = make_theme("Civil Society")
    case = make_case("Prosecution of Ardak Ashim", people=[person], charges=[charge], themes=[theme])
    source = make_source("World Report 2019: Kazakhstan", publisher="Human Rights Watch", published="2019-01")
    make_event(
        case,
        "2018-03",
        type=EventType.PSYCHIATRIC_DETENTION,
        custody=CustodyState.PSYCHIATRIC_DETENTION,
        source=source,
        quote="put her into court-sanctioned psychiatric detention.",
    )
    return case


def test_person_page_shows_status_variants_and_a_cited_timeline(client, case):
    html = client.get(reverse("cases:person-detail", args=["ardak-ashim"])).content.decode()
    assert "<h1>Ardak Ashim</h1>" in html
    assert "Ардак Ашим" in html
    assert "Forced psychiatric detention — since March 2018" in html
    assert "put her into court-sanctioned psychiatric detention." in html
    assert '<ol class="timeline" role="list">' in html


def test_case_charge_theme_and_source_pages_link_the_case(client, case):
    for name, slug in [
        ("cases:case-detail", case.slug),
        ("cases:charge-detail", "inciting-discord"),
        ("cases:theme-detail", "civil-society"),
        ("cases:source-detail", "world-report-2019-kazakhstan"),
    ]:
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 200
        assert case.title in response.content.decode()


def test_home_lists_recent_status_changes(client, case):
    html = client.get(reverse("cases:home")).content.decode()
    assert "March 2018" in html and case.title in html


def test_an_unknown_slug_answers_404(client):
    assert client.get(reverse("cases:person-detail", args=["nobody"])).status_code == 404


def test_home_counts_people_by_custody_state_and_links_to_the_lists(client, case):
    make_person("Free Person")
    draft = make_person("Draft Person", is_published=False)
    make_event(make_case(people=[draft]), "2018-03", custody=CustodyState.IMPRISONED)
    response = client.get(reverse("cases:home"))
    counts = {state.value: count.individuals for state, count in response.context["custody_counts"]}
    assert counts == {"psychiatric_detention": 1, "unknown": 1}
    assert response.context["in_custody_headcount"].individuals == 1
    assert f"{reverse('cases:person-list')}?custody=psychiatric_detention" in response.content.decode()


def test_person_page_says_since_when_and_when_last_reported(client, case, set_today):
    set_today(date(2019, 3, 15))
    make_event(case, "2018-09", type=EventType.TRANSFERRED, custody=CustodyState.PSYCHIATRIC_DETENTION)
    # Undated within the year: not a later report than September.
    make_event(case, "2018", type=EventType.STATUS_REPORTED, custody=CustodyState.PSYCHIATRIC_DETENTION)
    html = client.get(reverse("cases:person-detail", args=["ardak-ashim"])).content.decode()
    assert "In custody now: Forced psychiatric detention — since March 2018" in html
    assert '<time datetime="2018-09">September 2018</time> (5 months ago)</dd>' in html
