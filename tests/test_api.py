"""The read-only JSON API: anonymous, shapes, filters, and clear 400s for bad parameters."""

import base64

import pytest
from django.urls import reverse

from cases.choices import CaseStage, CustodyState, EventType

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme
from .personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def bokaev_case():
    bokaev = make_person("Maks Bokaev", variants=["Макс Бокаев"])
    ayan = make_person("Talgat Ayan")
    charge = make_charge("inciting discord", article="174")
    theme = make_theme("Civil Society")
    case = make_case("Land protest case", people=[bokaev, ayan], charges=[charge], themes=[theme])
    source = make_source("World Report 2019: Kazakhstan")
    make_event(
        case,
        "2016-05",
        type=EventType.CONVICTED,
        custody=CustodyState.IMPRISONED,
        stage=CaseStage.CONVICTED,
        sentence_months=60,
        source=source,
        quote="continued to serve a wrongful five-year sentence.",
    )
    make_event(
        case,
        "2018-04",
        type=EventType.RELEASED_ON_PAROLE,
        custody=CustodyState.CONDITIONAL_RELEASE,
        person=ayan,
        source=source,
        quote="In April, authorities released on parole Talgat Ayan",
    )
    return case


def get(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def test_people_list_is_paginated_with_custody_and_links(client, bokaev_case):
    response = get(client, "api:person-list")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "count", "count_is_minimum", "next", "previous", "results",
        "individuals", "individuals_is_minimum", "groups_of_unknown_size",
    }  # fmt: skip
    bokaev = next(p for p in data["results"] if p["slug"] == "maks-bokaev")
    assert bokaev["name_variants"] == ["Макс Бокаев"]
    assert bokaev["custody"] == "imprisoned"
    assert bokaev["in_custody"] is True
    assert bokaev["status_date"] == "2016-05"
    assert bokaev["url"].endswith(reverse("cases:person-detail", args=["maks-bokaev"]))
    assert bokaev["api_url"].endswith(reverse("api:person-detail", args=["maks-bokaev"]))


def test_as_of_gives_the_status_on_that_date(client, bokaev_case):
    before = get(client, "api:person-list", as_of="2018-03-31", in_custody="true").json()
    after = get(client, "api:person-list", as_of="2018-04-30", in_custody="true").json()
    assert {p["slug"] for p in before["results"]} == {"maks-bokaev", "talgat-ayan"}
    assert {p["slug"] for p in after["results"]} == {"maks-bokaev"}
    assert get(client, "api:person-list", as_of="2015-01-01").json()["results"][0]["custody"] == "unknown"


def test_people_filter_by_custody_charge_theme_and_search(client, bokaev_case):
    make_person("Someone Else")
    assert [p["slug"] for p in get(client, "api:person-list", custody="conditional_release").json()["results"]] == [
        "talgat-ayan"
    ]
    assert get(client, "api:person-list", charge="inciting-discord").json()["count"] == 2
    assert get(client, "api:person-list", theme="civil-society").json()["count"] == 2
    assert get(client, "api:person-list", charge="no-such-charge").json()["count"] == 0
    assert [p["slug"] for p in get(client, "api:person-list", search="Бокаев").json()["results"]] == ["maks-bokaev"]
    assert get(client, "api:person-list", in_custody="false").json()["count"] == 2


def test_person_detail_lists_cases_with_charges_and_events_in_date_order(client, bokaev_case):
    data = get(client, "api:person-detail", "talgat-ayan").json()
    (case,) = data["cases"]
    assert case["slug"] == bokaev_case.slug
    assert case["charges"] == [{"slug": "inciting-discord", "name": "inciting discord", "article": "174"}]
    assert [e["date"] for e in case["events"]] == ["2016-05", "2018-04"]
    parole = case["events"][1]
    assert parole["date_display"] == "April 2018"
    assert (parole["date_start"], parole["date_end"]) == ("2018-04-01", "2018-04-30")
    assert parole["citations"][0]["quote"] == "In April, authorities released on parole Talgat Ayan"
    assert parole["citations"][0]["source"]["title"] == "World Report 2019: Kazakhstan"
    # Ayan's parole is his alone: it is not part of Bokaev's story.
    bokaev = get(client, "api:person-detail", "maks-bokaev").json()
    assert [e["type"] for e in bokaev["cases"][0]["events"]] == ["convicted"]


def test_cases_filter_and_show_stage_on_a_date(client, bokaev_case):
    other = make_case("Another case", kind="civil")
    make_event(other, "2018-10", stage=CaseStage.CLOSED)
    assert get(client, "api:case-list", person="talgat-ayan").json()["count"] == 1
    assert get(client, "api:case-list", charge="inciting-discord").json()["count"] == 1
    assert get(client, "api:case-list", theme="civil-society").json()["count"] == 1
    assert get(client, "api:case-list", kind="civil").json()["results"][0]["slug"] == other.slug
    assert get(client, "api:case-list", as_of="2018-06-30", kind="civil").json()["results"][0]["stage"] is None
    detail = get(client, "api:case-detail", bokaev_case.slug).json()
    assert detail["stage"] == "convicted"
    assert [p["slug"] for p in detail["people"]] == ["maks-bokaev", "talgat-ayan"]
    assert len(detail["events"]) == 2


def test_organizations_list_and_detail(client):
    outlet = make_organization("Ratel.kz", kind="media")
    case = make_case("Ratel.kz investigation", organizations=[outlet])
    make_event(case, "2018-01", type=EventType.INVESTIGATION_OPENED)
    assert get(client, "api:organization-list", search="ratel").json()["count"] == 1
    assert get(client, "api:case-list", organization="ratelkz").json()["count"] == 1
    detail = get(client, "api:organization-detail", outlet.slug).json()
    assert detail["cases"][0]["events"][0]["type"] == "investigation_opened"


def test_events_are_newest_first_and_filter_by_dates_and_type(client, bokaev_case):
    events = get(client, "api:event-list").json()["results"]
    assert [e["date"] for e in events] == ["2018-04", "2016-05"]
    assert events[0]["case"] == bokaev_case.slug
    assert get(client, "api:event-list", since="2018-01-01").json()["count"] == 1
    assert get(client, "api:event-list", until="2017-01-01").json()["count"] == 1
    assert get(client, "api:event-list", type="convicted").json()["count"] == 1


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("api:person-list", {"as_of": "2018-02-30"}, "as_of"),
        ("api:person-list", {"in_custody": "maybe"}, "in_custody"),
        ("api:person-list", {"custody": "vanished"}, "custody"),
        ("api:person-list", {"page": "-1"}, "page"),
        ("api:person-list", {"page": "abc"}, "page"),
        ("api:person-list", {"page": "²"}, "page"),
        ("api:person-list", {"page_size": "0"}, "page_size"),
        ("api:person-list", {"page_size": "201"}, "page_size"),
        ("api:case-list", {"as_of": "yesterday"}, "as_of"),
        ("api:case-list", {"kind": "tribunal"}, "kind"),
        ("api:event-list", {"since": "2018-13-01"}, "since"),
        ("api:event-list", {"type": "alien_abduction"}, "type"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, name, params, parameter):
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    assert parameter in response.json()


def test_a_page_past_the_end_answers_404(client, bokaev_case):
    assert client.get(reverse("api:person-list"), {"page": "99"}).status_code == 404


def test_an_address_no_route_takes_answers_404_in_json_and_a_missing_slash_is_added(client):
    unroutable = client.get(reverse("api:person-list") + "maks/bokaev/")
    assert unroutable.status_code == 404
    assert unroutable.json() == {"detail": "Not found."}
    without_slash = client.get(reverse("api:person-list").rstrip("/"))
    assert without_slash.status_code == 301 and without_slash["Location"] == reverse("api:person-list")


def test_the_openapi_schema_and_its_docs_page_are_served(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/people/" in schema.json()["paths"]
    assert client.get(reverse("api:docs")).status_code == 200


def test_the_api_is_read_only(client, bokaev_case):
    assert client.post(reverse("api:person-list"), {"name": "x"}).status_code == 405
    assert client.delete(reverse("api:person-detail", args=["maks-bokaev"])).status_code == 405


def basic_auth(username, password):
    return {"authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_the_api_reads_no_password_so_none_can_be_tried_there(client, alice_researcher):
    url = reverse("api:person-list")
    anonymous = client.get(url).json()
    for password in ["a wrong guess", PASSWORD]:
        response = client.get(url, headers=basic_auth("alice", password))
        assert response.status_code == 200 and "WWW-Authenticate" not in response
        assert response.json() == anonymous


def test_a_signed_in_researcher_is_anonymous_to_the_api(researcher_client):
    page = researcher_client.get(reverse("api:person-list"), headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "alice" not in page.content.decode()


def test_the_schema_offers_no_way_to_sign_in(client):
    schema = client.get(reverse("api:schema"), headers={"accept": "application/vnd.oai.openapi+json"}).json()
    assert "securitySchemes" not in schema["components"]
    assert all(
        operation.get("security", [{}]) == [{}] for path in schema["paths"].values() for operation in path.values()
    )


def test_list_queries_do_not_grow_with_the_number_of_results(client, django_assert_max_num_queries):
    for _ in range(30):
        person = make_person()
        make_event(make_case(people=[person]), "2018-03", custody=CustodyState.DETAINED)
    with django_assert_max_num_queries(6):
        assert get(client, "api:person-list").json()["count"] == 30
    with django_assert_max_num_queries(10):
        get(client, "api:case-list")
    with django_assert_max_num_queries(6):
        get(client, "api:event-list")


def test_the_api_front_page_is_titled_and_links_the_docs_and_the_exports(client):
    page = client.get(reverse("api:api-root"), HTTP_ACCEPT="text/html").content.decode()
    assert "<title>casetracker API" in page
    assert "default basic root view" not in page and "Django REST framework" not in page
    assert "no key or sign-in needed" in page
    assert f'href="{reverse("api:docs")}"' in page
    assert f'href="{reverse("cases:person-export", kwargs={"fmt": "csv"})}"' in page
    data = client.get(reverse("api:api-root"), HTTP_ACCEPT="application/json").json()
    assert data["people"].endswith(reverse("api:person-list"))
    assert data["documentation"] == "http://testserver" + reverse("api:docs")
    assert data["exports"]["json"]["events"] == "http://testserver/events/export.json"


def test_the_api_front_page_names_the_english_exports_whatever_the_browsers_language(client):
    data = client.get(reverse("api:api-root"), HTTP_ACCEPT_LANGUAGE="ru").json()
    assert data["exports"]["csv"]["people"] == "http://testserver/people/export.csv"


def test_the_schema_declares_no_security_and_says_no_authentication_is_needed(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "securitySchemes" not in schema.get("components", {})
    assert "security" not in schema
    operations = [operation for path in schema["paths"].values() for operation in path.values()]
    assert operations and all("security" not in operation for operation in operations)
    assert "No authentication is needed" in schema["info"]["description"]


def test_a_searched_people_list_joins_the_custody_for_the_people_it_serves_alone(client, bokaev_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        data = get(client, "api:person-list", search="Bokaev", as_of="2018-03-31").json()
    assert [(p["slug"], p["custody"]) for p in data["results"]] == [("maks-bokaev", "imprisoned")]
    people = [q["sql"] for q in queries if 'FROM "cases_person"' in q["sql"]]
    # The search's keys (which count them too) and the headcount read no custody; the people served do.
    assert len(people) >= 3 and len([sql for sql in people if "cases_custodyspan" in sql]) == 1
