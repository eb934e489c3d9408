"""The site search: one box on every public page, people, organisations and cases found together;
an empty result that says so and offers the nearest names; events searched like names."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.choices import CustodyState, EventType, NameLanguage, VariantKind
from cases.filters import EventFilter
from cases.models import Event, NameVariant
from cases.paging import CappedPaginator

from .factories import make_case, make_event, make_organization, make_person

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL only")


def russian_spelling(person, name):
    NameVariant.objects.create(person=person, name=name, kind=VariantKind.CYRILLIC, language=NameLanguage.RUSSIAN)
    return person


def page(client, name, params=None, language="en"):
    with translation.override(language):
        address = reverse(name)
    return client.get(address, params or {})


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", ["cases:home", "cases:person-list", "cases:source-list", "cases:search"])
def test_every_public_page_has_the_search_box_in_its_header(client, name, language):
    with translation.override(language):
        action = reverse("cases:search")
    html = page(client, name, language=language).content.decode()
    header = html.split("</header>")[0]
    assert f'action="{action}"' in header and 'role="search"' in header and 'name="q"' in header


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Search people, organisations and cases"), ("ru", "Поиск людей, организаций и дел")]
)
def test_the_home_page_shows_the_search_box_prominently_with_a_visible_label(client, language, label):
    html = page(client, "cases:home", language=language).content.decode()
    main = html.split('<main id="main"')[1]
    assert 'class="site-search prominent"' in main
    assert f'<label for="home-search">{label}</label>' in main


def test_people_organisations_and_cases_are_found_together_grouped_with_counts_and_links(client):
    bokaev = make_person("Maks Bokaev")
    make_person("Talgat Ayan")
    make_case("The Bokaev land protest case", people=[bokaev])
    make_organization("Bokaev Foundation")
    make_person("Hidden Bokaev", is_published=False)
    response = page(client, "cases:search", {"q": "Бокаев"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 results for “Бокаев”" in html
    assert "People (1)" in html and "Organisations (1)" in html and "Cases (1)" in html
    assert "Hidden" not in html and "Talgat" not in html
    assert 'href="/people/?search=%D0%91%D0%BE%D0%BA%D0%B0%D0%B5%D0%B2"' in html
    assert 'href="/organizations/?search=' in html and 'href="/cases/?search=' in html
    assert 'value="Бокаев"' in html  # the box keeps the query


def test_the_search_page_speaks_russian_under_ru(client):
    russian_spelling(make_person("Maks Bokaev"), "Макс Бокаев")
    html = page(client, "cases:search", {"q": "Bokaev"}, language="ru").content.decode()
    assert "1 результат по запросу «Bokaev»" in html
    assert 'href="/ru/people/?search=Bokaev"' in html
    assert "Макс Бокаев" in html


def test_an_empty_search_shows_the_box_only(client):
    response = page(client, "cases:search", {"q": "  "})
    assert response.status_code == 200
    assert "results for" not in response.content.decode()


def test_a_search_with_a_nul_byte_answers_400_with_a_message(client):
    response = page(client, "cases:search", {"q": "Bok\x00aev"})
    assert response.status_code == 400
    assert "This search cannot be read" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"), [("en", "No one matches “Zzyzx”."), ("ru", "Никто не найден по запросу «Zzyzx».")]
)
def test_a_search_that_finds_nothing_says_so(client, language, message):
    make_person("Maks Bokaev")
    html = page(client, "cases:search", {"q": "Zzyzx"}, language=language).content.decode()
    assert message in html


def test_an_empty_list_search_says_so_and_keeps_its_filters_removable(client):
    make_person("Maks Bokaev")
    html = page(client, "cases:person-list", {"search": "Zzyzx", "in_custody": "true"}).content.decode()
    assert "No one matches “Zzyzx”." in html
    assert 'href="/people/?in_custody=true">remove' in html
    assert 'href="/people/?search=Zzyzx">remove' in html


@on_postgresql
def test_on_postgresql_an_empty_search_suggests_the_nearest_published_name(client):
    make_person("Maks Bokaev")
    make_person("Maks Bokaevich", is_published=False)
    html = page(client, "cases:search", {"q": "Bokiyeva Maksa"}).content.decode()
    assert "No one matches “Bokiyeva Maksa”." in html
    assert 'Did you mean <a href="/search/?q=Maks+Bokaev">Maks Bokaev</a>?' in html
    assert "Bokaevich" not in html


@on_postgresql
def test_on_postgresql_an_empty_list_search_suggests_a_name_and_keeps_the_other_filters(client):
    russian_spelling(make_person("Maks Bokaev", country="KZ"), "Макс Бокаев")
    params = {"search": "Bokiyeva Maksa", "role": "", "country": "KZ"}
    html = page(client, "cases:person-list", params, language="ru").content.decode()
    assert "Никто не найден по запросу «Bokiyeva Maksa»." in html
    suggestion = '<a href="/ru/people/?search=Maks+Bokaev&amp;country=KZ">Макс Бокаев (Maks Bokaev)</a>'
    assert f"Вы имели в виду {suggestion}?" in html


def test_a_withheld_name_is_never_suggested_or_found(client):
    make_person("Gulnara Secretova", name_withheld=True, public_alias="Name withheld — a trade unionist")
    html = page(client, "cases:search", {"q": "Secretova"}).content.decode()
    assert "0 results for “Secretova”" in html and "Did you mean" not in html


@pytest.fixture
def events():
    bokaev = make_person("Maks Bokaev")
    ayan = make_person("Talgat Ayan")
    land = make_case("Land protest case", people=[bokaev, ayan])
    outlet = make_organization("Ratel.kz")
    blocking = make_case("Blocking case", organizations=[outlet])
    return {
        "everyone": make_event(land, "2016-05", type=EventType.CONVICTED, description="Both were sentenced in Atyrau."),
        "ayan": make_event(land, "2018-04", person=ayan, type=EventType.RELEASED_ON_PAROLE, description="Paroled."),
        "blocked": make_event(blocking, "2018-03", description="The court ordered the site blocked."),
        "hidden": make_event(
            land, "2018-06", custody=CustodyState.AT_LIBERTY, description="Quietly freed in Атырау.", is_published=False
        ),  # fmt: skip
    }


def shown(response) -> set[str]:
    return {event.description for event in response.context["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Бокаев", {"Both were sentenced in Atyrau."}),  # a subject's name, in another script
        ("Talgat Ayan", {"Both were sentenced in Atyrau.", "Paroled."}),
        ("Ratel", {"The court ordered the site blocked."}),  # an organisation of the case
        ("Атырау", {"Both were sentenced in Atyrau."}),  # the description, folded across scripts
        ("SENTENCED", {"Both were sentenced in Atyrau."}),
        ("Zzyzx", set()),
    ],
)
def test_events_are_searched_by_description_and_subjects_names(client, events, query, expected):
    response = page(client, "cases:event-list", {"search": query})
    assert response.status_code == 200
    assert shown(response) == expected


def test_event_search_reaches_the_exports_and_the_api(client, events):
    response = client.get(reverse("cases:event-export", kwargs={"fmt": "csv"}), {"search": "Ratel"})
    csv = b"".join(response.streaming_content)
    assert b"site blocked" in csv and b"Paroled" not in csv
    with translation.override("en"):
        api = client.get(reverse("api:event-list"), {"search": "Ratel"}).json()
    assert [event["description"] for event in api["results"]] == ["The court ordered the site blocked."]


def test_an_event_search_that_finds_nothing_says_so_in_russian(client, events):
    html = page(client, "cases:event-list", {"search": "Zzyzx"}, language="ru").content.decode()
    assert "Никто не найден по запросу «Zzyzx»." in html


def test_the_description_is_refolded_when_it_changes(events):
    event = events["ayan"]
    event.description = "Released on parole from Zhanaozen."
    event.save()
    assert "zhanaozen" in Event.objects.get(pk=event.pk).search_text
    assert list(Event.objects.search("Жанаозен")) == [event]


def test_the_search_page_takes_the_same_number_of_queries_however_many_it_finds(client):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(db) as captured:
            assert page(client, "cases:search", {"q": "Bokaev"}).status_code == 200
        return len(captured)

    make_case(people=[make_person("Maks Bokaev")], organizations=[make_organization("Bokaev Fund")])
    few = queries()
    for n in range(6):
        make_case(people=[make_person(f"Bokaev {n}")], organizations=[make_organization(f"Bokaev Fund {n}")])
    assert queries() == few


@pytest.fixture
def busy_case():
    """One person's case with six events, each matching "Bokaev" in its own way: by its words, as
    the person's own event, as an event of their whole case, and through an organisation."""
    bokaev = make_person("Maks Bokaev")
    outlet = make_organization("Bokaev Media")
    case = make_case("Land protest case", people=[bokaev], organizations=[outlet])
    other = make_case("Another case")
    events = [
        make_event(other, "2018-01", description="Bokaev spoke.", type=EventType.STATEMENT),
        make_event(case, "2018-02", person=bokaev, description="Detained.", type=EventType.DETAINED),
        make_event(case, "2018-03", description="Tried.", type=EventType.TRIAL),
        make_event(other, "2018-04", description="Bokaev wrote.", type=EventType.STATEMENT),
        make_event(case, "2018-05", person=bokaev, description="Released.", type=EventType.RELEASED),
        make_event(case, "2018-06", description="Closed.", type=EventType.CASE_CLOSED),
    ]
    make_event(other, "2018-07", description="Nothing to do with it.")
    return events


def test_a_searched_list_keeps_the_newest_matches_of_every_way_to_match(busy_case, monkeypatch):
    everything = list(Event.objects.published().search("Bokaev").newest_first())
    assert everything == busy_case[::-1]
    for first in (1, 2, 3):
        kept = Event.objects.published().search("Bokaev", first=first).newest_first()
        assert list(kept[:first]) == everything[:first]
    monkeypatch.setattr("cases.models.events.FEW_SUBJECTS", 0)  # the subjects read as subqueries
    assert list(Event.objects.published().search("Bokaev").newest_first()) == everything
    assert list(Event.objects.published().search("Bokaev", first=2).newest_first()[:2]) == everything[:2]


def test_a_searched_event_list_pages_through_the_newest_matches_in_hand_without_counting_them_again(
    client, busy_case, monkeypatch
):
    monkeypatch.setattr("cases.views.lists.PAGE_SIZE", 4)
    first = page(client, "cases:event-list", {"search": "Bokaev"})
    second = page(client, "cases:event-list", {"search": "Bokaev", "page": 2})
    assert [*first.context["results"], *second.context["results"]] == busy_case[::-1]
    assert first.context["count"] == 6
    searched = EventFilter({"search": "Bokaev"}, queryset=Event.objects.published().newest_first()).qs
    paginator = CappedPaginator(searched, 4, rows=Event.objects.published())
    with CaptureQueriesContext(connection) as read:
        assert (paginator.count, list(paginator.page(2))) == (6, busy_case[::-1][4:])
    assert len(read.captured_queries) == 1  # the page's rows, by the keys in hand
    # Cut to fewer than it found, the list keeps the newest and says there are more.
    monkeypatch.setattr("cases.filters.EventFilter.searched_up_to", 3)
    capped = page(client, "cases:event-list", {"search": "Bokaev"})
    assert list(capped.context["results"]) == busy_case[::-1][:3]


def test_a_search_is_applied_after_the_other_filters(client, busy_case, monkeypatch):
    # Kept before the type filter, the newest event of the whole case would be the closing, no trial.
    monkeypatch.setattr("cases.filters.EventFilter.searched_up_to", 1)
    response = page(client, "cases:event-list", {"search": "Bokaev", "type": EventType.TRIAL})
    assert [event.description for event in response.context["results"]] == ["Tried."]


def test_the_event_export_keeps_every_match_of_a_search(client, busy_case, monkeypatch):
    monkeypatch.setattr("cases.filters.EventFilter.searched_up_to", 1)
    response = client.get(reverse("cases:event-export", kwargs={"fmt": "json"}), {"search": "Bokaev"})
    body = json.loads(b"".join(response.streaming_content))
    assert len(body["results"]) == 6


def test_the_search_page_counts_each_kind_up_to_the_lists_cap_and_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr("cases.views.search.MAX_ROWS", 2)
    for name in ("Maks Bokaev", "Maks Ayan", "Maks Talgat"):
        make_person(name)
    make_case("Case of Maks")
    html = page(client, "cases:search", {"q": "Maks"}).content.decode()
    assert "More than 3 results for “Maks”" in html  # two people at most, and the case
    assert "People: more than 2" in html and "Cases: 1" in html
    assert "People: all matching “Maks”, with filters and downloads" in html
    russian = page(client, "cases:search", {"q": "Maks"}, language="ru").content.decode()
    assert "Более 3 результатов по запросу «Maks»" in russian and "Люди: более 2" in russian


def test_the_newest_of_several_parts_are_read_only_as_far_back_as_the_newest_already_in_hand():
    case = make_case()
    newest, second = make_event(case, "2018-05"), make_event(case, "2018-03")
    # Same dates as the second, made later: after it in the newest-first order's ties, by key.
    tied, older = make_event(case, "2018-03"), make_event(case, "2018-01")
    events = Event.objects.published()
    kept = events.newest_of_each(
        events.filter(pk__in=[newest.pk, second.pk]), events.filter(pk__in=[tied.pk, older.pk]), count=2
    )
    assert list(kept.newest_first()[:2]) == [newest, tied]
    assert older not in kept


def test_each_group_shows_its_closest_matches_first_and_counts_them_all(client, monkeypatch):
    monkeypatch.setattr("cases.views.search.RESULTS_PER_GROUP", 2)
    # Made, and named, in another order than the search's: the whole name, a name's start, a word's.
    make_person("Aigul Bokaevich")
    make_person("Bokaev Maks")
    make_person("Bokaev")
    response = page(client, "cases:search", {"q": "Bokaev"})
    people = response.context["groups"][0]
    assert people.count == 3
    assert [person.name for person in people.results] == ["Bokaev", "Bokaev Maks"]


@on_postgresql
def test_on_postgresql_the_planner_estimates_a_words_events_from_a_fine_sample_of_the_search_text():
    # Migration 0035: at the default 100 entries, a word's events were guessed at 147 or 30,000.
    # Migration 0041: the people's and cases' at the default (-1), which plans their search 5–10 ms sooner.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute"
            " WHERE attname = 'search_text' AND attrelid = ANY('{cases_event,cases_person,cases_case}'::regclass[])"
        )
        assert dict(cursor.fetchall()) == {"cases_event": 1000, "cases_person": -1, "cases_case": -1}
