"""The public lists: filters in the query string, search, sorting, pages, and clear errors."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases import filters
from cases.choices import CaseStage, CustodyState, EventType, OrganizationKind, Role
from cases.models import Person, Theme

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db

LISTS = ["cases:person-list", "cases:case-list", "cases:organization-list", "cases:event-list"]


@pytest.fixture
def world():
    """Bokaev imprisoned since 2016; Ayan paroled in April 2018; Ashim detained in Shymkent, then freed."""
    discord = make_charge("inciting discord")
    fraud = make_charge("large-scale fraud")
    civil_society = make_theme("Civil Society")
    media = make_theme("Freedom of Media")
    bokaev = make_person("Maks Bokaev", role=Role.ACTIVIST, location="Atyrau")
    ayan = make_person("Talgat Ayan", role=Role.ACTIVIST, location="Atyrau")
    ashim = make_person("Ardak Ashim", role=Role.JOURNALIST, location="Shymkent")
    make_person("Aigul Nobody")  # no case at all
    land = make_case("Land protest case", people=[bokaev, ayan], charges=[discord], themes=[civil_society])
    posts = make_case("Social media case", people=[ashim], charges=[discord], themes=[media], kind="administrative")
    outlet = make_organization("Ratel.kz", kind=OrganizationKind.MEDIA)
    blocking = make_case("Ratel.kz blocking", organizations=[outlet], charges=[fraud], themes=[media], kind="civil")
    source = make_source("World Report 2019")
    make_event(land, "2016-05", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, stage=CaseStage.CONVICTED,
               source=source)  # fmt: skip
    make_event(land, "2018-04", type=EventType.RELEASED_ON_PAROLE, custody=CustodyState.CONDITIONAL_RELEASE,
               person=ayan, source=source)  # fmt: skip
    make_event(posts, "2018-03-02", type=EventType.DETAINED, custody=CustodyState.DETAINED, source=source)
    make_event(posts, "2018-05-10", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY, stage=CaseStage.CLOSED,
               source=source)  # fmt: skip
    make_event(blocking, "2018-01", type=EventType.INVESTIGATION_OPENED, stage=CaseStage.INVESTIGATION, source=source)
    return {"land": land, "posts": posts, "blocking": blocking}


def listed(client, name="cases:person-list", **params) -> list[str]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [record.slug for record in response.context["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["aigul-nobody", "ardak-ashim", "maks-bokaev", "talgat-ayan"]),
        ({"custody": "imprisoned"}, ["maks-bokaev"]),
        ({"custody": "unknown"}, ["aigul-nobody"]),
        ({"in_custody": "true"}, ["maks-bokaev"]),
        ({"in_custody": "false"}, ["aigul-nobody", "ardak-ashim", "talgat-ayan"]),
        ({"kind": "administrative"}, ["ardak-ashim"]),
        ({"charge": "inciting-discord"}, ["ardak-ashim", "maks-bokaev", "talgat-ayan"]),
        ({"charge": "no-such-charge"}, []),
        ({"theme": "freedom-of-media"}, ["ardak-ashim"]),
        ({"location": "atyr"}, ["maks-bokaev", "talgat-ayan"]),
        ({"role": "journalist"}, ["ardak-ashim"]),
        ({"since": "2018-04-15"}, ["ardak-ashim", "talgat-ayan"]),
        ({"since": "2018-03-01", "until": "2018-03-31"}, ["ardak-ashim"]),
        ({"until": "2017-01-01"}, ["maks-bokaev", "talgat-ayan"]),
        ({"search": "Бокаев"}, ["maks-bokaev"]),
        ({"search": "Talgat", "in_custody": "true"}, []),
    ],
)
def test_people_list_filters(client, world, params, expected):
    assert listed(client, **params) == expected


def test_as_of_shows_everyones_status_on_that_date(client, world):
    assert listed(client, as_of="2018-03-31", in_custody="true") == ["ardak-ashim", "maks-bokaev", "talgat-ayan"]
    assert listed(client, as_of="2018-04-30", in_custody="true") == ["ardak-ashim", "maks-bokaev"]
    assert listed(client, as_of="2018-05-31", in_custody="true") == ["maks-bokaev"]
    assert listed(client, as_of="2015-12-31", custody="unknown") == [
        "aigul-nobody",
        "ardak-ashim",
        "maks-bokaev",
        "talgat-ayan",
    ]
    html = client.get(reverse("cases:person-list"), {"as_of": "2018-03-31"}).content.decode()
    assert "Custody on 31 March 2018" in html
    assert "Detained (pre-trial)" in html  # Ashim on that date, at liberty now


def test_people_sort_by_name_either_way_and_by_latest_custody_change(client, world):
    assert listed(client, sort="-name") == ["talgat-ayan", "maks-bokaev", "ardak-ashim", "aigul-nobody"]
    # Ashim's release (May 2018) is newer than Ayan's parole (April 2018); Nobody has no status at all.
    assert listed(client, sort="latest") == ["ardak-ashim", "talgat-ayan", "maks-bokaev", "aigul-nobody"]
    # On 31 March 2018, Ashim's latest change was his detention, Ayan's and Bokaev's their 2016 jailing.
    assert listed(client, sort="latest", as_of="2018-03-31") == ["ardak-ashim", "maks-bokaev", "talgat-ayan",
                                                                 "aigul-nobody"]  # fmt: skip


def test_search_results_come_best_match_first_unless_sorted(client):
    make_person("Nurlan Asetov")
    make_person("Aset Mataev")
    assert listed(client, search="aset") == ["aset-mataev", "nurlan-asetov"]
    assert listed(client, search="aset", sort="-name") == ["nurlan-asetov", "aset-mataev"]


def test_cases_list_filters(client, world):
    everything = ["land-protest-case", "ratelkz-blocking", "social-media-case"]
    assert listed(client, "cases:case-list") == everything
    assert listed(client, "cases:case-list", kind="civil") == ["ratelkz-blocking"]
    assert listed(client, "cases:case-list", stage="closed") == ["social-media-case"]
    assert listed(client, "cases:case-list", stage="investigation", as_of="2018-06-30") == ["ratelkz-blocking"]
    assert listed(client, "cases:case-list", as_of="2018-04-30", stage="convicted") == ["land-protest-case"]
    assert listed(client, "cases:case-list", charge="inciting-discord") == ["land-protest-case", "social-media-case"]
    assert listed(client, "cases:case-list", theme="freedom-of-media") == ["ratelkz-blocking", "social-media-case"]
    assert listed(client, "cases:case-list", in_custody="true") == ["land-protest-case"]
    assert listed(client, "cases:case-list", in_custody="true", as_of="2018-03-31") == [
        "land-protest-case",
        "social-media-case",
    ]
    assert listed(client, "cases:case-list", in_custody="false") == ["ratelkz-blocking", "social-media-case"]
    assert listed(client, "cases:case-list", custody="conditional_release") == ["land-protest-case"]
    assert listed(client, "cases:case-list", person="ardak-ashim") == ["social-media-case"]
    assert listed(client, "cases:case-list", since="2018-05-01") == ["social-media-case"]
    assert listed(client, "cases:case-list", search="ратель") == ["ratelkz-blocking"]
    assert listed(client, "cases:case-list", sort="latest") == ["social-media-case", "land-protest-case",
                                                                  "ratelkz-blocking"]  # fmt: skip


def test_organizations_list_filters(client, world):
    make_organization("Atyrau Union", kind=OrganizationKind.TRADE_UNION, location="Atyrau")
    assert listed(client, "cases:organization-list") == ["atyrau-union", "ratelkz"]
    assert listed(client, "cases:organization-list", kind="media") == ["ratelkz"]
    assert listed(client, "cases:organization-list", charge="large-scale-fraud") == ["ratelkz"]
    assert listed(client, "cases:organization-list", theme="civil-society") == []
    assert listed(client, "cases:organization-list", location="atyrau") == ["atyrau-union"]
    assert listed(client, "cases:organization-list", since="2018-01-01", until="2018-01-31") == ["ratelkz"]
    assert listed(client, "cases:organization-list", search="ratel") == ["ratelkz"]


def test_events_list_filters_newest_first(client, world):
    response = client.get(reverse("cases:event-list"))
    assert [e.type for e in response.context["results"]] == [
        "released",
        "released_on_parole",
        "detained",
        "investigation_opened",
        "convicted",
    ]
    response = client.get(reverse("cases:event-list"), {"since": "2018-03-01", "until": "2018-04-30"})
    assert [e.type for e in response.context["results"]] == ["released_on_parole", "detained"]
    response = client.get(reverse("cases:event-list"), {"type": "convicted", "person": "talgat-ayan"})
    assert [e.type for e in response.context["results"]] == ["convicted"]
    response = client.get(reverse("cases:event-list"), {"person": "maks-bokaev"})
    assert [e.type for e in response.context["results"]] == ["convicted"]  # Ayan's parole is his alone
    response = client.get(reverse("cases:event-list"), {"theme": "freedom-of-media"})
    assert len(response.context["results"]) == 3


def test_the_result_count_and_active_filters_each_with_a_remove_link(client, world):
    response = client.get(reverse("cases:person-list"), {"charge": "inciting-discord", "in_custody": "false"})
    html = response.content.decode()
    assert "2 people" in html
    chips = {f.label: f for f in response.context["active_filters"]}
    assert chips["Charge"].value == "inciting discord"
    assert chips["In custody"].value == "no"
    assert chips["Charge"].remove_url == reverse("cases:person-list") + "?in_custody=false"
    assert chips["In custody"].remove_url == reverse("cases:person-list") + "?charge=inciting-discord"
    assert 'href="/people/?in_custody=false"' in html


def test_the_form_keeps_the_query_so_the_link_can_be_shared(client, world):
    html = client.get(reverse("cases:person-list"), {"as_of": "2018-06-30", "custody": "imprisoned"}).content.decode()
    assert 'value="2018-06-30"' in html
    assert '<option value="imprisoned" selected>' in html
    assert "as_of=2018-06-30&amp;custody=imprisoned" in html  # export links carry the same filters


class Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.labels = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.controls.append(attrs.get("id"))
        if tag == "label":
            self.labels.add(attrs.get("for"))


@pytest.mark.parametrize("name", [*LISTS, "cases:statistics"])
def test_every_control_has_a_label_and_pages_have_no_inline_script_or_style(client, world, name):
    html = client.get(reverse(name)).content.decode()
    parser = Controls()
    parser.feed(html)
    assert parser.controls
    assert all(control and control in parser.labels for control in parser.controls), parser.controls
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)


@pytest.mark.parametrize("name", LISTS)
def test_the_navigation_links_every_list(client, name):
    assert f'href="{reverse(name)}"' in client.get(reverse("cases:home")).content.decode()


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("cases:person-list", {"as_of": "2018-02-30"}, "Enter a valid date."),
        ("cases:person-list", {"custody": "vanished"}, "Select a valid choice."),
        ("cases:person-list", {"in_custody": "maybe"}, "Select a valid choice."),
        ("cases:person-list", {"sort": "salary"}, "Select a valid choice."),
        ("cases:person-list", {"since": "2018-06-01", "until": "2018-01-01"}, "must not be before its start"),
        ("cases:case-list", {"kind": "tribunal"}, "Select a valid choice."),
        ("cases:organization-list", {"kind": "cartel"}, "Select a valid choice."),
        ("cases:event-list", {"type": "alien_abduction"}, "Select a valid choice."),
        ("cases:person-list", {"page": "abc"}, "The page number must be a whole number"),
        ("cases:person-list", {"page": "0"}, "The page number must be a whole number"),
        ("cases:statistics", {"as_of": "yesterday"}, "Enter a valid date."),
        ("cases:person-list", {"search": "Bok\x00aev"}, "Null characters are not allowed."),
        ("cases:case-list", {"location": "\x00"}, "Null characters are not allowed."),
    ],
)
def test_a_bad_value_answers_400_with_the_message_on_the_page(client, name, params, message):
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "These filters cannot be read" in html
    assert message in html


def test_pages_of_25_and_a_page_past_the_end_answers_404(client):
    for number in range(30):
        make_person(f"Person {number:02d}")
    first = client.get(reverse("cases:person-list"))
    assert len(first.context["results"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("cases:person-list"), {"page": "2"})
    assert [p.slug for p in second.context["results"]] == [f"person-{n}" for n in range(25, 30)]
    assert client.get(reverse("cases:person-list"), {"page": "3"}).status_code == 404


def test_the_page_link_keeps_the_filters(client):
    for number in range(30):
        make_person(f"Person {number:02d}", location="Almaty")
    html = client.get(reverse("cases:person-list"), {"location": "Almaty"}).content.decode()
    assert 'href="?location=Almaty&amp;page=2"' in html


def test_unpublished_records_are_never_listed(client, world):
    secret = make_person("Secret Person", is_published=False)
    world["land"].people.add(secret)
    draft = make_case("Draft case", people=[Person.objects.get(slug="ardak-ashim")], is_published=False)
    make_event(draft, "2018-09", type=EventType.DETAINED, custody=CustodyState.DETAINED, description="Draft arrest.")
    make_event(world["land"], "2018-10", type=EventType.RELEASED, is_published=False, description="Draft release.")
    make_organization("Secret Org", is_published=False)
    assert "secret-person" not in listed(client)
    assert "draft-case" not in listed(client, "cases:case-list")
    assert "secret-org" not in listed(client, "cases:organization-list")
    assert listed(client, in_custody="true") == ["maks-bokaev"]  # the draft arrest changes nothing
    assert listed(client, search="Secret") == []
    html = "".join(client.get(reverse(name)).content.decode() for name in LISTS)
    for hidden in ["Secret Person", "Draft case", "Secret Org", "Draft arrest.", "Draft release."]:
        assert hidden not in html


def test_a_withheld_name_is_never_shown_searched_or_sorted_by(client):
    make_person("Zara Alpha")
    make_person(
        "Aaron Secretov",
        slug="withheld-1",
        variants=["Аарон Секретов"],
        name_withheld=True,
        public_alias="Name withheld — a trade unionist",
    )
    # Sorted by the alias ("N…"), not the real name ("A…"), which would give it away.
    assert listed(client) == ["withheld-1", "zara-alpha"]
    assert listed(client, search="Secretov") == []
    assert listed(client, search="Секретов") == []
    assert listed(client, search="trade unionist") == ["withheld-1"]
    html = client.get(reverse("cases:person-list")).content.decode()
    assert "Secretov" not in html and "Секретов" not in html
    assert "Name withheld — a trade unionist" in html


def test_charge_page_lists_everyone_charged_and_theme_page_links_its_lists(client, world):
    html = client.get(reverse("cases:charge-detail", args=["inciting-discord"])).content.decode()
    for name in ["Maks Bokaev", "Talgat Ayan", "Ardak Ashim"]:
        assert name in html
    assert "Aigul Nobody" not in html
    assert f'href="{reverse("cases:person-list")}?charge=inciting-discord"' in html
    html = client.get(reverse("cases:theme-detail", args=["freedom-of-media"])).content.decode()
    assert "Social media case" in html and "Ratel.kz blocking" in html
    assert f'href="{reverse("cases:case-list")}?theme=freedom-of-media"' in html


def populate(count: int):
    charge, theme = make_charge(), make_theme()
    source = make_source()
    for _ in range(count):
        person = make_person(variants=["Вариант"])
        organization = make_organization()
        case = make_case(people=[person], organizations=[organization], charges=[charge], themes=[theme])
        make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED, source=source)


@pytest.mark.parametrize("count", [2, 6])
@pytest.mark.parametrize(
    ("name", "params", "most"),
    [
        # The people list also counts the individuals its records stand for (a group as its size);
        # every list offers the countries of published records; one more per kind of subject named:
        # their spellings, for the names on the Russian pages. Without a date the people list also
        # counts the last reports too old to confirm. A page is read as its keys, then their rows.
        ("cases:person-list", {}, 9),
        ("cases:person-list", {"as_of": "2018-06-30", "in_custody": "true", "sort": "latest", "search": "person"}, 8),
        ("cases:case-list", {}, 12),
        ("cases:case-list", {"charge": "", "as_of": "2018-06-30", "in_custody": "true"}, 12),
        ("cases:organization-list", {}, 7),
        ("cases:event-list", {}, 6),
        ("cases:event-list", {"person": "person-1", "since": "2018-01-01"}, 6),
    ],
)
def test_queries_per_page_do_not_grow_with_the_results(
    client, django_assert_max_num_queries, count, name, params, most
):
    populate(count)
    with django_assert_max_num_queries(most):
        response = client.get(reverse(name), params)
    assert response.status_code == 200


def test_a_filtered_list_keeps_its_filters_in_the_permanent_link_and_says_when_it_changed(client):
    make_event(make_case(people=[make_person("Maks Bokaev")]), "2016-05", custody=CustodyState.IMPRISONED)
    response = client.get(reverse("cases:person-list"), {"in_custody": "true"})
    html = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/people/?in_custody=true">' in html
    assert "<title>People — casetracker</title>" in html
    assert "Last updated" in html


@pytest.mark.parametrize("few_cases", [0, 500])
def test_a_themes_events_are_the_same_read_by_walking_or_by_their_keys(client, world, monkeypatch, few_cases):
    # 0: every theme has "many" cases, read by walking the events; 500: few, read by their keys.
    monkeypatch.setattr(filters, "FEW_CASES", few_cases)
    context = make_event(None, "2018-07", theme=Theme.objects.get(slug="freedom-of-media"), type=EventType.CONTEXT)
    results = client.get(reverse("cases:event-list"), {"theme": "freedom-of-media"}).context["results"]
    assert len(results) == 4 and results[0] == context
    assert client.get(reverse("cases:event-list"), {"theme": "no-such-theme"}).context["results"] == []


def test_a_filtered_people_list_joins_the_custody_for_its_rows_alone(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:person-list"), {"charge": "inciting-discord"})
    assert response.status_code == 200 and response.context["results"]
    people = [q["sql"] for q in queries if 'FROM "cases_person"' in q["sql"]]
    joined = [sql for sql in people if "cases_custodyspan" in sql]
    # The page's rows show the custody; the keys, the count and the headcount read none.
    assert len(joined) == 1 and len(people) >= 4
    assert all(person.custody for person in response.context["results"])
