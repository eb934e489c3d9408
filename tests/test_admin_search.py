"""The admin's search box: Django's rules (every word, any field, case-insensitive), each record
once, and no DISTINCT over a whole list."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_case, make_event, make_person


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_a_person_found_by_two_of_their_spellings_is_listed_once(editor_client):
    person = make_person("Maks Bokayev", variants=["Max Bokaev", "Макс Бокаев"])
    make_person("Someone Else")

    response = editor_client.get(reverse("admin:cases_person_changelist"), {"q": "bok"})

    assert listed(response) == [person]


def test_every_word_must_match_some_field(editor_client):
    both = make_person("Talgat Ayan", location="Atyrau")
    make_person("Talgat Someone", location="Almaty")

    response = editor_client.get(reverse("admin:cases_person_changelist"), {"q": "talgat atyrau"})

    assert listed(response) == [both]


def test_a_quoted_phrase_is_one_word(editor_client):
    phrase = make_person("Ayan Talgat")
    make_person("Talgat Ayan")

    response = editor_client.get(reverse("admin:cases_person_changelist"), {"q": '"ayan talgat"'})

    assert listed(response) == [phrase]


def test_a_case_is_found_by_a_defendants_spelling_and_an_event_by_its_quote(editor_client):
    person = make_person("Maks Bokayev", variants=["Бокаев"])
    case = make_case("Atyrau land protest", people=[person])
    event = make_event(case, quote="sentenced to five years")
    make_event(make_case("Other case"), quote="released")

    cases = listed(editor_client.get(reverse("admin:cases_case_changelist"), {"q": "Бокаев"}))
    events = listed(editor_client.get(reverse("admin:cases_event_changelist"), {"q": "FIVE YEARS"}))

    assert (cases, events) == ([case], [event])


def test_searching_across_relations_never_makes_the_list_distinct(editor_client):
    make_case("Atyrau land protest", people=[make_person("Maks Bokayev", variants=["Бокаев", "Bokaev"])])

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse("admin:cases_case_changelist"), {"q": "bok"})

    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"] and "cases_case" in q["sql"]]
