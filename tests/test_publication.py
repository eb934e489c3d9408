"""Only published records exist for the public: anything else answers 404, everywhere."""

import pytest
from django.urls import reverse

from cases.choices import CustodyState, EventType

from .factories import make_case, make_event, make_organization, make_person, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    """A published case with one unpublished person, one unpublished event and an unpublished case."""
    secret_person = make_person("Secret Person", is_published=False)
    public_person = make_person("Public Person")
    case = make_case("Public case", people=[secret_person, public_person])
    make_event(case, "2018-03", custody=CustodyState.DETAINED, description="Published detention.")
    make_event(case, "2018-05", type=EventType.RELEASED, description="Draft release.", is_published=False)
    draft_case = make_case("Draft case", people=[public_person], is_published=False)
    make_event(draft_case, "2018-06", description="Event of a draft case.")
    make_organization("Secret Org", is_published=False)
    make_source("Secret source", is_published=False)
    return case


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("cases:person-detail", "secret-person"),
        ("cases:case-detail", "draft-case"),
        ("cases:organization-detail", "secret-org"),
        ("cases:source-detail", "secret-source"),
        ("api:person-detail", "secret-person"),
        ("api:case-detail", "draft-case"),
        ("api:organization-detail", "secret-org"),
    ],
)
def test_an_unpublished_record_answers_404(client, hidden, name, slug):
    assert client.get(reverse(name, args=[slug])).status_code == 404


def test_lists_and_nested_records_leave_out_what_is_not_published(client, hidden):
    people = client.get(reverse("api:person-list")).json()
    assert [p["slug"] for p in people["results"]] == ["public-person"]
    assert client.get(reverse("api:organization-list")).json()["count"] == 0

    cases = client.get(reverse("api:case-list")).json()
    assert [c["slug"] for c in cases["results"]] == ["public-case"]
    assert [p["slug"] for p in cases["results"][0]["people"]] == ["public-person"]

    descriptions = [e["description"] for e in client.get(reverse("api:event-list")).json()["results"]]
    assert descriptions == ["Published detention."]

    detail = client.get(reverse("api:person-detail", args=["public-person"])).json()
    assert [c["slug"] for c in detail["cases"]] == ["public-case"]
    assert detail["custody"] == "detained"


def test_public_pages_show_no_unpublished_name_or_event(client, hidden):
    for url in [
        reverse("cases:home"),
        reverse("cases:case-detail", args=["public-case"]),
        reverse("cases:person-detail", args=["public-person"]),
    ]:
        html = client.get(url).content.decode()
        assert "Secret Person" not in html
        assert "Draft release." not in html
        assert "Event of a draft case." not in html


def test_an_event_about_an_unpublished_person_stays_hidden(client, hidden):
    secret = hidden.people.get(slug="secret-person")
    make_event(hidden, "2018-07", person=secret, description="About the secret person.")
    assert (
        "About the secret person."
        not in client.get(reverse("cases:case-detail", args=["public-case"])).content.decode()
    )
    assert client.get(reverse("api:event-list")).json()["count"] == 1
