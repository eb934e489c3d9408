"""The statistics summed in SQL give exactly what the former sweep in Python over every span gave,
in a small world with each kind of weight and each way a span meets a month's end."""

from datetime import date

import pytest
from django.http import QueryDict

from cases import dates
from cases.choices import IN_CUSTODY_STATES, CustodyState, EventType, Identity
from cases.dates import last_day_of_month
from cases.filters import StatisticsFilter
from cases.models import Charge, CustodySpan, Event, Headcount, Person, Theme
from cases.statistics import (
    MonthCount,
    _category_sums,
    counts_by_charge,
    counts_by_theme,
    custody_by_month,
    figures,
    month_changes,
    summed_for,
)

from .factories import make_case, make_charge, make_event, make_person, make_theme

pytestmark = pytest.mark.django_db


def swept_in_python(people, since=None, until=None) -> list[MonthCount]:
    """The former `custody_by_month`: every span read, month indexes swept in Python."""

    def index(day: date) -> int:
        return day.year * 12 + day.month - 1

    spans = CustodySpan.objects.filter(
        person__in=people.order_by().values("pk"), state__in=IN_CUSTODY_STATES
    ).values_list(
        "valid_from", "valid_until", "last_report__date_end", "person__identity", "person__group_size",
        "person__group_size_is_minimum",
    )  # fmt: skip
    changes: dict[int, list[int]] = {}
    carried_changes: dict[int, int] = {}
    first = None
    for valid_from, valid_until, reported, identity, group_size, minimum in spans:
        start, end = index(valid_from), index(valid_until) if valid_until else None
        if end is not None and end <= start:
            continue
        if identity != Identity.GROUP:
            weight = (1, 0, 0)
        elif group_size is None:
            weight = (0, 0, 1)
        else:
            weight = (group_size, int(minimum), 0)
        changes.setdefault(start, [0, 0, 0])
        changes[start] = [a + b for a, b in zip(changes[start], weight, strict=True)]
        if end is not None:
            changes.setdefault(end, [0, 0, 0])
            changes[end] = [a - b for a, b in zip(changes[end], weight, strict=True)]
        else:
            carried_from = index(reported or valid_from) + 1
            carried_changes[carried_from] = carried_changes.get(carried_from, 0) + weight[0]
        first = start if first is None else min(first, start)
    if first is None:
        return []
    if until is None:
        until = Event.objects.published().latest("date_end").date_end
    last = index(min(until, dates.today()))
    begin = max(first, index(since)) if since else first
    counts, running, carried = [], [0, 0, 0], 0
    for month in range(first, last + 1):
        running = [a + b for a, b in zip(running, changes.get(month, [0, 0, 0]), strict=True)]
        carried += carried_changes.get(month, 0)
        if month >= begin:
            end_of_month = last_day_of_month(month // 12, month % 12 + 1)
            counts.append(MonthCount(end_of_month, running[0], running[2], running[1] > 0, carried))
    return counts


def counted_in_python(model, people) -> list[tuple]:
    """The former counts by charge or theme: each (category, person) pair read and added up in Python."""
    lookup = f"cases__{model._meta.model_name}s"
    members = (
        Person.objects.filter(pk__in=people.values("pk"), cases__is_published=True, **{f"{lookup}__isnull": False})
        .values(lookup, "pk", "identity", "group_size", "group_size_is_minimum")
        .distinct()
    )
    totals: dict[int, Headcount] = {}
    for member in members:
        one = Person(**{f: member[f] for f in ("identity", "group_size", "group_size_is_minimum")}).headcount
        totals[member[lookup]] = totals.get(member[lookup], Headcount()) + one
    return sorted(
        (model.objects.get(pk=pk).name, count.individuals, count.at_least, count.unknown_groups)
        for pk, count in totals.items()
    )


@pytest.fixture
def tricky_world():
    discord, fraud = make_charge("inciting discord"), make_charge("fraud")
    civil = make_theme("Civil Society")
    ardak = make_person("Ardak Ashim", country="KZ")
    crowd = make_person("Protesters", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    relatives = make_person("Relatives", identity=Identity.GROUP)  # of unknown size
    sized = make_person("Strikers", identity=Identity.GROUP, group_size=5, country="KZ")
    brief = make_person("Brief detainee")
    hidden = make_person("Draft", is_published=False)
    one = make_case("One", people=[ardak, crowd, hidden], charges=[discord], themes=[civil])
    two = make_case("Two", people=[relatives, sized, ardak], charges=[discord, fraud])
    three = make_case("Three", people=[brief], charges=[fraud], themes=[civil])
    make_event(one, "2017-11-20", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(one, "2018-02", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED)
    make_event(one, "2018-09-03", person=crowd, type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY, quote=None)
    make_event(two, "2018-01-31", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(two, "2018-06-10", person=sized, type=EventType.HOUSE_ARREST, custody=CustodyState.HOUSE_ARREST,
               quote=None)  # fmt: skip
    # Begun and ended within a month: never at a month's end.
    make_event(three, "2018-03-02", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(three, "2018-03-25", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY)
    # Detained again, and still: carried forward, unconfirmed, after the month of its last report.
    make_event(three, "2018-05-15", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    return Person.objects.published()


@pytest.mark.parametrize(
    "narrowed, since, until",
    [
        (lambda people: people, None, None),
        (lambda people: people, date(2018, 3, 1), date(2019, 12, 31)),
        (lambda people: people.filter(country="KZ"), None, date(2019, 6, 30)),
        (lambda people: people.in_custody_on(date(2018, 6, 30)), None, None),
        (lambda people: people.groups(), date(2010, 1, 1), None),
    ],
)
def test_the_months_in_sql_equal_the_former_sweep(tricky_world, narrowed, since, until):
    people = narrowed(tricky_world)
    summed = custody_by_month(people, since=since, until=until)
    assert summed == swept_in_python(people, since=since, until=until)
    assert any(month.carried_forward for month in summed) or people.count() < 3


def test_the_months_show_each_kind_of_weight(tricky_world):
    months = {f"{m.month_end:%Y-%m}": m for m in custody_by_month(tricky_world, until=date(2018, 7, 31))}
    # Ardak and the crowd of at least 12 since November; the relatives (unknown) and the 5 strikers from January.
    assert (months["2017-12"].count, months["2017-12"].at_least, months["2017-12"].unknown_groups) == (13, True, 0)
    assert (months["2018-02"].count, months["2018-02"].unknown_groups) == (18, 1)
    # The brief detainee of March is not counted at its end; detained again in May, they are.
    assert months["2018-03"].count == months["2018-04"].count == 18
    assert months["2018-05"].count == 19


@pytest.mark.parametrize("model, counts", [(Charge, counts_by_charge), (Theme, counts_by_theme)])
def test_the_counts_by_category_in_sql_equal_the_former_count(tricky_world, model, counts):
    for people in (tricky_world, tricky_world.filter(country="KZ"), tricky_world.groups()):
        summed = sorted((row.name, row.people, row.at_least, row.unknown_groups) for row in counts(people))
        assert summed == counted_in_python(model, people)


def plain_sums(people) -> tuple:
    """What `summed_for` sums, by the queries of the unfiltered page's tallies, one per figure."""
    months = month_changes(CustodySpan.objects.filter(person__in=people.order_by().values("pk")))
    month_rows = sorted(
        (row["kind"], int(row["month"]), row["individuals"] or 0, row["minimums"] or 0, row["unknown_groups"] or 0)
        for row in months
    )
    pks = people.order_by().values("pk")
    by_category = {
        model: {pk: (cases, count) for pk, (_, cases, count) in _category_sums(model, pks).items()}
        for model in (Charge, Theme)
    }
    return people.headcount(), month_rows, by_category


def filtered(query: str):
    filterset = StatisticsFilter(QueryDict(query), queryset=Person.objects.published())
    assert filterset.is_valid()
    return filterset.qs


@pytest.mark.parametrize(
    "query",
    ["country=KZ", "as_of=2018-06-30&in_custody=true", "in_custody=true", "in_custody=false", "group=true",
     "charge=fraud", "theme=civil-society", "as_of=2018-02-28&custody=detained", "since=2018-05-01", "search=Ardak"],
)  # fmt: skip
def test_a_filtered_page_sums_in_one_query_what_the_plain_queries_sum(tricky_world, query):
    people = filtered(query)
    summed = summed_for(people)
    assert summed.headcount, "the filter matches someone"
    month_rows = sorted(
        (row["kind"], row["month"], row["individuals"] or 0, row["minimums"] or 0, row["unknown_groups"] or 0)
        for row in summed.month_rows
    )
    assert (summed.headcount, month_rows, summed.by_category) == plain_sums(people)


def test_the_filtered_figures_equal_the_figures_read_one_by_one(tricky_world):
    people = filtered("as_of=2018-06-30&in_custody=true")
    found = figures(people, until=date(2018, 12, 31))
    assert found.headcount == people.headcount() == Headcount(19, True, 1)
    assert found.months == custody_by_month(people, until=date(2018, 12, 31)) != []
    assert (found.by_charge, found.by_theme) == (counts_by_charge(people), counts_by_theme(people))


def test_the_unconfirmed_months_read_the_report_copied_onto_the_person(tricky_world):
    """An open span's last report is the person's current report: the one query reads that copy."""
    open_spans = CustodySpan.objects.filter(valid_until__isnull=True, person__in=tricky_world)
    assert open_spans.exists()
    for span in open_spans.select_related("person", "last_report"):
        assert span.person.current_report_end == span.last_report.date_end


@pytest.mark.parametrize("on", [None, date(2018, 2, 28), date(2018, 6, 30), date(2018, 10, 1)])
def test_a_custody_filter_finds_whom_the_custody_annotation_finds(tricky_world, on):
    annotated = tricky_world.with_custody(on)
    for states in (IN_CUSTODY_STATES, [CustodyState.IMPRISONED], [CustodyState.AT_LIBERTY, CustodyState.UNKNOWN]):
        expected = set(annotated.filter(custody__in=states))
        assert set(annotated.in_custody_states(states, on)) == expected
        assert set(tricky_world.in_custody_states(states, on)) == expected
    assert set(tricky_world.in_custody_on(on)) == set(annotated.filter(custody__in=IN_CUSTODY_STATES))


@pytest.mark.parametrize("on", [None, date(2018, 6, 30)])
def test_a_custody_filter_joins_the_spans_once(tricky_world, on):
    """The filter reads the state of the span that `with_custody` joined, not a second join of the
    spans: at 100,000 people each join of the spans is a pass over all of them."""
    people = filtered(f"in_custody=true{f'&as_of={on}' if on else ''}")
    assert str(people.query).count(f'"{CustodySpan._meta.db_table}"') == 1
    assert set(people) == set(tricky_world.with_custody(on).filter(custody__in=IN_CUSTODY_STATES))
