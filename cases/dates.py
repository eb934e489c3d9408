"""Dates as precise as the source and no more.

"In March" is not 1 March: a reported date is the interval the phrase allows
(earliest, latest) with its precision. It is written back as the source's precision
("March 2018") and exchanged as EDTF (Library of Congress Extended Date/Time Format).
"""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from .choices import DatePrecision

# A month named on its own ("March 2018"). Django's own month names are capitalised for
# Russian ("Март"); in running text and dates Russian writes them in lower case ("март 2018").
# After "since" or "from" Russian needs the genitive ("с марта 2018"): that is Django's "E".
MONTHS = {
    1: pgettext_lazy("month name on its own", "January"),
    2: pgettext_lazy("month name on its own", "February"),
    3: pgettext_lazy("month name on its own", "March"),
    4: pgettext_lazy("month name on its own", "April"),
    5: pgettext_lazy("month name on its own", "May"),
    6: pgettext_lazy("month name on its own", "June"),
    7: pgettext_lazy("month name on its own", "July"),
    8: pgettext_lazy("month name on its own", "August"),
    9: pgettext_lazy("month name on its own", "September"),
    10: pgettext_lazy("month name on its own", "October"),
    11: pgettext_lazy("month name on its own", "November"),
    12: pgettext_lazy("month name on its own", "December"),
}
DAY_FORMAT = "j E Y"  # "17 August 2018", "17 августа 2018": a day takes the genitive month in Russian.
MONTH_AFTER_PREPOSITION_FORMAT = "E Y"  # "since March 2018", "с марта 2018".


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def today() -> date:
    """The current local date: the one clock the public status reads, so tests can set it."""
    return timezone.localdate()


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_sentence(day: date, months: int, days: int) -> date:
    return months_before(day, -months) + timedelta(days=days)


def part_of_sentence(months: int | None, days: int | None, numerator: int, denominator: int) -> tuple[int, int]:
    """That fraction of a sentence, in whole months and days. Rounded down: the part served is a
    minimum, so a start counted back from it stays a latest start."""
    whole, rest = divmod((months or 0) * numerator, denominator)
    return whole, (rest * 30 + (days or 0) * numerator) // denominator


def sentence_in_words(months: int | None, days: int | None) -> str:
    """A sentence's length as a court gives it: "5 years", "1 year 6 months", "15 days"."""
    parts = []
    if months:
        years, months = divmod(months, 12)
        if years:
            parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
        if months:
            parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    return " ".join(parts)


def day_in_words(day: date) -> str:
    return formats.date_format(day, DAY_FORMAT)


def confirmed_since(on: date | None = None) -> date:
    """The earliest day a report can end and still confirm a status on `on` (default today).

    A status whose latest report ended before it is "unconfirmed since" that report, never "now".
    """
    return months_before(on or today(), settings.CUSTODY_CONFIRMED_MONTHS)


def age_in_words(day: date, on: date | None = None) -> str:
    """How long before `on` (default today) `day` was, in whole years or months: "7 years ago"."""
    on = on or today()
    months = (on.year - day.year) * 12 + on.month - day.month - (on.day < day.day)
    if months >= 12:
        years = months // 12
        return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}
    if months >= 1:
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    return _("less than a month ago")


def month_in_words(day: date) -> str:
    return pgettext("a month and its year, as in “March 2018”", "%(month)s %(year)s") % {
        "month": MONTHS[day.month],
        "year": day.year,
    }


def month_after_preposition(day: date) -> str:
    return formats.date_format(day, MONTH_AFTER_PREPOSITION_FORMAT)


def edtf_year(day: date) -> str:
    # Four digits always: EDTF and ISO 8601 require them, and strftime("%Y") drops the zeros
    # of a year before 1000, which then neither parses back nor sorts in order.
    return f"{day.year:04d}"


def edtf_month(day: date) -> str:
    return f"{edtf_year(day)}-{day.month:02d}"


def months_of_the_year(first: int, last: int) -> Callable[[date], tuple[date, date]]:
    return lambda day: (date(day.year, first, 1), last_day_of_month(day.year, last))


@dataclass(frozen=True)
class Precision:
    """How a date of one precision is read, bounded, exchanged and said.

    `interval` turns the reported day into the earliest and latest dates the phrase allows (None
    for a range, whose ends are given). `edtf` writes the date as one EDTF value; without it the
    date travels as an EDTF interval. `edtf_code` is the EDTF level 2 sub-year code that names it
    ("2018-40"), `phrase` the English word that names it ("early 2018"): both are read by `parse`.
    """

    interval: Callable[[date], tuple[date, date]] | None
    words: Callable[[date], str]
    since: Callable[[date], str]
    edtf: Callable[[date], str] | None = None
    edtf_code: str = ""
    phrase: str = ""


# One row a precision. EDTF level 2 codes 40 and 41 are its "semestral" sub-year groupings;
# "early", "mid" and "late" have none, so they travel as an interval of months.
PRECISIONS: dict[str, Precision] = {
    DatePrecision.DAY: Precision(
        interval=lambda day: (day, day),
        words=day_in_words,
        since=lambda day: _("since %(date)s") % {"date": day_in_words(day)},
        edtf=date.isoformat,
    ),
    DatePrecision.MONTH: Precision(
        interval=lambda day: (day.replace(day=1), last_day_of_month(day.year, day.month)),
        words=month_in_words,
        since=lambda day: _("since %(date)s") % {"date": month_after_preposition(day)},
        edtf=edtf_month,
    ),
    DatePrecision.EARLY: Precision(
        interval=months_of_the_year(1, 4),
        words=lambda day: _("early %(year)s") % {"year": day.year},
        since=lambda day: _("since early %(year)s") % {"year": day.year},
        phrase="early",
    ),
    DatePrecision.MID: Precision(
        interval=months_of_the_year(5, 8),
        words=lambda day: _("mid-%(year)s") % {"year": day.year},
        since=lambda day: _("since mid-%(year)s") % {"year": day.year},
        phrase="mid",
    ),
    DatePrecision.LATE: Precision(
        interval=months_of_the_year(9, 12),
        words=lambda day: _("late %(year)s") % {"year": day.year},
        since=lambda day: _("since late %(year)s") % {"year": day.year},
        phrase="late",
    ),
    DatePrecision.FIRST_HALF: Precision(
        interval=months_of_the_year(1, 6),
        words=lambda day: _("first half of %(year)s") % {"year": day.year},
        since=lambda day: _("since the first half of %(year)s") % {"year": day.year},
        edtf=lambda day: f"{edtf_year(day)}-40",
        edtf_code="40",
    ),
    DatePrecision.SECOND_HALF: Precision(
        interval=months_of_the_year(7, 12),
        words=lambda day: _("second half of %(year)s") % {"year": day.year},
        since=lambda day: _("since the second half of %(year)s") % {"year": day.year},
        edtf=lambda day: f"{edtf_year(day)}-41",
        edtf_code="41",
    ),
    DatePrecision.YEAR: Precision(
        interval=months_of_the_year(1, 12),
        words=lambda day: str(day.year),
        since=lambda day: _("since %(year)s") % {"year": day.year},
        edtf=edtf_year,
    ),
    # A range is said from its two ends (FuzzyDate.display), never from one day.
    DatePrecision.RANGE: Precision(interval=None, words=str, since=str),
}
BY_EDTF_CODE = {row.edtf_code: precision for precision, row in PRECISIONS.items() if row.edtf_code}
BY_PHRASE = {row.phrase: precision for precision, row in PRECISIONS.items() if row.phrase}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PHRASE = re.compile(r"^(" + "|".join(BY_PHRASE) + r")[ -](\d{4})$")


@dataclass(frozen=True)
class FuzzyDate:
    start: date
    end: date
    precision: str

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(_("The earliest date must not be after the latest date."))

    # Construction ---------------------------------------------------------------

    @classmethod
    def from_precision(cls, precision: str, start: date, end: date | None = None) -> "FuzzyDate":
        """The interval a precision allows around `start`; `end` is used only for ranges."""
        precision = DatePrecision(precision)
        interval = PRECISIONS[precision].interval
        if interval is not None:
            return cls(*interval(start), precision)
        if end is None:
            raise ValueError(_("A date range needs its latest date."))
        return cls(start, end, precision)

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        """Read EDTF (`2018-08-17`, `2018-03`, `2018`, `2018-40`, `2018-03/2018-11`) or `early 2018`."""
        text = (text or "").strip()
        try:
            if "/" in text:
                first, last = (cls.parse(part) for part in text.split("/", 1))
                return cls(first.start, last.end, DatePrecision.RANGE)
            if match := _DAY.match(text):
                return cls.from_precision(DatePrecision.DAY, date(*map(int, match.groups())))
            if match := _MONTH.match(text):
                year, code = match.groups()
                if code in BY_EDTF_CODE:
                    return cls.from_precision(BY_EDTF_CODE[code], date(int(year), 1, 1))
                return cls.from_precision(DatePrecision.MONTH, date(int(year), int(code), 1))
            if match := _YEAR.match(text):
                return cls.from_precision(DatePrecision.YEAR, date(int(match.group(1)), 1, 1))
            if match := _PHRASE.match(text.lower()):
                return cls.from_precision(BY_PHRASE[match.group(1)], date(int(match.group(2)), 1, 1))
        except ValueError as error:
            raise ValueError(_("%(text)r is not a valid date: %(error)s") % {"text": text, "error": error}) from error
        raise ValueError(
            _(
                "%(text)r is not a date this system reads: use 2018-08-17, 2018-03, 2018, 2018-40, "
                "early 2018 or 2018-03/2018-11."
            )
            % {"text": text}
        )

    def less_part_of_sentence(self, months: int | None, days: int | None, fraction: tuple[int, int]) -> "FuzzyDate":
        """The latest a custody can have begun when `fraction` of a sentence was served by this date."""
        served_months, served_days = part_of_sentence(months, days, *fraction)
        return self.shifted(-served_months, -served_days)

    def shifted(self, months: int, days: int = 0) -> "FuzzyDate":
        """This date moved by a sentence, as precise as it was: "March 2018" + 2 years is "March 2020"."""
        if not days and self.precision != DatePrecision.RANGE:
            return FuzzyDate.from_precision(self.precision, add_sentence(self.start, months, 0))
        first, last = add_sentence(self.start, months, days), add_sentence(self.end, months, days)
        return FuzzyDate(first, last, DatePrecision.DAY if first == last else DatePrecision.RANGE)

    # Presentation ---------------------------------------------------------------

    @property
    def _row(self) -> Precision:
        return PRECISIONS[self.precision]

    @property
    def _whole_months(self) -> bool:
        return self.start.day == 1 and self.end == last_day_of_month(self.end.year, self.end.month)

    @property
    def edtf(self) -> str:
        if self._row.edtf is not None:
            return self._row.edtf(self.start)
        if self._whole_months:
            return f"{edtf_month(self.start)}/{edtf_month(self.end)}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def html_datetime(self) -> str:
        """The value for an HTML <time datetime>: a day, a month or a year, never more precise than known."""
        if self.precision in (DatePrecision.DAY, DatePrecision.MONTH):
            return self.edtf
        if self.start.year == self.end.year:
            return edtf_year(self.start)
        return self.start.isoformat()

    @property
    def display(self) -> str:
        """The date in words, as precise as the source: "17 August 2018", "March 2018", "early 2018"."""
        if self.precision == DatePrecision.RANGE:
            first, last = self._range_ends
            return _("between %(first)s and %(last)s") % {"first": first, "last": last}
        return self._row.words(self.start)

    @property
    def display_since(self) -> str:
        """The date after "since", as a status line needs it: "since March 2018", "с марта 2018"."""
        if self.precision == DatePrecision.RANGE:
            first, last = self._range_ends
            return _("since some time between %(first)s and %(last)s") % {"first": first, "last": last}
        return self._row.since(self.start)

    @property
    def display_after_preposition(self) -> str:
        """The date after "by" or "from": a month in the Russian genitive ("не позднее марта 2016")."""
        if self.precision == DatePrecision.MONTH:
            return month_after_preposition(self.start)
        return self.display

    @property
    def at_the_latest(self) -> "FuzzyDate":
        """The latest part of the date, as precisely as it was given: a range's last month or day."""
        if self.precision != DatePrecision.RANGE:
            return self
        return FuzzyDate.parse(self.edtf.split("/")[-1])

    @property
    def display_around(self) -> str:
        """A computed date, said as the estimate it is: "around May 2021", "some time between … and …"."""
        if self.precision == DatePrecision.RANGE:
            first, last = self._range_ends
            return _("some time between %(first)s and %(last)s") % {"first": first, "last": last}
        return _("around %(date)s") % {"date": self.display}

    @property
    def _range_ends(self) -> tuple[str, str]:
        # The first end follows "from" in Russian ("с марта 2018 по ноябрь 2018"), so it takes
        # the genitive; the last follows "to" and keeps the month's own form.
        if self._whole_months:
            return month_after_preposition(self.start), month_in_words(self.end)
        return day_in_words(self.start), day_in_words(self.end)

    def __str__(self) -> str:
        return self.display
