"""Template tags that draw the statistics' bar charts (see cases.statistics.bar_chart for their geometry)."""

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from django import template
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from ..models import Headcount
from ..statistics import Bar, BarChart, MonthCount

register = template.Library()


@register.simple_tag
def chart_bars(chart: BarChart) -> SafeString:
    """{% chart_bars chart %}: a bar for each month, with its figures as its title. Drawn here rather
    than in a template loop: a chart has hundreds of months and the page two charts, which the template
    language took most of the page's time to draw a tag at a time. Numbers are written unlocalised,
    as SVG reads them; the title, the only text, is escaped."""
    carried_text = gettext("%(carried)s carried forward, unconfirmed")
    return mark_safe("\n    ".join(_bar(bar, carried_text) for bar in chart.bars))


def _bar(bar: Bar, carried_text: str) -> str:
    month = bar.month
    title = f"{month_name(month.month_end)}: {month.count}"
    if month.carried_forward:
        title += f" ({carried_text % {'carried': month.carried_forward}})"
    carried = (
        f'<rect class="bar carried" x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.carried_height}"/>'
        if bar.carried_height
        else ""
    )
    return (
        f'<g><title>{escape(title)}</title><rect class="bar" x="{bar.x}" y="{bar.reported_y}" width="{bar.width}"'
        f' height="{bar.reported_height}"/>{carried}</g>'
    )


@register.simple_tag
def chart_table_rows(months: Sequence[MonthCount]) -> SafeString:
    """{% chart_table_rows months %}: the chart as the rows of a table, a month a row (drawn here for
    the same reason as the bars)."""
    return mark_safe("".join(_row(month) for month in months))


def _row(month: MonthCount) -> str:
    headcount = month.headcount
    language = get_language()
    apart = f" {escape(_groups_apart(month.unknown_groups, language))}" if month.unknown_groups else ""
    return (
        f'<tr><th scope="row"><time datetime="{month.month_end:%Y-%m}">{escape(month_name(month.month_end))}</time>'
        f"</th><td>{escape(headcount.number)}{apart}</td><td>{_localized(month.carried_forward, language)}</td></tr>"
    )


# The same few hundred numbers recur month after month: each formatted once per language, as the
# month names are (localising and translating them a row at a time took a fifth of the page).
@lru_cache(maxsize=4096)
def _localized(number: int, language: str) -> str:
    return str(localize(number))  # in the active language, which `language` names for the cache


@lru_cache(maxsize=1024)
def _groups_apart(unknown_groups: int, language: str) -> str:
    return Headcount(unknown_groups=unknown_groups).groups_apart


def month_name(day: date) -> str:
    """The month of `day` in the page's language ("June 2018"): a page names each month three times."""
    return _month_name(day, get_language())


@lru_cache(maxsize=4096)
def _month_name(day: date, language: str) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")  # in the active language, which `language` names for the cache
