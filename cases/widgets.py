"""Form widgets shared by the public filters and the admin's own forms."""

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from .localized import page_language


class DateInput(forms.DateInput):
    """A day typed as YYYY-MM-DD, the same in every language and browser.

    Not the browser's date picker: it shows the date in the browser's locale (mm/dd/yyyy in an
    English Chromium, whatever the page's language), beside help that says YYYY-MM-DD. The pattern
    lets a browser point out a mistyped date; the server still checks it and says what is wrong.
    A phone's numeric keypad may have no hyphen, so eight digits (20180630) are read as 2018-06-30.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "inputmode": "numeric",
            "pattern": r"\d{4}-?\d{2}-?\d{2}",
            "placeholder": "YYYY-MM-DD",
            "autocomplete": "off",
            "size": "10",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str) and len(value.strip()) == 8 and value.strip().isdigit():
            value = value.strip()
            return f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return value


def html_attrs(attrs: dict) -> str:
    """Attributes as Django's `attrs.html` draws them: a true value by its name alone, a false one not at all."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class ManyOptionsSelect(forms.Select):
    """Django's select, its options drawn in Python: Django's own renders a template per option, which
    for a list of thousands of charges was most of a list page's time, and a template loop over them
    still a tenth of it. The same HTML (tests/test_widgets.py)."""

    template_name = "cases/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = []
        for group_name, group_choices, _index in context["widget"]["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape(option["value"])}"{html_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in group_choices
            )
            if group_name:
                parts.append("\n  </optgroup>")
        context["widget"]["options_html"] = mark_safe("".join(parts))  # noqa: S308 (each value escaped above)
        return context


class EnteredNamesSelect(ManyOptionsSelect):
    """A choice among records by name (charges, themes): the names stay as entered, in English, so a page
    in another language marks them (WCAG 3.1.2); the empty "any" choice is interface text."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and page_language() != "en":
            option["attrs"]["lang"] = "en"
        return option
