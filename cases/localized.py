"""Record content in the reader's language: on the Russian pages a name in its Russian spelling
(with the Latin form beside it) and a case's or summary's Russian version when one is recorded;
whatever stays in another language is marked with its `lang`, so a screen reader switches voice
(WCAG 3.1.2)."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .choices import NameLanguage


def page_language() -> str:
    return (get_language() or NameLanguage.ENGLISH).split("-")[0]


def reading_russian() -> bool:
    return page_language() == NameLanguage.RUSSIAN


def in_language(text: str, lang: str) -> SafeString:
    """`text`, escaped, wrapped in a span with its `lang` when that is not the page's language."""
    if not text or lang == page_language():
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', lang, text)


def localized(record, field: str) -> tuple[str, str]:
    """(text, language) of `field` for this page: its Russian version (`<field>_ru`) on the Russian pages
    when recorded, else the field as entered, in English."""
    if reading_russian() and (russian := getattr(record, f"{field}_ru", "")):
        return russian, NameLanguage.RUSSIAN
    return getattr(record, field), NameLanguage.ENGLISH


def localized_text(record, field: str) -> str:
    return localized(record, field)[0]


def display_name(record) -> str:
    """The public name as plain text for this page: "Макс Бокаев (Maks Bokaev)" on the Russian pages."""
    if reading_russian() and (russian := record.russian_name):
        return f"{russian} ({record.public_name})"
    return record.public_name


def name_html(record) -> SafeString:
    """The public name as markup for this page, the Latin form marked as such on the Russian pages."""
    if reading_russian() and (russian := record.russian_name):
        return format_html('{} <span class="latin" lang="en">({})</span>', russian, record.public_name)
    return in_language(record.public_name, NameLanguage.ENGLISH)
