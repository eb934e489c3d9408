"""Template filters for record content in the reader's language (see cases.localized)."""

from django import template
from django.utils.html import format_html

from .. import localized as _localized

register = template.Library()


@register.filter
def name(record):
    """{{ person|name }}: the public name, in Cyrillic on the Russian pages when recorded."""
    return _localized.name_html(record)


@register.filter
def localized(record, field: str):
    """{{ case|localized:"title" }}: the Russian version on the Russian pages, else the field marked English."""
    return _localized.in_language(*_localized.localized(record, field))


@register.filter
def lang(text, code: str = "en"):
    """{{ event.description|lang }}: text entered in `code` (English by default), marked when the page is not."""
    return _localized.in_language(text, code)


@register.filter
def variant(name_variant):
    """{{ variant|variant }}: a spelling marked with its language when it is not the page's."""
    return _localized.in_language(name_variant.name, name_variant.lang)


@register.filter
def lang_attribute(code: str):
    """<p{{ "en"|lang_attribute }}>: ` lang="en"` for an element whose content is in `code`, when the page is not."""
    code = code or "en"
    return format_html(' lang="{}"', code) if code != _localized.page_language() else ""
