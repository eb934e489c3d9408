"""Form widgets shared by the public filters and the admin's own forms."""

from django import forms

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


class ManyOptionsSelect(forms.Select):
    """Django's select, drawn in one template: Django's own renders a template per option, which for
    a list of thousands of charges was most of a list page's time. The same HTML
    (tests/test_widgets.py)."""

    template_name = "cases/widgets/select.html"


class EnteredNamesSelect(ManyOptionsSelect):
    """A choice among records by name (charges, themes): the names stay as entered, in English, so a page
    in another language marks them (WCAG 3.1.2); the empty "any" choice is interface text."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and page_language() != "en":
            option["attrs"]["lang"] = "en"
        return option
