"""Atom feeds: valid Atom, entries dated by their events, with citations, and only what is published."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation

from cases import feeds
from cases.choices import CustodyState, EventType

from .factories import (
    make_case,
    make_charge,
    make_event,
    make_organization,
    make_person,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    """Ardak Ashim and a co-accused in one case, with a charge, a theme, an organisation and a source."""
    ardak = make_person("Ardak Ashim", slug="ardak-ashim")
    other = make_person("Talgat Ayan", slug="talgat-ayan")
    charge = make_charge("inciting discord")
    theme = make_theme("Civil Society")
    organization = make_organization("Ratel.kz", slug="ratel-kz")
    case = make_case(
        "Prosecution of Ardak Ashim",
        slug="prosecution-of-ardak-ashim",
        people=[ardak, other],
        charges=[charge],
        themes=[theme],
    )
    ratel_case = make_case("Investigation of Ratel.kz", organizations=[organization], charges=[charge])
    source = make_source("World Report 2019: Kazakhstan", publisher="Human Rights Watch")
    charged = make_event(
        case,
        "2018-03",
        person=ardak,
        type=EventType.CHARGED,
        description="Authorities charged Ardak Ashim.",
        source=source,
        quote="In March, authorities charged the Shymkent-based activist.",
    )
    make_event(
        case,
        "2018-08-17",
        type=EventType.CONVICTED,
        custody=CustodyState.IMPRISONED,
        description="Both were sentenced.",
        source=source,
        quote="On August 17, a court sentenced them.",
    )
    make_event(ratel_case, "2018-01", type=EventType.INVESTIGATION_OPENED, description="An investigation opened.")
    return {
        "person": ardak,
        "case": case,
        "charge": charge,
        "theme": theme,
        "organization": organization,
        "source": source,
        "charged": charged,
    }


def feed_urls(world):
    return [
        reverse("cases:feed-updates"),
        reverse("cases:feed-person", args=[world["person"].slug]),
        reverse("cases:feed-case", args=[world["case"].slug]),
        reverse("cases:feed-organization", args=[world["organization"].slug]),
        reverse("cases:feed-charge", args=[world["charge"].slug]),
        reverse("cases:feed-theme", args=[world["theme"].slug]),
    ]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def entry_titles(client, url):
    return [entry.findtext(f"{ATOM}title") for entry in entries(parse(client, url))]


def test_every_feed_is_valid_atom_with_the_required_elements(client, world):
    for url in feed_urls(world):
        feed = parse(client, url)
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert feed.findtext(f"{ATOM}{required}"), (url, required)
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == "casetracker"
        assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(url)
        assert entries(feed), url
        ids = [entry.findtext(f"{ATOM}id") for entry in entries(feed)]
        assert len(ids) == len(set(ids)), url
        for entry in entries(feed):
            for required in ("id", "title", "updated"):
                assert entry.findtext(f"{ATOM}{required}"), (url, required)
            assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")


def test_an_entry_is_titled_with_the_date_as_precise_as_the_source(client, world):
    titles = entry_titles(client, reverse("cases:feed-person", args=["ardak-ashim"]))
    # Newest first; an event of the whole case names its published people.
    assert titles == [
        "17 August 2018: Convicted or sentenced — Ardak Ashim, Talgat Ayan",
        "March 2018: Charged — Ardak Ashim",
    ]


def test_an_entry_is_dated_by_its_event_not_by_when_it_was_typed_in(client, world):
    feed = parse(client, reverse("cases:feed-person", args=["ardak-ashim"]))
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries(feed)]
    # "March 2018" is certainly over on 31 March: the day the timeline and custody go by.
    assert updated == ["2018-08-17T00:00:00+00:00", "2018-03-31T00:00:00+00:00"]
    assert feed.findtext(f"{ATOM}updated") == "2018-08-17T00:00:00+00:00"


def test_an_entry_dated_to_a_period_not_yet_over_is_not_dated_in_the_future(client, world):
    this_year = str(timezone.localdate().year)
    make_event(world["case"], this_year, person=world["person"], type=EventType.STATUS_REPORTED)
    feed = parse(client, reverse("cases:feed-person", args=["ardak-ashim"]))
    newest = entries(feed)[0].findtext(f"{ATOM}updated")
    assert newest[:10] <= timezone.localdate().isoformat()


def test_an_entry_carries_the_description_and_the_quote_with_its_source_link(client, world):
    feed = parse(client, reverse("cases:feed-case", args=["prosecution-of-ardak-ashim"]))
    charged = next(e for e in entries(feed) if e.findtext(f"{ATOM}title").startswith("March 2018"))
    summary = charged.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "Authorities charged Ardak Ashim." in summary.text
    assert "In March, authorities charged the Shymkent-based activist." in summary.text
    assert 'href="https://example.org/report"' in summary.text
    link = charged.find(f"{ATOM}link").get("href")
    assert link.endswith(f"/cases/prosecution-of-ardak-ashim/#event-{world['charged'].pk}")


def test_each_feed_holds_the_events_of_its_subject(client, world):
    elsewhere = make_case("Another case", people=[make_person("Someone Else")])
    make_event(elsewhere, "2018-05", type=EventType.DETAINED, description="Elsewhere.")
    assert entry_titles(client, reverse("cases:feed-organization", args=["ratel-kz"])) == [
        "January 2018: Investigation opened — Ratel.kz"
    ]
    assert len(entry_titles(client, reverse("cases:feed-charge", args=["inciting-discord"]))) == 3
    context = make_event(None, "2018-06", theme=world["theme"], type=EventType.CONTEXT, description="A new law.")
    assert len(entry_titles(client, reverse("cases:feed-updates"))) == 4  # case events only, no context
    for url in feed_urls(world)[1:]:
        assert not any("Someone Else" in title for title in entry_titles(client, url)), url
    theme_titles = entry_titles(client, reverse("cases:feed-theme", args=["civil-society"]))
    assert context.headline in theme_titles and len(theme_titles) == 3


def test_an_event_of_a_whole_case_appears_once_in_a_co_accused_persons_feed(client, world):
    titles = entry_titles(client, reverse("cases:feed-person", args=["talgat-ayan"]))
    assert titles == ["17 August 2018: Convicted or sentenced — Ardak Ashim, Talgat Ayan"]


@pytest.mark.parametrize(
    ("name", "model_key"),
    [("cases:feed-person", "person"), ("cases:feed-case", "case"), ("cases:feed-organization", "organization")],
)
def test_the_feed_of_an_unpublished_record_answers_404(client, world, name, model_key):
    record = world[model_key]
    type(record).objects.filter(pk=record.pk).update(is_published=False)
    assert client.get(reverse(name, args=[record.slug])).status_code == 404


def test_an_unknown_slug_answers_404(client, world):
    for name in ("cases:feed-person", "cases:feed-case", "cases:feed-charge", "cases:feed-theme"):
        assert client.get(reverse(name, args=["nothing-here"])).status_code == 404


def test_unpublished_events_never_appear_in_any_feed(client, world):
    make_event(world["case"], "2018-09", type=EventType.TRANSFERRED, description="Draft.", is_published=False)
    hidden_person = make_person("Hidden Person", is_published=False)
    world["case"].people.add(hidden_person)
    make_event(world["case"], "2018-10", person=hidden_person, type=EventType.DETAINED, description="Secret.")
    hidden_case = make_case("Hidden case", people=[world["person"]], charges=[world["charge"]], is_published=False)
    make_event(hidden_case, "2018-11", type=EventType.DETAINED, description="Unpublished case.")
    for url in feed_urls(world):
        body = client.get(url).content.decode()
        for secret in ("Draft.", "Secret.", "Hidden Person", "Unpublished case.", "Hidden case"):
            assert secret not in body, (url, secret)


def test_a_withheld_name_never_appears_in_a_feed(client, world):
    withheld = make_person(
        "Secret Realname", slug="name-withheld-1", name_withheld=True, public_alias="Name withheld — a trade unionist"
    )
    case = make_case("Prosecution of a trade unionist", people=[withheld], charges=[world["charge"]])
    make_event(case, "2018-04", person=withheld, type=EventType.CHARGED, description="A trade unionist was charged.")
    make_event(case, "2018-05", type=EventType.TRIAL, description="The trial opened.")
    urls = [reverse("cases:feed-person", args=["name-withheld-1"]), *feed_urls(world)]
    for url in urls:
        body = client.get(url).content.decode()
        assert "Secret" not in body and "Realname" not in body, url
    titles = entry_titles(client, reverse("cases:feed-person", args=["name-withheld-1"]))
    assert titles == [
        "May 2018: Trial — Name withheld — a trade unionist",
        "April 2018: Charged — Name withheld — a trade unionist",
    ]


def test_every_page_links_its_feed_in_the_head_and_visibly(client, world):
    pages = {
        reverse("cases:home"): reverse("cases:feed-updates"),
        reverse("cases:person-detail", args=["ardak-ashim"]): reverse("cases:feed-person", args=["ardak-ashim"]),
        reverse("cases:case-detail", args=[world["case"].slug]): reverse("cases:feed-case", args=[world["case"].slug]),
        reverse("cases:organization-detail", args=["ratel-kz"]): reverse("cases:feed-organization", args=["ratel-kz"]),
        reverse("cases:charge-detail", args=["inciting-discord"]): reverse(
            "cases:feed-charge", args=["inciting-discord"]
        ),
        reverse("cases:theme-detail", args=["civil-society"]): reverse("cases:feed-theme", args=["civil-society"]),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        head, body = html.split("</head>")
        assert 'type="application/atom+xml"' in head
        assert f'href="{feed}"' in head, page
        assert f'<a href="{feed}" type="application/atom+xml">' in body, page


def test_the_russian_feed_speaks_russian_and_keeps_the_record_as_entered(client, world):
    feed = parse(client, "/ru" + reverse("cases:feed-person", args=["ardak-ashim"]))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(feed)]
    assert titles[-1] == "март 2018: Предъявлено обвинение — Ardak Ashim"
    assert "Authorities charged Ardak Ashim." in ET.tostring(feed, encoding="unicode")
    assert entries(feed)[0].find(f"{ATOM}link").get("href").startswith("http://testserver/ru/cases/")


def test_a_feed_takes_the_same_number_of_queries_however_long_it_is(client, world, django_assert_max_num_queries):
    url = reverse("cases:feed-person", args=["ardak-ashim"])
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for day in range(1, 21):
        make_event(world["case"], date(2018, 9, day).isoformat(), person=world["person"], type=EventType.TRANSFERRED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_every_feed_points_a_browser_to_its_stylesheet_and_still_parses_as_atom(client, world):
    xsl = static("cases/feed.xsl")
    for url in feed_urls(world):
        content = client.get(url).content.decode()
        declaration, _, rest = content.partition("?>")
        assert declaration.startswith("<?xml")
        instruction, _, rest = rest.strip().partition("?>")
        assert instruction.startswith(f'<?xml-stylesheet href="{xsl}"') and 'type="text/xsl"' in instruction, url
        assert rest.startswith("<feed"), url
        feed = ET.fromstring(content)
        assert feed.tag == f"{ATOM}feed"
        assert feed.find(f"{ATOM}link[@rel='stylesheet']").get("href") == f"http://testserver{static('cases/site.css')}"


def test_the_feed_stylesheet_is_a_static_file_the_csp_allows(client, world):
    response = client.get(reverse("cases:feed-updates"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    stylesheet = finders.find("cases/feed.xsl")
    assert stylesheet is not None
    transform = ET.parse(stylesheet).getroot()
    assert transform.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    text = ET.tostring(transform, encoding="unicode")
    assert "style=" not in text and "<script" not in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_russian_feed_says_so_for_the_stylesheet_to_speak_russian(client, world, language):
    with translation.override(language):
        url = reverse("cases:feed-updates")
    feed = ET.fromstring(client.get(url).content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language


def test_a_browser_gets_the_feed_as_xml_so_it_applies_the_stylesheet_and_readers_still_get_atom(client, world):
    url = reverse("cases:feed-updates")
    browser = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    reader = client.get(url, HTTP_ACCEPT="application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1")
    assert browser["Content-Type"] == "application/xml; charset=utf-8"
    assert reader["Content-Type"].startswith("application/atom+xml")
    assert "Accept" in browser["Vary"] and "Accept" in reader["Vary"]
    assert browser.content == reader.content


def test_a_theme_feed_holds_the_newest_of_its_cases_events_and_its_developments_together(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LENGTH", 3)
    theme = make_theme("Civil Society")
    case = make_case("The case", themes=[theme])
    for day in ("2018-01-10", "2018-03-10", "2018-05-10"):
        make_event(case, day, description=f"In the case on {day}.")
    for day in ("2017-12-10", "2018-04-10"):
        make_event(None, day, theme=theme, type=EventType.CONTEXT, description=f"A development on {day}.")
    titles = entry_titles(client, reverse("cases:feed-theme", args=[theme.slug]))
    assert [title.split(": ", 1)[0] for title in titles] == ["10 May 2018", "10 April 2018", "10 March 2018"]
