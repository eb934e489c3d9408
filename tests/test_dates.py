from datetime import date

import pytest

from cases.choices import DatePrecision
from cases.dates import FuzzyDate


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "edtf", "display"),
    [
        ("2018-08-17", date(2018, 8, 17), date(2018, 8, 17), DatePrecision.DAY, "2018-08-17", "17 August 2018"),
        ("2018-03", date(2018, 3, 1), date(2018, 3, 31), DatePrecision.MONTH, "2018-03", "March 2018"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), DatePrecision.MONTH, "2016-02", "February 2016"),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.YEAR, "2017", "2017"),
        ("2018-40", date(2018, 1, 1), date(2018, 6, 30), DatePrecision.FIRST_HALF, "2018-40", "first half of 2018"),
        ("2018-41", date(2018, 7, 1), date(2018, 12, 31), DatePrecision.SECOND_HALF, "2018-41", "second half of 2018"),
        ("early 2018", date(2018, 1, 1), date(2018, 4, 30), DatePrecision.EARLY, "2018-01/2018-04", "early 2018"),
        ("late 2018", date(2018, 9, 1), date(2018, 12, 31), DatePrecision.LATE, "2018-09/2018-12", "late 2018"),
        (
            "2018-03/2018-11",
            date(2018, 3, 1),
            date(2018, 11, 30),
            DatePrecision.RANGE,
            "2018-03/2018-11",
            "between March 2018 and November 2018",
        ),
        (
            "2018-03-05/2018-03-09",
            date(2018, 3, 5),
            date(2018, 3, 9),
            DatePrecision.RANGE,
            "2018-03-05/2018-03-09",
            "between 5 March 2018 and 9 March 2018",
        ),
    ],
)
def test_a_reported_date_is_the_interval_its_words_allow(text, start, end, precision, edtf, display):
    parsed = FuzzyDate.parse(text)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)
    assert parsed.edtf == edtf
    assert parsed.display == display


@pytest.mark.parametrize("edtf", ["2018-08-17", "2018-03", "2018", "2018-40", "2018-03/2018-11"])
def test_edtf_survives_a_round_trip(edtf):
    assert FuzzyDate.parse(edtf).edtf == edtf


@pytest.mark.parametrize("text", ["", "March", "2018-02-30", "2018-13", "18-03", "2018-11/2018-03", "soon 2018"])
def test_unreadable_or_impossible_dates_are_refused_with_a_message(text):
    with pytest.raises(ValueError, match=r"\S"):
        FuzzyDate.parse(text)


def test_the_earliest_date_may_not_follow_the_latest():
    with pytest.raises(ValueError, match="earliest"):
        FuzzyDate(date(2018, 5, 1), date(2018, 4, 1), DatePrecision.RANGE)


def test_a_month_is_not_its_first_day():
    march = FuzzyDate.parse("2018-03")
    assert march.start != march.end
