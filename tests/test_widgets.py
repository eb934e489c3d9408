"""The public filters' selects draw the same HTML as Django's, in one template."""

from django import forms
from django.utils import translation

from cases.widgets import EnteredNamesSelect, ManyOptionsSelect

CHOICES = [("", "Any charge"), ("hooliganism", "Hooliganism"), ("a&b", 'Quotes " and <tags>'), (7, "Seven")]


def test_a_select_with_many_options_draws_what_djangos_select_draws():
    for value in ("", "a&b", "7", ["hooliganism", "7"]):
        ours = ManyOptionsSelect(choices=CHOICES, attrs={"id": "id_charge", "class": "x"})
        django = forms.Select(choices=CHOICES, attrs={"id": "id_charge", "class": "x"})
        assert ours.render("charge", value) == django.render("charge", value)


def test_grouped_options_are_drawn_as_djangos_are():
    grouped = [("Group", [("a", "A"), ("b", "B")]), ("c", "C")]
    assert ManyOptionsSelect(choices=grouped).render("g", "b") == forms.Select(choices=grouped).render("g", "b")


def test_entered_names_are_marked_english_on_a_russian_page():
    with translation.override("ru"):
        html = EnteredNamesSelect(choices=CHOICES).render("charge", "hooliganism")
    assert '<option value="hooliganism" selected lang="en">Hooliganism</option>' in html
    assert '<option value="">Any charge</option>' in html
