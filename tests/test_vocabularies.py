"""Charges and themes reach the public only through what is published: a value nothing published
uses is nowhere public, and once public it is changed by an Editor only, with history."""

import pytest
from django.urls import reverse

from cases.models import Charge, Theme

from .factories import make_case, make_charge, make_event, make_theme

pytestmark = pytest.mark.django_db

LISTS = ["cases:person-list", "cases:case-list", "cases:organization-list", "cases:event-list", "cases:statistics"]


def charge_form(charge, **changes) -> dict:
    return {"name": charge.name, "slug": charge.slug, "article": charge.article, "description": "", **changes}


def test_a_charge_or_theme_that_nothing_published_uses_is_nowhere_public(client):
    make_case(
        "Draft case", charges=[make_charge("secret charge")], themes=[make_theme("Secret theme")], is_published=False
    )
    make_event(None, "2018-06", theme=make_theme("Draft law"), is_published=False)
    make_case("Public case", charges=[make_charge("public charge")], themes=[make_theme("Public theme")])
    for name, slug in [("charge", "secret-charge"), ("theme", "secret-theme"), ("theme", "draft-law")]:
        assert client.get(reverse(f"cases:{name}-detail", args=[slug])).status_code == 404, slug
        assert client.get(reverse(f"cases:feed-{name}", args=[slug])).status_code == 404, slug
    for url in [*map(reverse, LISTS), reverse("api:case-list") + "?format=api"]:
        html = client.get(url).content.decode()
        assert "secret charge" not in html and "Secret theme" not in html and "Draft law" not in html, url
    html = client.get(reverse("cases:case-list")).content.decode()
    assert "public charge" in html and "Public theme" in html
    assert client.get(reverse("cases:charge-detail", args=["public-charge"])).status_code == 200


def test_a_charge_or_theme_is_public_when_any_of_its_cases_is_published_whatever_the_order():
    # The check walks a term's cases one by one and stops at the first published one.
    shared_charge, shared_theme = make_charge("shared charge"), make_theme("Shared theme")
    draft_charge, draft_theme = make_charge("draft charge"), make_theme("Draft theme")
    both = {"charges": [shared_charge, draft_charge], "themes": [shared_theme, draft_theme]}
    make_case("Draft one", **both, is_published=False)
    make_case("Public one", charges=[shared_charge], themes=[shared_theme])
    make_case("Draft two", **both, is_published=False)
    assert list(Charge.objects.public()) == [shared_charge]
    assert list(Theme.objects.public()) == [shared_theme]
    assert shared_theme.is_public and not draft_theme.is_public
    assert shared_charge.is_public and not draft_charge.is_public


def test_a_researcher_cannot_change_a_charge_that_a_published_case_uses(researcher_client):
    charge = make_charge("inciting discord")
    make_case("Public case", charges=[charge])
    url = reverse("admin:cases_charge_change", args=[charge.pk])
    assert "only an Editor can change it" in researcher_client.get(url).content.decode()
    assert researcher_client.post(url, charge_form(charge, name="Renamed")).status_code == 403
    first = charge.history.get()
    revert = reverse("admin:cases_charge_simple_history", args=[charge.pk, first.history_id])
    assert researcher_client.post(revert, charge_form(charge, name="Renamed")).status_code == 403
    assert Charge.objects.get(pk=charge.pk).name == "inciting discord"


def test_a_researcher_changes_a_charge_no_published_case_uses_and_its_history_says_so(
    researcher_client, alice_researcher
):
    charge = make_charge("draft charge")
    make_case("Draft case", charges=[charge], is_published=False)
    url = reverse("admin:cases_charge_change", args=[charge.pk])
    assert researcher_client.post(url, charge_form(charge, name="Renamed charge")).status_code == 302
    assert Charge.objects.get(pk=charge.pk).name == "Renamed charge"
    latest = charge.history.latest()
    assert latest.history_user == alice_researcher
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == ["name"]


@pytest.mark.parametrize("model", [Charge, Theme])
def test_an_editor_changes_a_public_charge_or_theme_and_its_history_shows_the_change(editor_client, erin_editor, model):
    value = make_charge("inciting discord") if model is Charge else make_theme("Civil Society")
    make_case("Public case", charges=[value] if model is Charge else [], themes=[value] if model is Theme else [])
    name = model._meta.model_name
    url = reverse(f"admin:cases_{name}_change", args=[value.pk])
    response = editor_client.post(url, {"name": "Renamed", "slug": value.slug, "article": "", "description": ""})
    assert response.status_code == 302
    assert model.objects.get(pk=value.pk).name == "Renamed"
    latest = value.history.latest()
    assert latest.history_user == erin_editor
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == ["name"]
    history = editor_client.get(reverse(f"admin:cases_{name}_history", args=[value.pk])).content.decode()
    assert "inciting discord" in history or "Civil Society" in history
