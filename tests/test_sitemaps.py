"""sitemap.xml lists every published page in both languages, and nothing else; robots.txt points to it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def records():
    person = make_person("Maks Bokaev", slug="maks-bokaev")
    organization = make_organization("Ratel.kz", slug="ratel-kz")
    case = make_case(
        "Prosecution of Maks Bokaev",
        slug="prosecution-of-maks-bokaev",
        people=[person],
        organizations=[organization],
        charges=[make_charge("inciting discord")],
        themes=[make_theme("Civil Society")],
    )
    make_event(case, "2018-03", source=make_source("World Report", slug="world-report"))
    make_event(None, "2018-06", theme=make_theme("Torture"), quote=None)
    # Nothing published to show for these.
    make_person("Hidden Person", slug="hidden-person", is_published=False)
    make_organization("Hidden Org", slug="hidden-org", is_published=False)
    make_source("Hidden Source", slug="hidden-source", is_published=False)
    make_case(
        "Hidden case",
        slug="hidden-case",
        charges=[make_charge("secret charge")],
        themes=[make_theme("Secret theme")],
        is_published=False,
    )
    make_theme("Empty theme")


def sitemap_urls(client, site="http://testserver", **headers) -> list[ET.Element]:
    """Every <url> of every page the sitemap's index lists."""
    response = client.get(reverse("sitemap"), **headers)
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = []
    for location in index.iter(f"{SITEMAP}loc"):
        assert location.text.startswith(site)
        page = client.get(location.text.removeprefix(site), **headers)
        assert page.status_code == 200
        root = ET.fromstring(page.content)
        assert root.tag == f"{SITEMAP}urlset"
        urls += root.iter(f"{SITEMAP}url")
    return urls


def locations(client):
    return {url.findtext(f"{SITEMAP}loc").removeprefix("http://testserver") for url in sitemap_urls(client)}


def test_the_sitemap_lists_every_published_page_in_both_languages(client, records):
    expected = {
        "/",
        "/people/",
        "/cases/",
        "/organizations/",
        "/events/",
        "/statistics/",
        "/sources/",
        "/charges/",
        "/themes/",
        "/people/maks-bokaev/",
        "/organizations/ratel-kz/",
        "/cases/prosecution-of-maks-bokaev/",
        "/charges/inciting-discord/",
        "/themes/civil-society/",
        "/themes/torture/",
        "/sources/world-report/",
    }
    assert locations(client) == expected | {f"/ru{path}" for path in expected}


def test_the_sitemap_leaves_out_what_is_not_published_or_has_nothing_to_show(client, records):
    listed = " ".join(locations(client))
    for hidden in ("hidden-person", "hidden-org", "hidden-source", "hidden-case", "secret-charge", "secret-theme"):
        assert hidden not in listed
    assert "empty-theme" not in listed


def test_a_long_section_runs_to_several_pages_each_listed_in_the_index(client, records, monkeypatch):
    from cases.sitemaps import PublishedSitemap

    monkeypatch.setattr(PublishedSitemap, "limit", 1)
    people = [make_person(f"Person {number}") for number in range(3)]
    expected = {"/people/maks-bokaev/", *(person.get_absolute_url() for person in people)}
    assert {path for path in locations(client) if path.startswith("/people/") and path != "/people/"} == expected
    index = client.get(reverse("sitemap")).content.decode()
    last = max(person.pk for person in people)
    assert f"/sitemap-people.xml?p={last}</loc>" in index
    assert client.get(reverse("sitemap-section", args=["people"]), {"p": last + 1}).status_code == 404
    assert client.get(reverse("sitemap-section", args=["people"]), {"p": "x"}).status_code == 404


def test_each_address_names_its_other_language_and_a_default(client, records):
    urls = sitemap_urls(client)
    person = next(url for url in urls if url.findtext(f"{SITEMAP}loc").endswith("/maks-bokaev/"))
    alternates = {link.get("hreflang"): link.get("href") for link in person.iter(f"{XHTML}link")}
    assert alternates == {
        "en": "http://testserver/people/maks-bokaev/",
        "ru": "http://testserver/ru/people/maks-bokaev/",
        "x-default": "http://testserver/people/maks-bokaev/",
    }
    assert person.findtext(f"{SITEMAP}lastmod")


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_answers_only_get(client):
    assert client.post("/robots.txt").status_code == 405
