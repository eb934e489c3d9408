"""The charges and themes have index pages, as sources do, each in the navigation; a source's
language reads as a name."""

import pytest
from django.urls import reverse
from django.utils import translation

from .factories import make_case, make_charge, make_event, make_source, make_theme

pytestmark = pytest.mark.django_db


def get(client, name, language="en", **params):
    with translation.override(language):
        address = reverse(name, kwargs=params.pop("kwargs", None))
    return client.get(address, params)


def test_the_charges_page_lists_only_charges_of_published_cases_with_their_counts(client):
    discord = make_charge("inciting discord", article="Article 174")
    fraud = make_charge("large-scale fraud")
    make_charge("never used")
    make_case(charges=[discord])
    make_case(charges=[discord, fraud])
    make_case(charges=[fraud], is_published=False)
    make_case(charges=[make_charge("only in a draft")], is_published=False)
    response = get(client, "cases:charge-list")
    html = response.content.decode()
    assert response.status_code == 200
    assert [(c.name, c.case_count) for c in response.context["charges"]] == [
        ("inciting discord", 2),
        ("large-scale fraud", 1),
    ]
    assert f'href="{discord.get_absolute_url()}"' in html and "Article 174" in html
    assert 'href="/cases/?charge=inciting-discord">2</a>' in html
    assert "never used" not in html and "only in a draft" not in html


def test_the_themes_page_counts_published_cases_and_developments_outside_a_case(client):
    media = make_theme("Freedom of Media")
    labour = make_theme("Labour Rights")
    make_theme("Unused")
    make_case(themes=[media])
    make_case(themes=[media], is_published=False)
    make_event(None, "2018-05", theme=labour, description="A new trade union law.")
    make_event(None, "2018-06", theme=media, description="Unpublished.", is_published=False)
    response = get(client, "cases:theme-list")
    rows = [(t.name, t.case_count, t.development_count) for t in response.context["themes"]]
    assert rows == [("Freedom of Media", 1, 0), ("Labour Rights", 0, 1)]
    assert "Unused" not in response.content.decode()


@pytest.mark.parametrize(("language", "title"), [("en", "<h1>Charges</h1>"), ("ru", "<h1>Обвинения</h1>")])
def test_the_charges_page_speaks_the_pages_language(client, language, title):
    make_case(charges=[make_charge("inciting discord")])
    assert title in get(client, "cases:charge-list", language).content.decode()


def test_empty_indexes_say_so(client):
    assert "No published case has a charge yet." in get(client, "cases:charge-list").content.decode()
    assert "Пока ничего опубликованного не отнесено к темам." in get(client, "cases:theme-list", "ru").content.decode()


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", ["cases:charge-list", "cases:theme-list", "cases:source-list"])
def test_the_navigation_links_charges_themes_and_sources(client, name, language):
    with translation.override(language):
        address = reverse(name)
    html = get(client, "cases:home", language).content.decode()
    navigation = html.split('<nav aria-label="')[1].split("</nav>")[0]
    assert f'href="{address}"' in navigation


@pytest.mark.parametrize(
    ("language", "code", "shown"),
    [("en", "en", "English"), ("ru", "en", "английский"), ("en", "kk", "Kazakh"), ("en", "xx-weird", "xx-weird")],
)
def test_a_source_shows_its_language_by_name(client, language, code, shown):
    source = make_source("World Report 2019", language=code)
    make_event(make_case(), "2018-03", source=source)
    with translation.override(language):
        address = source.get_absolute_url()
    assert f"<dd>{shown}</dd>" in client.get(address).content.decode()
