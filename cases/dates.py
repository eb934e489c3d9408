"""Dates as precise as the source and no more.

"In March" is not 1 March: a reported date is the interval the phrase allows
(earliest, latest) with its precision. It is written back as the source's precision
("March 2018") and exchanged as EDTF (Library of Congress Extended Date/Time Format).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from .choices import DatePrecision

# Parts of a year, as (first month, last month). EDTF level 2 codes 40 and 41 are its
# "semestral" sub-year groupings; "early", "mid" and "late" have none, so they travel
# as an interval of months.
PARTS_OF_YEAR = {
    DatePrecision.EARLY: (1, 4),
    DatePrecision.MID: (5, 8),
    DatePrecision.LATE: (9, 12),
    DatePrecision.FIRST_HALF: (1, 6),
    DatePrecision.SECOND_HALF: (7, 12),
}
EDTF_SUBYEAR_CODES = {"40": DatePrecision.FIRST_HALF, "41": DatePrecision.SECOND_HALF}
PHRASES = {"early": DatePrecision.EARLY, "mid": DatePrecision.MID, "late": DatePrecision.LATE}

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

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PHRASE = re.compile(r"^(early|mid|late)[ -](\d{4})$")


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


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
        if precision == DatePrecision.DAY:
            return cls(start, start, precision)
        if precision == DatePrecision.MONTH:
            return cls(start.replace(day=1), last_day_of_month(start.year, start.month), precision)
        if precision == DatePrecision.YEAR:
            return cls(date(start.year, 1, 1), date(start.year, 12, 31), precision)
        if precision in PARTS_OF_YEAR:
            first, last = PARTS_OF_YEAR[precision]
            return cls(date(start.year, first, 1), last_day_of_month(start.year, last), precision)
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
                if code in EDTF_SUBYEAR_CODES:
                    return cls.from_precision(EDTF_SUBYEAR_CODES[code], date(int(year), 1, 1))
                return cls.from_precision(DatePrecision.MONTH, date(int(year), int(code), 1))
            if match := _YEAR.match(text):
                return cls.from_precision(DatePrecision.YEAR, date(int(match.group(1)), 1, 1))
            if match := _PHRASE.match(text.lower()):
                return cls.from_precision(PHRASES[match.group(1)], date(int(match.group(2)), 1, 1))
        except ValueError as error:
            raise ValueError(_("%(text)r is not a valid date: %(error)s") % {"text": text, "error": error}) from error
        raise ValueError(
            _(
                "%(text)r is not a date this system reads: use 2018-08-17, 2018-03, 2018, 2018-40, "
                "early 2018 or 2018-03/2018-11."
            )
            % {"text": text}
        )

    # Presentation ---------------------------------------------------------------

    @property
    def _whole_months(self) -> bool:
        return self.start.day == 1 and self.end == last_day_of_month(self.end.year, self.end.month)

    @property
    def edtf(self) -> str:
        precision = self.precision
        if precision == DatePrecision.DAY:
            return self.start.isoformat()
        if precision == DatePrecision.MONTH:
            return self.start.strftime("%Y-%m")
        if precision == DatePrecision.YEAR:
            return str(self.start.year)
        if precision == DatePrecision.FIRST_HALF:
            return f"{self.start.year}-40"
        if precision == DatePrecision.SECOND_HALF:
            return f"{self.start.year}-41"
        if self._whole_months:
            return f"{self.start:%Y-%m}/{self.end:%Y-%m}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def html_datetime(self) -> str:
        """The value for an HTML <time datetime>: a day, a month or a year, never more precise than known."""
        if self.precision == DatePrecision.DAY:
            return self.start.isoformat()
        if self.precision == DatePrecision.MONTH:
            return self.start.strftime("%Y-%m")
        if self.start.year == self.end.year:
            return str(self.start.year)
        return self.start.isoformat()

    def _month(self, day: date) -> str:
        return pgettext("a month and its year, as in “March 2018”", "%(month)s %(year)s") % {
            "month": MONTHS[day.month],
            "year": day.year,
        }

    @property
    def display(self) -> str:
        """The date in words, as precise as the source: "17 August 2018", "March 2018", "early 2018"."""
        precision = self.precision
        year = self.start.year
        if precision == DatePrecision.DAY:
            return formats.date_format(self.start, DAY_FORMAT)
        if precision == DatePrecision.MONTH:
            return self._month(self.start)
        if precision == DatePrecision.YEAR:
            return str(year)
        if precision == DatePrecision.EARLY:
            return _("early %(year)s") % {"year": year}
        if precision == DatePrecision.MID:
            return _("mid-%(year)s") % {"year": year}
        if precision == DatePrecision.LATE:
            return _("late %(year)s") % {"year": year}
        if precision == DatePrecision.FIRST_HALF:
            return _("first half of %(year)s") % {"year": year}
        if precision == DatePrecision.SECOND_HALF:
            return _("second half of %(year)s") % {"year": year}
        first, last = self._range_ends
        return _("between %(first)s and %(last)s") % {"first": first, "last": last}

    @property
    def display_since(self) -> str:
        """The date after "since", as a status line needs it: "since March 2018", "с марта 2018"."""
        precision = self.precision
        year = self.start.year
        if precision == DatePrecision.DAY:
            return _("since %(date)s") % {"date": formats.date_format(self.start, DAY_FORMAT)}
        if precision == DatePrecision.MONTH:
            return _("since %(date)s") % {"date": formats.date_format(self.start, MONTH_AFTER_PREPOSITION_FORMAT)}
        if precision == DatePrecision.YEAR:
            return _("since %(year)s") % {"year": year}
        if precision == DatePrecision.EARLY:
            return _("since early %(year)s") % {"year": year}
        if precision == DatePrecision.MID:
            return _("since mid-%(year)s") % {"year": year}
        if precision == DatePrecision.LATE:
            return _("since late %(year)s") % {"year": year}
        if precision == DatePrecision.FIRST_HALF:
            return _("since the first half of %(year)s") % {"year": year}
        if precision == DatePrecision.SECOND_HALF:
            return _("since the second half of %(year)s") % {"year": year}
        first, last = self._range_ends
        return _("since some time between %(first)s and %(last)s") % {"first": first, "last": last}

    @property
    def _range_ends(self) -> tuple[str, str]:
        # The first end follows "from" in Russian ("с марта 2018 по ноябрь 2018"), so it takes
        # the genitive; the last follows "to" and keeps the month's own form.
        if self._whole_months:
            return formats.date_format(self.start, MONTH_AFTER_PREPOSITION_FORMAT), self._month(self.end)
        return formats.date_format(self.start, DAY_FORMAT), formats.date_format(self.end, DAY_FORMAT)

    def __str__(self) -> str:
        return self.display
