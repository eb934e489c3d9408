"""Form widgets shared by the public filters and the admin's own forms."""

from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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
    """Django's select, drawn in Python: Django's own renders a template per option, which for a list
    of thousands of charges was most of a list page's time; its options' dictionaries and a
    template for the select were still a fifth of the filter form's. The same HTML
    (tests/test_widgets.py)."""

    def valued_option_attrs(self) -> dict:
        """Attributes every option with a value has besides Django's (`selected`)."""
        return {}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values, has_selected, parts = self.format_value(value), False, []
        valued = self.valued_option_attrs()
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, (list, tuple))
            if grouped and group_value:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_value)}">')
            for option_value, label in (
                group_label if grouped else [("" if group_value is None else group_value, group_label)]
            ):
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in values
                has_selected |= selected
                option_attrs = html_attrs({"selected": selected, **(valued if option_value else {})})
                parts.append(
                    f'\n  <option value="{escape(option_value)}"{option_attrs}>{conditional_escape(label)}</option>\n'
                )
            if grouped and group_value:
                parts.append("\n  </optgroup>")
        # Each value escaped above, as Django's templates escape them.
        return mark_safe(f'<select name="{escape(name)}"{html_attrs(attrs)}>{"".join(parts)}\n</select>')  # noqa: S308


class EnteredNamesSelect(ManyOptionsSelect):
    """A choice among records by name (charges, themes): the names stay as entered, in English, so a page
    in another language marks them (WCAG 3.1.2); the empty "any" choice is interface text."""

    def valued_option_attrs(self) -> dict:
        return {"lang": "en"} if page_language() != "en" else {}


# The punctuation that ends a label without a suffix: Django's own string, in Django's translations.
LABEL_ENDINGS = ":?.!"


class FilterBoundField(BoundField):
    """A public filter's field, its label and help drawn in Python: Django's field and label
    templates, each rendered through the template engine, cost half of a filter form of thirteen
    fields, the form a fifth of a list page. The same HTML (tests/test_widgets.py); its errors, on a
    page that cannot be read, as Django draws them."""

    def as_field_group(self) -> SafeString:
        if self.use_fieldset or not self.auto_id:
            return super().as_field_group()
        parts = [self.quick_label_tag()] if self.label else []
        if self.help_text:
            help_text = mark_safe(self.help_text)  # noqa: S308 (as Django's template marks it: |safe)
            parts.append(format_html('<div class="helptext" id="{}_helptext">{}</div>', self.auto_id, help_text))
        if self.errors:
            parts.append(str(self.errors))
        parts.append(str(self))
        return mark_safe("\n".join(parts))  # noqa: S308 (each part escaped or drawn by Django)

    def quick_label_tag(self) -> SafeString:
        """`label_tag()`, as Django draws it for a field with an id."""
        contents, suffix = self.label, self.field.label_suffix
        if suffix is None:
            suffix = self.form.label_suffix
        if suffix and contents and contents[-1] not in gettext(LABEL_ENDINGS):
            contents = format_html("{}{}", contents, suffix)
        attrs = {}
        if id_for_label := self.field.widget.id_for_label(self.field.widget.attrs.get("id") or self.auto_id):
            attrs["for"] = id_for_label
        if self.field.required and hasattr(self.form, "required_css_class"):
            attrs["class"] = self.form.required_css_class
        return format_html("<label{}>{}</label>", mark_safe(html_attrs(attrs)), contents)  # noqa: S308 (attributes escaped)
