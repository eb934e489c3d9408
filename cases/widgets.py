"""Form widgets shared by the public filters and the admin's own forms."""

from django import forms

from .localized import page_language


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as YYYY-MM-DD, whatever the page's language."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class EnteredNamesSelect(forms.Select):
    """A choice among records by name (charges, themes): the names stay as entered, in English, so a page
    in another language marks them (WCAG 3.1.2); the empty "any" choice is interface text."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and page_language() != "en":
            option["attrs"]["lang"] = "en"
        return option
