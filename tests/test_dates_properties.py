"""Properties of reported dates (`cases.dates`), checked on dates hypothesis makes up.

Each precision is an interval; EDTF carries it without loss; a more precise date lies inside the
less precise one it refines; and the timeline's order never puts a date before one that was
certainly over before it began.
"""

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from cases.choices import DatePrecision
from cases.dates import FuzzyDate

# Every year a four-digit EDTF year can name (date has no year 0).
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
precisions = st.sampled_from([precision for precision in DatePrecision if precision != DatePrecision.RANGE])


@st.composite
def fuzzy_dates(draw) -> FuzzyDate:
    """A date as a source may give it: one precision around a day, or a range between two days."""
    if draw(st.booleans()):
        return FuzzyDate.from_precision(draw(precisions), draw(days))
    first, last = sorted([draw(days), draw(days)])
    return FuzzyDate(first, last, DatePrecision.RANGE)


def contains(outer: FuzzyDate, inner: FuzzyDate) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def timeline_key(fuzzy: FuzzyDate) -> tuple:
    """How the timeline orders events (Event.Meta.ordering: earliest start, then earliest end)."""
    return (fuzzy.start, fuzzy.end)


# Round trip through EDTF -------------------------------------------------------------------


@given(fuzzy_dates())
@example(FuzzyDate.from_precision(DatePrecision.MONTH, date(999, 1, 1)))  # found by hypothesis: "999-01"
def test_edtf_carries_a_date_without_loss_of_its_interval(fuzzy):
    parsed = FuzzyDate.parse(fuzzy.edtf)
    assert (parsed.start, parsed.end) == (fuzzy.start, fuzzy.end)
    assert parsed.edtf == fuzzy.edtf


@given(precisions, days)
def test_a_precision_with_an_edtf_value_of_its_own_comes_back_as_itself(precision, day):
    fuzzy = FuzzyDate.from_precision(precision, day)
    if "/" not in fuzzy.edtf:  # early, mid and late travel as a range of months
        assert FuzzyDate.parse(fuzzy.edtf) == fuzzy


@given(st.sampled_from(["early", "mid", "late"]), days)
def test_early_mid_and_late_read_back_from_their_words(phrase, day):
    fuzzy = FuzzyDate.parse(f"{phrase} {day.year:04d}")
    assert fuzzy.precision == phrase
    assert FuzzyDate.parse(fuzzy.edtf) == FuzzyDate(fuzzy.start, fuzzy.end, DatePrecision.RANGE)


@given(precisions, days, precisions, days)
def test_a_range_between_two_dates_runs_from_the_first_ones_start_to_the_last_ones_end(precision, day, other, later):
    first, last = FuzzyDate.from_precision(precision, day), FuzzyDate.from_precision(other, later)
    if first.start > last.end:
        first, last = last, first
    if first.start <= last.end and "/" not in first.edtf + last.edtf:
        span = FuzzyDate.parse(f"{first.edtf}/{last.edtf}")
        assert (span.start, span.end, span.precision) == (first.start, last.end, DatePrecision.RANGE)


# Interval containment ----------------------------------------------------------------------


@given(days)
def test_a_more_precise_date_lies_inside_each_less_precise_one_it_refines(day):
    at = {precision: FuzzyDate.from_precision(precision, day) for precision in DatePrecision if precision != "range"}
    assert at[DatePrecision.DAY] == FuzzyDate(day, day, DatePrecision.DAY)
    half = at[DatePrecision.FIRST_HALF] if day.month <= 6 else at[DatePrecision.SECOND_HALF]
    third = at[{0: DatePrecision.EARLY, 1: DatePrecision.MID, 2: DatePrecision.LATE}[(day.month - 1) // 4]]
    for finer, coarser in [
        (at[DatePrecision.DAY], at[DatePrecision.MONTH]),
        (at[DatePrecision.MONTH], half),
        (at[DatePrecision.MONTH], third),
        (half, at[DatePrecision.YEAR]),
        (third, at[DatePrecision.YEAR]),
    ]:
        assert contains(coarser, finer), (finer.precision, coarser.precision)


@given(fuzzy_dates())
def test_the_latest_part_of_a_date_lies_inside_it_and_ends_with_it(fuzzy):
    latest = fuzzy.at_the_latest
    assert contains(fuzzy, latest)
    assert latest.end == fuzzy.end


@given(fuzzy_dates())
def test_a_date_read_back_from_its_html_datetime_contains_it(fuzzy):
    # <time datetime> is never more precise than known: what it names holds the whole interval.
    named = FuzzyDate.parse(fuzzy.html_datetime)
    if fuzzy.start.year == fuzzy.end.year:
        assert contains(named, fuzzy)
    else:  # across years, the day it began
        assert named.start == fuzzy.start


# Ordering ----------------------------------------------------------------------------------


@given(st.lists(fuzzy_dates(), min_size=2, max_size=8))
def test_the_timeline_never_puts_a_date_before_one_certainly_over_before_it_began(dates):
    ordered = sorted(dates, key=timeline_key)
    for index, later in enumerate(ordered):
        for earlier in ordered[index + 1 :]:
            assert not earlier.end < later.start, (later.edtf, earlier.edtf)


@given(precisions, days, days)
def test_edtf_values_of_one_precision_sort_as_their_dates_do(precision, first, second):
    first, second = FuzzyDate.from_precision(precision, first), FuzzyDate.from_precision(precision, second)
    assert (first.edtf < second.edtf) == (first.start < second.start)
