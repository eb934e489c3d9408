"""The public filters' fields and selects draw the same HTML as Django's templates, in Python."""

import pytest
from django import forms
from django.utils import translation
from pytest_django.asserts import assertHTMLEqual

from cases.widgets import EnteredNamesSelect, FilterBoundField, ManyOptionsSelect

from .factories import make_charge

CHOICES = [("", "Any charge"), ("hooliganism", "Hooliganism"), ("a&b", 'Quotes " and <tags>'), (7, "Seven")]


def test_a_select_with_many_options_draws_what_djangos_select_draws():
    for value in ("", "a&b", "7", ["hooliganism", "7"]):
        ours = ManyOptionsSelect(choices=CHOICES, attrs={"id": "id_charge", "class": "x"})
        django = forms.Select(choices=CHOICES, attrs={"id": "id_charge", "class": "x"})
        assert ours.render("charge", value) == django.render("charge", value)


def test_grouped_options_are_drawn_as_djangos_are():
    grouped = [("Group", [("a", "A"), ("b", "B")]), ("c", "C"), (None, "None"), ("", [("d", None)])]
    for value in ("b", "", None, "d", ["a", "c"]):
        assert ManyOptionsSelect(choices=grouped).render("g", value) == forms.Select(choices=grouped).render("g", value)


class ManyOptionsSelectMultiple(ManyOptionsSelect):
    allow_multiple_selected = True


def test_a_multiple_select_is_drawn_as_djangos_is():
    grouped = [("Group", [("a", "A"), ("b", "B")]), ("c", "C")]
    ours = ManyOptionsSelectMultiple(choices=grouped, attrs={"required": True, "disabled": False})
    django = forms.SelectMultiple(choices=grouped, attrs={"required": True, "disabled": False})
    assert ours.render("g", ["a", "c"]) == django.render("g", ["a", "c"])


def test_entered_names_are_marked_english_on_a_russian_page():
    with translation.override("ru"):
        html = EnteredNamesSelect(choices=CHOICES).render("charge", "hooliganism")
    assert '<option value="hooliganism" selected lang="en">Hooliganism</option>' in html
    assert '<option value="">Any charge</option>' in html


FILTERED = [
    ("/people/", "PersonFilter", "?country=KZ&as_of=2018-06-30&charge=fraud&sort=-name"),
    ("/organizations/", "OrganizationFilter", "?since=2018-13-01&search=a%26b"),
    ("/cases/", "CaseFilter", "?stage=no-such-stage&in_custody=true"),
    ("/events/", "EventFilter", "?since=2018-05-01&until=2018-04-01"),
    ("/statistics/", "StatisticsFilter", "?group=true&role=journalist"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(("path", "filterset", "query"), FILTERED)
def test_a_filter_forms_fields_are_drawn_as_djangos_templates_draw_them(path, filterset, query, language):
    from django.forms.boundfield import BoundField
    from django.http import QueryDict
    from django.test import RequestFactory

    from cases import filters

    make_charge("fraud")
    with translation.override(language):
        for data in ({}, QueryDict(query.lstrip("?"))):
            request = RequestFactory().get(path, data)
            form = getattr(filters, filterset)(request.GET, request=request).form
            form.is_valid()
            for name, field in form.fields.items():
                ours = form[name]
                assert isinstance(ours, FilterBoundField)
                assertHTMLEqual(ours.as_field_group(), BoundField(form, field, name).as_field_group())
