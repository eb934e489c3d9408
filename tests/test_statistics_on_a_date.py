"""The statistics of the people in custody on a date, read from the monthly snapshots and the shares
changed since (cases.figures_on_a_date): exactly the figures summed from those people's spans and
cases, on any day, and kept in step with every write they depend on."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import CustodyState, EventType
from cases.custody import rebuild_custody_tally
from cases.figures_on_a_date import latest_month, refresh_figures_on_a_date
from cases.models import CustodySpan, FigureInterval, FigureShare, FigureSnapshot, Person, PersonCategory
from cases.statistics import figures, month_index

from .factories import make_case, make_event, make_person
from .test_statistics_by_slice import edit_cases, edit_custody, edit_people, filtered, summed_one_by_one, world

pytestmark = pytest.mark.django_db

__all__ = ["world"]  # the fixture, shared with the statistics of a country or a role

# Each side of every change of the world's custody, the first and last days of months, a day before
# anyone's custody, and days after the latest month stored.
DAYS = [
    "2016-05-01", "2017-11-19", "2017-11-20", "2017-12-01", "2018-01-30", "2018-01-31", "2018-02-01",
    "2018-02-28", "2018-03-01", "2018-03-02", "2018-09-02", "2018-09-03", "2018-12-05", "2019-02-10",
    "2019-04-01", "2019-06-30", "2031-01-15",
]  # fmt: skip
UNTIL = date(2019, 6, 30)


def in_custody_on(day: str):
    return filtered(f"as_of={day}&in_custody=true")


def assert_figures_as_summed(days=DAYS):
    for day in days:
        people = in_custody_on(day)
        assert people.tallied_custody_on() == date.fromisoformat(day)
        assert figures(people, until=UNTIL) == summed_one_by_one(people, until=UNTIL), day


def test_on_every_day_the_snapshots_give_the_figures_summed_from_the_people(world):
    assert_figures_as_summed()
    # On 2018-03-01: Ardak (imprisoned), the crowd of at least 12 and Bakhrom (detained), the
    # relatives (a group of unknown size); not the unpublished draft, detained the next day.
    found = figures(in_custody_on("2018-03-01"))
    assert (found.headcount.individuals, found.headcount.at_least, found.headcount.unknown_groups) == (14, True, 1)


@pytest.mark.parametrize(
    "query",
    ["as_of=2018-03-01", "in_custody=true", "as_of=2018-03-01&in_custody=false", "as_of=2018-03-01&custody=detained",
     "as_of=2018-03-01&in_custody=true&country=KZ"],
)  # fmt: skip
def test_anything_but_custody_on_a_date_alone_is_summed_from_the_people(world, query):
    assert filtered(query).tallied_custody_on() is None


def test_a_date_is_read_without_the_spans_or_the_categories_in_a_fixed_number_of_queries(world):
    people = in_custody_on("2018-03-10")
    with CaptureQueriesContext(connection) as read:
        figures(people, until=UNTIL)
    tables = " ".join(query["sql"] for query in read.captured_queries)
    assert CustodySpan._meta.db_table not in tables and PersonCategory._meta.db_table not in tables
    more = make_person("Another", country="KZ")
    detained = {"type": EventType.DETAINED, "custody": CustodyState.DETAINED}
    make_event(make_case("Another's", people=[more]), "2018-02-03", **detained)
    with CaptureQueriesContext(connection) as again:
        figures(in_custody_on("2018-03-10"), until=UNTIL)
    assert len(again.captured_queries) == len(read.captured_queries)


def stored_figures_on_a_date() -> tuple[list, ...]:
    """The intervals, shares and snapshots of the statistics on a date, as a rebuild writes them."""
    return (
        sorted(FigureInterval.objects.values_list("holder", "holder_id", "valid_from", "valid_until")),
        sorted(FigureShare.objects.values_list("holder", "holder_id", "part", "key", "cases", "individuals",
                                               "minimums", "unknown_groups")),
        # A write leaves a row it took everything from at zero, where a rebuild writes none.
        sorted(FigureSnapshot.objects.exclude(cases=0, individuals=0, minimums=0, unknown_groups=0).values_list(
            "month", "part", "key", "cases", "individuals", "minimums", "unknown_groups")),
    )  # fmt: skip


def assert_in_step():
    kept = stored_figures_on_a_date()
    rebuild_custody_tally()
    assert stored_figures_on_a_date() == kept


@pytest.mark.parametrize("edits", [edit_people, edit_cases, edit_custody])
def test_after_every_kind_of_edit_the_snapshots_equal_a_recount(world, edits):
    assert all(stored_figures_on_a_date())
    for _ in edits(world):
        assert_in_step()
        assert_figures_as_summed(["2017-12-01", "2018-03-02", "2018-09-03", "2019-02-10"])
    assert_in_step()


def test_a_person_unpublished_leaves_the_snapshots_and_published_joins_them(world):
    ardak = world["ardak"]
    Person.objects.filter(pk=ardak.pk).update(is_published=False)  # no signal: the recount alone
    refresh_figures_on_a_date([ardak.pk])
    assert not FigureShare.objects.filter(holder_id=ardak.pk, holder=0).exists()
    assert_in_step()


def test_the_months_after_the_latest_stored_are_added_as_writes_come(world, set_today):
    set_today(date(2019, 6, 15))
    rebuild_custody_tally()
    assert latest_month() == month_index(date(2019, 6, 1))
    assert_figures_as_summed(["2019-06-30", "2019-09-01", "2031-01-15"])
    set_today(date(2019, 9, 2))
    released = {"type": EventType.RELEASED, "custody": CustodyState.AT_LIBERTY}
    make_event(world["own"], "2019-08-20", person=world["ardak"], **released)
    assert latest_month() == month_index(date(2019, 9, 1))
    assert_figures_as_summed(["2019-07-01", "2019-08-20", "2019-09-01", "2019-09-02"])
    assert_in_step()
