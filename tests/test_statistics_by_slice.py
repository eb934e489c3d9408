"""The statistics of one country's or one role's people, read from the tallies kept for each value
(SliceMonthTally, SliceCategoryTally): exactly the figures summed from those people's spans and
cases, and kept in step with every write they depend on."""

from datetime import date

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cases.choices import CustodyState, EventType, Identity, Role
from cases.custody import rebuild_custody_tally
from cases.dates import FuzzyDate
from cases.filters import StatisticsFilter
from cases.models import (
    Charge,
    CustodySpan,
    Event,
    Person,
    PersonCategory,
    SliceCategoryTally,
    SliceMonthTally,
    Theme,
)
from cases.models.base import previewing
from cases.services import merge_people, set_published
from cases.statistics import figures

from .factories import make_case, make_charge, make_event, make_person, make_theme
from .test_statistics_in_sql import counted_in_python, swept_in_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """People of two countries and several roles, groups of each kind of size, a case naming people of
    both countries, a draft and an unpublished case, and custody begun, ended and carried forward."""
    discord, fraud, civil = make_charge("inciting discord"), make_charge("fraud"), make_theme("Civil Society")
    ardak = make_person("Ardak Ashim", country="KZ", role=Role.JOURNALIST)
    crowd = make_person("Protesters", country="KZ", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    relatives = make_person("Relatives", country="UZ", role=Role.JOURNALIST, identity=Identity.GROUP)
    bakhrom = make_person("Bakhrom Ismoilov", country="UZ", role=Role.LAWYER)
    draft = make_person("Draft", country="KZ", role=Role.JOURNALIST, is_published=False)
    shared = make_case("Across the border", people=[ardak, relatives, draft], charges=[discord], themes=[civil])
    own = make_case("Ardak alone", people=[ardak], charges=[discord, fraud])
    crowds = make_case("The crowd", people=[crowd, bakhrom], charges=[fraud], themes=[civil])
    make_case("Unpublished", people=[ardak, bakhrom], charges=[fraud], is_published=False)
    make_event(shared, "2017-11-20", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(own, "2018-02", person=ardak, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(crowds, "2018-01-31", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(crowds, "2018-09-03", person=crowd, type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    make_event(shared, "2018-03-02", person=draft, type=EventType.DETAINED, custody=CustodyState.DETAINED)
    return {"discord": discord, "fraud": fraud, "civil": civil, "ardak": ardak, "crowd": crowd,
            "relatives": relatives, "bakhrom": bakhrom, "draft": draft, "shared": shared, "own": own}  # fmt: skip


def filtered(query: str):
    filterset = StatisticsFilter(QueryDict(query), queryset=Person.objects.published())
    assert filterset.is_valid()
    return filterset.qs


SLICED = ["country=KZ", "country=uz", "role=journalist", "role=lawyer", "role=writer", "country=FR"]


@pytest.mark.parametrize("query", SLICED)
def test_a_country_or_a_role_alone_is_read_from_its_tallies(world, query):
    people = filtered(query)
    field, value = query.split("=")
    assert people.tallied_slice() == (field, value.upper() if field == "country" else value)
    with CaptureQueriesContext(connection) as read:
        figures(people)
    assert not any(CustodySpan._meta.db_table in query["sql"] for query in read.captured_queries)
    assert not any(PersonCategory._meta.db_table in query["sql"] for query in read.captured_queries)


@pytest.mark.parametrize(
    "query",
    ["", "country=KZ&role=journalist", "country=KZ&since=2018-01-01", "country=KZ&in_custody=true",
     "role=journalist&group=true", "country=KZ&search=Ardak", "charge=fraud"],
)  # fmt: skip
def test_anything_more_than_a_country_or_a_role_is_summed_from_the_people(world, query):
    assert filtered(query).tallied_slice() is None


def test_a_staff_preview_counts_its_draft_so_it_reads_no_tally(world):
    with previewing(world["draft"]):
        assert filtered("country=KZ").tallied_slice() is None


def summed_one_by_one(people, until: date):
    """The figures of the same people, found by their ids: summed from their spans and cases."""
    one_by_one = Person.objects.filter(pk__in=people.order_by().values("pk"))
    assert one_by_one.tallied_slice() is None
    return figures(one_by_one, until=until)


@pytest.mark.parametrize("query", SLICED)
def test_the_tallies_of_a_country_or_a_role_give_the_figures_summed_from_its_people(world, query):
    people, until = filtered(query), date(2019, 6, 30)
    found = figures(people, until=until)
    assert found == summed_one_by_one(people, until)
    # And as the former computations in Python, person by person, give them.
    assert found.months == swept_in_python(people, until=until)
    for model, rows in ((Charge, found.by_charge), (Theme, found.by_theme)):
        assert sorted((row.name, row.people, row.at_least, row.unknown_groups) for row in rows) == counted_in_python(
            model, people
        )
    if query == "country=KZ":
        # Ardak and the crowd of at least 12; the case shared with Uzbekistan counts once here too.
        assert (found.headcount.individuals, found.headcount.at_least) == (13, True)
        assert {row.name: row.cases for row in found.by_charge} == {"inciting discord": 2, "fraud": 2}


def stored() -> tuple[list, list]:
    return (
        list(SliceMonthTally.objects.order_by("slice", "value", "kind", "month").values_list(
            "slice", "value", "kind", "month", "individuals", "minimums", "unknown_groups"
        )),
        list(SliceCategoryTally.objects.order_by("slice", "value", "kind", "category_id").values_list(
            "slice", "value", "kind", "category_id", "cases", "individuals", "minimums", "unknown_groups"
        )),
    )  # fmt: skip


def assert_in_step():
    kept = stored()
    rebuild_custody_tally()
    assert stored() == kept


def edit_people(w):
    ardak = w["ardak"]
    ardak.country = "UZ"
    ardak.save()
    yield
    ardak.role = Role.WRITER
    ardak.save()
    yield
    crowd = w["crowd"]
    crowd.group_size, crowd.group_size_is_minimum = None, False
    crowd.save()
    yield
    set_published([w["draft"]], True)
    yield
    set_published([w["relatives"]], False)
    yield
    merge_people(w["bakhrom"], w["crowd"])


def edit_cases(w):
    w["shared"].people.remove(w["relatives"])
    yield
    w["own"].people.add(w["bakhrom"])
    yield
    w["own"].charges.remove(w["fraud"])
    yield
    w["civil"].cases.add(w["own"])
    yield
    set_published([w["shared"]], False)
    yield
    w["discord"].delete()
    yield
    for event in Event.objects.filter(case=w["shared"]):
        event.delete()
    w["shared"].delete()


def edit_custody(w):
    event = make_event(w["own"], "2019-04", person=w["ardak"], type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    yield
    event.date = FuzzyDate.parse("2018-12-05")
    event.save()
    yield
    make_event(w["shared"], "2019-02-10", person=w["relatives"], type=EventType.OTHER, custody=CustodyState.DETAINED)
    yield
    event.delete()


@pytest.mark.parametrize("edits", [edit_people, edit_cases, edit_custody])
def test_after_every_kind_of_edit_the_tallies_equal_a_recount(world, edits):
    assert stored()[0] and stored()[1]
    for _ in edits(world):
        assert_in_step()
        for query in ("country=KZ", "country=UZ", "role=journalist", "role=writer"):
            people = filtered(query)
            assert figures(people) == summed_one_by_one(people, until=None)
    assert_in_step()
