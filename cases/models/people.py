"""The subjects of cases: people (named, unnamed or groups) and organisations."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case as CaseExpression
from django.db.models import ExpressionWrapper, F, FilteredRelation, OuterRef, Prefetch, Q, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.sql.where import WhereNode
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import dates
from ..addresses import address_of
from ..choices import (
    IN_CUSTODY_STATES,
    CustodyState,
    DatePrecision,
    Identity,
    NameLanguage,
    OrganizationKind,
    Role,
    SentenceServed,
    VariantKind,
)
from ..dates import FuzzyDate, sentence_in_words
from ..paging import MAX_ROWS
from ..portraits import reencoded, validate_portrait
from ..search import revealed_words
from .base import (
    LatestEventMixin,
    Publishable,
    SearchableQuerySet,
    choices_constraint,
    country_constraint,
    country_field,
    loaded,
    newest_date,
    prefetched_list,
    previewed_record,
    search_field,
)
from .custody import CategoryKind, CustodyDayTally, CustodyTally, PersonCategory, Slice
from .sources import private_storage


def portrait_path(person, filename: str) -> str:
    # A random name: a file named after someone whose name is withheld would reveal it.
    return f"portraits/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


@dataclass(frozen=True)
class Headcount:
    """How many individuals some person records stand for.

    A named or unnamed person is one, a group its size; a group of unknown size adds no number
    and is counted apart, and a size given as a minimum makes the total a minimum too.
    """

    individuals: int = 0
    at_least: bool = False
    unknown_groups: int = 0

    def __add__(self, other: "Headcount") -> "Headcount":
        return Headcount(
            self.individuals + other.individuals,
            self.at_least or other.at_least,
            self.unknown_groups + other.unknown_groups,
        )

    def __bool__(self) -> bool:
        return bool(self.individuals or self.unknown_groups)

    @property
    def number(self) -> str:
        """The count as a table shows it: "12", or "12+" for a minimum."""
        return f"{self.individuals}+" if self.at_least else str(self.individuals)

    @property
    def people(self) -> str:
        """ "12 people", "at least 12 people"."""
        if self.at_least:
            return ngettext("at least %(count)d person", "at least %(count)d people", self.individuals) % {
                "count": self.individuals
            }
        return ngettext("%(count)d person", "%(count)d people", self.individuals) % {"count": self.individuals}

    @property
    def groups_apart(self) -> str:
        """ "and 3 groups of unknown size", or "" when there are none."""
        if not self.unknown_groups:
            return ""
        return ngettext(
            "and %(count)d group of unknown size", "and %(count)d groups of unknown size", self.unknown_groups
        ) % {"count": self.unknown_groups}

    def __str__(self) -> str:
        return f"{self.people} {self.groups_apart}".strip()


def headcount_aggregates(among: Q | None = None, prefix: str = "") -> dict:
    """Aggregates over person rows (those matching `among`, or all) that make a Headcount, named
    with `prefix` so that one query can count several (see `headcount_from`)."""
    group = Q(identity=Identity.GROUP)

    def only(condition: Q) -> Q:
        return condition if among is None else condition & among

    return {
        f"{prefix}individuals": Coalesce(
            models.Sum(
                CaseExpression(When(group, then=F("group_size")), default=models.Value(1)),
                output_field=models.IntegerField(),
                filter=among,
            ),
            0,
        ),
        f"{prefix}minimums": models.Count("pk", filter=only(Q(group_size_is_minimum=True))),
        f"{prefix}unknown_groups": models.Count("pk", filter=only(group & Q(group_size__isnull=True))),
    }


# What a tally row sums: the individuals, the groups whose size is a minimum, those of unknown size.
WEIGHTS = ("individuals", "minimums", "unknown_groups")
# The prefixes of `PersonQuerySet.headcounts`' sums: of everyone, of those in custody, of those of
# these unconfirmed.
HEADCOUNTS = ("all", "in_custody", "unconfirmed")


def person_copies(path: str = "") -> dict:
    """What a row derived from a person (at `path`, such as "person__") copies of them to be counted
    without them (PersonEventPeriod): their publication, their WEIGHTS as one row of a tally (the
    individuals they stand for; 1 for a group whose size is a minimum, 1 for one of unknown size), and
    their custody at last report (CURRENT_CUSTODY)."""
    group = Q(**{f"{path}identity": Identity.GROUP})

    def one_if(condition: Q) -> CaseExpression:
        return CaseExpression(When(condition, then=models.Value(1)), default=models.Value(0))

    return {
        "person_published": F(f"{path}is_published"),
        "individuals": CaseExpression(When(group, then=Coalesce(F(f"{path}group_size"), 0)), default=models.Value(1)),
        "minimums": one_if(Q(**{f"{path}group_size_is_minimum": True})),
        "unknown_groups": one_if(group & Q(**{f"{path}group_size__isnull": True})),
        **{name: F(f"{path}{name}") for name in CURRENT_CUSTODY},
    }


def tally_aggregates(among: Q | None = None, prefix: str = "") -> dict:
    """The sums over CustodyTally rows (those matching `among`, or all) that make a Headcount."""
    return {f"{prefix}{name}": Coalesce(models.Sum(name, filter=among), 0) for name in WEIGHTS}


def headcount_from(row: dict, prefix: str = "") -> Headcount:
    return Headcount(row[f"{prefix}individuals"] or 0, bool(row[f"{prefix}minimums"]), row[f"{prefix}unknown_groups"])


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def russian_spelling(variants) -> str:
    """The first Russian spelling among `variants` (as prefetched: no query of its own)."""
    return next((v.name for v in variants if v.language == NameLanguage.RUSSIAN), "")


class NamedQuerySet(SearchableQuerySet):
    # The Case.people / Case.organizations field that links a case to these records.
    case_field = ""

    def with_search_names(self):
        return self.prefetch_related(prefetched_list("name_variants"))

    def in_published_cases(self, **case_lookups):
        """Records that are subjects of a published case matching `case_lookups` (such as charges__slug=…)."""
        from .cases import Case

        return self.filter(pk__in=Case.objects.published().filter(**case_lookups).values(self.case_field))

    def filed_under(self, kind: CategoryKind, pk: int):
        """Records that are subjects of a published case under this charge or theme."""
        return self.in_published_cases(**{f"{kind.value}s": pk})

    def with_public_cases(self):
        """Prefetch published cases, their charges and public events as `public_cases`."""
        from .cases import Case

        cases = Case.objects.published().prefetch_related(prefetched_list("charges")).with_public_events().with_stage()
        return self.with_search_names().prefetch_related(Prefetch("cases", queryset=cases, to_attr="public_cases"))


# The columns of Person that copy their open custody span, written by cases.custody alone: what the
# headcounts count by (CustodyTally's key), and what the people list sorts by without a status date.
CURRENT_CUSTODY = ["current_custody", "current_report_end"]
CURRENT_ORDER = ["current_since_end", "current_expected_end_start", "current_expected_end_end"]
COPIED_CUSTODY = [*CURRENT_CUSTODY, *CURRENT_ORDER]


def custody_span_alias(on: date | None) -> str:
    """The name under which `with_custody` joins the custody span that holds on `on`."""
    return f"custody_span_{on:%Y%m%d}" if on is not None else "custody_span_latest"


def span_holds(on: date | None, prefix: str = "") -> Q:
    """The custody span (through `prefix`) that holds on `on`, or the open one: a person's spans follow
    one another, so at most one does."""
    if on is None:
        return Q(**{f"{prefix}valid_until__isnull": True})
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": on})
    )


# What `with_custody(span_copies=True)` reads of a custody span's events from their copies on the
# span, PostgreSQL's columns of cases_custodyspan that a trigger fills (migration 0037): annotation,
# (column, type).
SPAN_EVENT_COPIES = {
    "custody_since_start": ("event_date_start", models.DateField()),
    "custody_since_precision": ("event_date_precision", models.CharField()),
    "custody_reported_start": ("last_report_date_start", models.DateField()),
    "custody_reported_end": ("last_report_date_end", models.DateField()),
    "custody_reported_precision": ("last_report_date_precision", models.CharField()),
    "sentence_months": ("sentence_event_months", models.IntegerField()),
    "sentence_days": ("sentence_event_days", models.IntegerField()),
}


def read_in_runs(runs: list, bottom: int, top: int) -> list[int]:
    """The keys from place `bottom` to `top` (excluded) of querysets read one after the other, each
    no further than `top` keys in all."""
    keys: list[int] = []
    for run in runs:
        if len(keys) >= top:
            break
        keys += run.values_list("pk", flat=True)[: top - len(keys)]
    return keys[bottom:top]


class PersonQuerySet(NamedQuerySet):
    case_field = "people"
    # The (states, date) of the custody filter `in_custody_states` applied last: what lets `headcount`
    # see a list of everyone in some states on a date, which the tallies count.
    _custody_filter: tuple[frozenset[str], date | None] | None = None
    # The status date while these people are ordered by their latest change on it (`by_latest_change`)
    # or by the expected end of their sentence then (`by_expected_end`): what lets `keys_between` read
    # a page of them from indexes.
    _latest_change_on: date | None = None
    _expected_end_on: date | None = None
    # The period of `with_events_between` when it chose among every published person, with the filters
    # it left: while these stay the same, these are the people of that period alone, whose count and
    # headcounts their periods' rows answer (`period_summary`).
    _period: tuple[date | None, date | None, WhereNode] | None = None
    # What `period_summary` read, kept like the QuerySet's rows: by this QuerySet alone, not its clones.
    _period_summary: dict | None = None
    # What `_tally_by_state` read, kept the same way.
    _tallied_rows: list[dict] | None = None
    # Every one of these people's keys, when a search read them all (`found_all`), kept the same way.
    _all_keys: list | None = None

    def _clone(self):
        clone = super()._clone()
        clone._custody_filter = self._custody_filter
        clone._latest_change_on = self._latest_change_on
        clone._expected_end_on = self._expected_end_on
        clone._period = self._period
        return clone

    def filed_under(self, kind: CategoryKind, pk: int):
        """From the people's stored categories (PersonCategory), by the category's index: through the
        cases' links it read every link of a large charge's cases (30 ms at 100,000 people)."""
        return self.filter(pk__in=PersonCategory.objects.filter(kind=kind, category_id=pk).values("person"))

    def order_by(self, *field_names):
        queryset = super().order_by(*field_names)
        queryset._latest_change_on = queryset._expected_end_on = None  # another order
        return queryset

    def sorted_by_a_join(self) -> bool:
        """Ordered by the custody span holding on a date (`by_latest_change`, `by_expected_end` on a date)."""
        return self._latest_change_on is not None or self._expected_end_on is not None

    def in_country(self, code: str):
        return self.filter(country=code)

    def sort_name_expression(self):
        # The public name, so a withheld name does not betray itself by its place in a list.
        return CaseExpression(When(name_withheld=True, then=F("public_alias")), default=F("name"))

    def with_events_between(self, since: date | None = None, until: date | None = None):
        """People with a published event concerning them that may have happened within [since, until],
        read from their events' stored periods (PersonEventPeriod): the events themselves, joined
        with their cases and the cases' people, took a second for two months of 100,000 people."""
        from .events import PersonEventPeriod

        queryset = self.filter(pk__in=PersonEventPeriod.objects.between(since, until).values("person"))
        if self._every_published():
            queryset._period = (since, until, queryset.query.where.clone())
        return queryset

    def period_summary(self) -> dict | None:
        """For the published people with an event in a period, filtered by nothing else (see
        `with_events_between`): how many records they are, and the WEIGHTS of them all, of those in
        custody at last report and of those of these with no report recent enough to confirm it,
        prefixed "all_", "in_custody_" and "unconfirmed_". One query of the copies on each person's
        last stretch within the period (PersonEventPeriod `last_of_each_person`), where the
        headcounts joined every published person with the periods (40–55 ms at 100,000 people) and
        the list's count checked people in turn. Read once per QuerySet, as its rows are: the list's
        count and its headcounts share it. None for any other people."""
        from .events import PersonEventPeriod

        if self._period is None:
            return None
        since, until, where = self._period
        if not self._where_is(where):
            return None
        if self._period_summary is None:
            stale = Q(current_report_end__lt=dates.confirmed_since()) | Q(current_report_end__isnull=True)
            people = PersonEventPeriod.objects.between(since, until).last_of_each_person(until)
            # Summed by state and staleness, then added up here: conditions in each sum would be tested
            # on each of the rows (17,000 for two months at 100,000 people), a third of the query's time.
            groups = (
                people.filter(person_published=True)
                .values("current_custody", stale=ExpressionWrapper(stale, output_field=models.BooleanField()))
                .annotate(records=models.Count("pk"), **tally_aggregates())
                .order_by()
            )
            summary = dict.fromkeys(["records", *(f"{part}_{name}" for part in HEADCOUNTS for name in WEIGHTS)], 0)
            for group in groups:
                held = group["current_custody"] in IN_CUSTODY_STATES
                summary["records"] += group["records"]
                for name in WEIGHTS:
                    summary[f"all_{name}"] += group[name]
                    summary[f"in_custody_{name}"] += group[name] if held else 0
                    summary[f"unconfirmed_{name}"] += group[name] if held and group["stale"] else 0
            self._period_summary = summary
        return self._period_summary

    def known_count(self) -> int | None:
        """How many of these people there are, when the query of their headcounts counts them too
        (`period_summary`); None when only a count of them can tell."""
        summary = self.period_summary()
        return None if summary is None else summary["records"]

    def with_custody(self, on: date | None = None, *, span_copies: bool = False):
        """Annotate `custody` and `custody_event_id`: the state on `on` (or the latest known),
        with the date of the event that set it and of the latest report of it, whether that event
        began it, and the sentence served with its expected end.

        Reads the derived custody spans by one outer join with the span that holds on `on` (a
        person's spans follow one another, so at most one does; the last one is open-ended), never
        a look-up per person nor every event: lists, counts and exports stay set operations.

        With `span_copies` (PostgreSQL only), what it reads of the span's events comes from their
        copies on the span (SPAN_EVENT_COPIES, migration 0037) instead of three joins with events.
        """
        queryset, alias = self._with_span(on)

        def span(path: str) -> F:
            return F(f"{alias}__{path}")

        if span_copies:
            # Columns of the database, not of the model, of the span joined under `alias` (which a
            # subquery would rename: not for one).
            of_events = {
                name: RawSQL(f'{alias}."{column}"', (), output_field=output_field)
                for name, (column, output_field) in SPAN_EVENT_COPIES.items()
            }
        else:
            of_events = {
                "custody_since_start": span("event__date_start"),
                "custody_since_precision": span("event__date_precision"),
                "custody_reported_start": span("last_report__date_start"),
                "custody_reported_end": span("last_report__date_end"),
                "custody_reported_precision": span("last_report__date_precision"),
                "sentence_months": span("sentence_event__sentence_months"),
                "sentence_days": span("sentence_event__sentence_days"),
            }
        return queryset.annotate(
            custody=Coalesce(span("state"), models.Value(CustodyState.UNKNOWN)),
            custody_event_id=span("event_id"),
            custody_since_start=of_events["custody_since_start"],
            custody_since_end=span("since_end"),
            custody_since_precision=of_events["custody_since_precision"],
            custody_reported_start=of_events["custody_reported_start"],
            custody_reported_end=of_events["custody_reported_end"],
            custody_reported_precision=of_events["custody_reported_precision"],
            custody_span_began=span("began"),
            sentence_months=of_events["sentence_months"],
            sentence_days=of_events["sentence_days"],
            expected_end_start=span("expected_end_start"),
            expected_end_end=span("expected_end_end"),
            expected_end_precision=span("expected_end_precision"),
            began_by_start=span("began_by_start"),
            began_by_end=span("began_by_end"),
            began_by_precision=span("began_by_precision"),
            # What "confirmed" is measured against: the status date asked for, or today.
            custody_as_of=models.Value(on or dates.today(), output_field=models.DateField()),
        )

    def _with_span(self, on: date | None) -> tuple["PersonQuerySet", str]:
        """These people with the custody span that holds on `on` (or the open one) joined under an
        alias (once, however many read it), and that alias."""
        alias = custody_span_alias(on)
        if alias in self.query._filtered_relations:
            return self, alias
        holds = FilteredRelation("custody_spans", condition=span_holds(on, "custody_spans__"))
        return self.alias(**{alias: holds}), alias

    def _with_span_field(self, on: date | None, field: str) -> tuple["PersonQuerySet", str]:
        """These people with `field` of the custody span that holds on `on` as an alias, and its name.
        Filters read the span through it, so they use the one join: a filter on the span's own path in
        a later call would join the spans again (a relation to many)."""
        queryset, alias = self._with_span(on)
        name = f"{alias}_{field}"
        if name not in queryset.query.annotations:
            queryset = queryset.alias(**{name: F(f"{alias}__{field}")})
        return queryset, name

    def by_latest_change(self, on: date | None = None):
        """Ordered by the latest change of their custody on `on` (or now), newest first: by the end of
        the date of the event that set the span holding then; those with none last; then by public name.

        Without a date, from the copy on the person (cases.custody), which an index holds in this
        order. On a date the order is a join of every person with their span, which the database
        sorts whole: a page reads its keys from indexes instead (`keys_between`)."""
        if on is None:
            return self.with_sort_name().order_by(F("current_since_end").desc(nulls_last=True), "sort_name", "pk")
        queryset, since_end = self._with_span_field(on, "since_end")
        queryset = queryset.with_sort_name().order_by(F(since_end).desc(nulls_last=True), "sort_name", "pk")
        queryset._latest_change_on = on
        return queryset

    def by_expected_end(self, on: date | None = None):
        """Ordered by the expected end of the sentence they serve on `on` (or now), soonest first: by the
        latest day the computed end allows; those with none (no sentence, no known start, no custody
        then) last; then by public name.

        Without a date, from the copy on the person (cases.custody), which an index holds in this
        order. On a date a page reads its keys from an index of the spans instead (`keys_between`)."""
        if on is None:
            end = F("current_expected_end_end").asc(nulls_last=True)
            return self.with_sort_name().order_by(end, "current_expected_end_start", "sort_name", "pk")
        queryset, end = self._with_span_field(on, "expected_end_end")
        queryset, start = queryset._with_span_field(on, "expected_end_start")
        queryset = queryset.with_sort_name().order_by(F(end).asc(nulls_last=True), start, "sort_name", "pk")
        queryset._expected_end_on = on
        return queryset

    def keys_between(self, bottom: int, top: int, count: int) -> list[int]:
        """The keys of these people from place `bottom` to `top` (excluded) in their order: a page's.

        Ordered by the expected end of a sentence on a date (`by_expected_end`) and more than
        `MAX_ROWS` of them, in two runs, each read in that order no further than `top`: those with an
        expected end then, from an index of the spans by it (migration 0033); then the others, by name.
        The whole order, every person joined with their span and sorted, took 80 ms at 100,000 people.

        Ordered by the latest change on a date (`by_latest_change`) and more than `MAX_ROWS` of them,
        in three runs one after the other, each read in that order from an index, no further than `top`:

        1. those whose span holds on the date though its event's date ends after it: an event dated
           "2018" or a range holds from its start, so a status date may fall within it. Few spans
           begin before their event's date is over (a partial index holds them);
        2. the others with a span then, whose event ended by the date: read down from the date;
        3. those with no span then, by name.

        The whole order, a join of every person with their span sorted by its date, took 90 ms at
        100,000 people, a few ms this way. A shorter list is sorted whole, in one query that reads
        its filters once (a search's matches) where the runs would read them in each."""
        if count <= MAX_ROWS or not self.query.standard_ordering:
            return super().keys_between(bottom, top, count)
        if self._expected_end_on is not None:
            queryset, end = self._with_span_field(self._expected_end_on, "expected_end_end")
            runs = [
                queryset.filter(**{f"{end}__isnull": False}),
                queryset.filter(**{f"{end}__isnull": True}).order_by("sort_name", "pk"),
            ]
            return read_in_runs(runs, bottom, top)
        on = self._latest_change_on
        if on is None:
            return super().keys_between(bottom, top, count)
        queryset, since_end = self._with_span_field(on, "since_end")
        queryset, valid_from = queryset._with_span_field(on, "valid_from")
        # A custody filter on the date leaves the people with a span, or those without, or both.
        states = self._custody_filter[0] if self._custody_filter and self._custody_filter[1] == on else None
        runs = []
        if states is None or states - {CustodyState.UNKNOWN}:
            runs += [
                # valid_from < since_end follows from the rest, and matches the partial index.
                queryset.filter(**{f"{since_end}__gt": on, f"{valid_from}__lt": F(since_end)}),
                queryset.filter(**{f"{since_end}__lte": on}),
            ]
        if states is None or CustodyState.UNKNOWN in states:
            # No span then: a null valid_from, which the join's condition reads, the database takes for
            # an anti-join; of a null since_end, which no span lacks, it would expect no row and sort
            # every person.
            runs.append(queryset.filter(**{f"{valid_from}__isnull": True}).order_by("sort_name", "pk"))
        return read_in_runs(runs, bottom, top)

    def with_public_portrait(self):
        """People whose portrait the public may see (see `Person.has_public_portrait`)."""
        return self.exclude(portrait="").filter(portrait_consent=True, name_withheld=False)

    def with_custody_estimate(self, on: date | None = None):
        """`with_custody`, and what its estimate of the custody's latest beginning rests on: the part
        of which sentence was served by when ("one third of 6 years served by March 2018")."""
        alias = custody_span_alias(on)
        fields = ("sentence_served", "sentence_months", "sentence_days", "date_start", "date_end", "date_precision")
        return self.with_custody(on).annotate(
            **{f"estimate_{name}": F(f"{alias}__began_by_event__{name}") for name in fields}
        )

    def groups(self):
        return self.filter(identity=Identity.GROUP)

    def individuals(self):
        """Records of one person each, named or not."""
        return self.exclude(identity=Identity.GROUP)

    def _every_published(self, custody_filter: tuple[frozenset[str], date | None] | None = None) -> bool:
        """Whether these are the published people, unfiltered (or filtered by `custody_filter` alone,
        see `in_custody_states`), whose headcounts the tallies keep.

        A staff preview counts unpublished people too (see `Publishable.published`), so it never is.
        """
        everyone = self.model._default_manager.published()
        if custody_filter is not None:
            everyone = everyone.in_custody_states(*custody_filter)
        return self._filtered_as(everyone)

    def _filtered_as(self, other: "PersonQuerySet") -> bool:
        """Whether these are the people `other` finds, filtered the same way (and no staff preview)."""
        return self._where_is(other.query.where)

    def _where_is(self, where: WhereNode) -> bool:
        """Whether these are the people `where` chooses, filtered by nothing else (and no staff preview)."""
        return (
            previewed_record() is None
            and where == self.query.where
            and not (self.query.distinct or self.query.is_sliced or self.query.combinator)
        )

    def tallied_slice(self) -> tuple[str, str] | None:
        """The (field, value) when these are the published people of one country or of one role,
        filtered by nothing else: the statistics kept for each value (SliceMonthTally,
        SliceCategoryTally) count them. None for any other people."""
        for lookup in self.query.where.children:
            field = getattr(getattr(lookup, "lhs", None), "target", None)
            if getattr(lookup, "lookup_name", None) != "exact" or getattr(field, "name", None) not in Slice.values:
                continue
            alone = self.model._default_manager.published().filter(**{field.name: lookup.rhs})
            if self._filtered_as(alone):
                return field.name, lookup.rhs
        return None

    def tallied_custody_on(self) -> date | None:
        """The date when these are the published people in custody on it, filtered by nothing else:
        the monthly snapshots of the statistics count them (cases.figures_on_a_date). None for any
        other people."""
        custody_filter = self._custody_filter
        if (
            custody_filter is None
            or custody_filter[1] is None
            or custody_filter[0] != frozenset(IN_CUSTODY_STATES)
            or not self._every_published(custody_filter)
        ):
            return None
        return custody_filter[1]

    def found_all(self, keys: list) -> None:
        """Told that `keys` are every one of these people (by `CappedPaginator.searched_keys`, when a
        search read all its matches): their headcounts then count them by their keys, rather than
        match every name again (16 ms of a name's search at 100,000 people)."""
        self._all_keys = keys

    def _found(self) -> "PersonQuerySet | None":
        return None if self._all_keys is None else self.model._default_manager.filter(pk__in=self._all_keys)

    def headcount(self) -> Headcount:
        """How many individuals these records stand for (groups by their size), in one query."""
        if (found := self._found()) is not None:
            return found.headcount()
        if (summary := self.period_summary()) is not None:
            return headcount_from(summary, "all_")
        if self._every_published():
            return headcount_from(CustodyTally.objects.aggregate(**tally_aggregates()))
        if self._custody_filter is not None and self._every_published(self._custody_filter):
            return self.model._default_manager.published().custody_headcount(*self._custody_filter)
        return headcount_from(self.order_by().aggregate(**headcount_aggregates()))

    def custody_report_counts(self, on: date | None = None) -> tuple[Headcount, Headcount]:
        """How many individuals are in custody on `on` (or at last report), and how many of those
        have no report recent enough to confirm it (see `cases.dates.confirmed_since`), in one query."""
        _, in_custody, unconfirmed = self.headcounts(on)
        return in_custody, unconfirmed

    def _tallied_states(self, on: date | None) -> frozenset[str] | None:
        """The custody states whose CustodyTally rows count exactly these people at last report: all of
        them for every published person, those a custody filter at last report asks for; else None."""
        if on is not None:
            return None
        if self._every_published():
            return frozenset(CustodyState.values)
        custody_filter = self._custody_filter
        if custody_filter is not None and custody_filter[1] is None and self._every_published(custody_filter):
            return custody_filter[0]
        return None

    def headcounts(self, on: date | None = None) -> tuple[Headcount, Headcount, Headcount]:
        """How many individuals these records stand for, how many of them are in custody on `on` (or
        at last report), and how many of those have no report recent enough to confirm it (see
        `cases.dates.confirmed_since`), in one query.

        At last report, from the custody copied onto each person (or kept in CustodyTally for all
        the published people) rather than a join with every open span and its report.
        """
        if (found := self._found()) is not None:
            return found.headcounts(on)
        summary = self.period_summary() if on is None else None
        tallied = self._tallied_states(on)
        if summary is not None:
            row = summary
        elif tallied is not None:
            row = {f"{part}_{name}": 0 for part in HEADCOUNTS for name in WEIGHTS}
            for counted in self._tally_by_state():
                if counted["state"] not in tallied:
                    continue
                held = counted["state"] in IN_CUSTODY_STATES
                for name in WEIGHTS:
                    row[f"all_{name}"] += counted[f"all_{name}"]
                    if held:
                        row[f"in_custody_{name}"] += counted[f"all_{name}"]
                        row[f"unconfirmed_{name}"] += counted[f"stale_{name}"]
        else:
            if on is None:
                queryset, custody, reported_end = self, "current_custody", "current_report_end"
            else:
                queryset, custody, reported_end = self.with_custody(on), "custody", "custody_reported_end"
            in_custody = Q(**{f"{custody}__in": IN_CUSTODY_STATES})
            stale = Q(**{f"{reported_end}__lt": dates.confirmed_since(on)}) | Q(**{f"{reported_end}__isnull": True})
            row = queryset.order_by().aggregate(
                **headcount_aggregates(prefix="all_"),
                **headcount_aggregates(in_custody, prefix="in_custody_"),
                **headcount_aggregates(in_custody & stale, prefix="unconfirmed_"),
            )
        return headcount_from(row, "all_"), headcount_from(row, "in_custody_"), headcount_from(row, "unconfirmed_")

    def _tally_by_state(self) -> list[dict]:
        """CustodyTally summed by state, all of it (`all_`) and what has no report recent enough to
        confirm it (`stale_`): summed by state and added up in Python, as a condition on the state in
        each sum would be tested on each of the tally's 20,000 rows. Kept like the QuerySet's rows, so
        that the home page's counts by state and its headcounts read the tally once."""
        if self._tallied_rows is None:
            stale = Q(reported_end__lt=dates.confirmed_since()) | Q(reported_end__isnull=True)
            self._tallied_rows = list(
                CustodyTally.objects.values("state")
                .annotate(**tally_aggregates(prefix="all_"), **tally_aggregates(stale, prefix="stale_"))
                .order_by()
            )
        return self._tallied_rows

    def custody_counts(self, on: date | None = None) -> dict[str, Headcount]:
        """How many individuals are in each custody state on `on` (or the latest known), in one query."""
        if on is None and self._every_published():
            key, rows = "state", self._tally_by_state()
            rows = [{"state": row["state"], **{name: row[f"all_{name}"] for name in WEIGHTS}} for row in rows]
        elif on is None:
            key, rows = "current_custody", self.order_by().values("current_custody").annotate(**headcount_aggregates())
        else:
            key, rows = "custody", self.with_custody(on).order_by().values("custody").annotate(**headcount_aggregates())
        counts = {state: Headcount() for state in CustodyState.values}
        counts.update({row[key]: headcount_from(row) for row in rows})
        return counts

    def in_custody_states(self, states: Iterable[str], on: date | None = None):
        """Those whose custody on `on` (or the latest known) is one of `states`."""
        states = frozenset(states)
        # The joined span's state alone, without `with_custody`'s joins of the span's events and its
        # other annotations, which a filter does not read.
        queryset, state = self._with_span_field(on, "state")
        if CustodyState.UNKNOWN in states:
            # Unknown is having no span then: the outer join's empty side, read through a COALESCE.
            # Written "state is null or …", the database expects no row of it (the column has no
            # nulls) and sorts every person instead of walking the list in order (15 -> 156 ms).
            custody = f"{state}_or_unknown"
            queryset = queryset.alias(**{custody: Coalesce(F(state), models.Value(CustodyState.UNKNOWN))})
            queryset = queryset.filter(**{f"{custody}__in": sorted(states)})
        else:
            # The span's own state: the join becomes an inner one that the database may walk in any
            # order, stopping at a page's worth.
            queryset = queryset.filter(**{f"{state}__in": sorted(states)})
        queryset._custody_filter = (states, on)
        return queryset

    def in_custody_on(self, on: date | None = None):
        return self.in_custody_states(IN_CUSTODY_STATES, on)

    def not_in_custody_on(self, on: date | None = None):
        return self.in_custody_states(set(CustodyState.values) - set(IN_CUSTODY_STATES), on)

    def with_custody_state(self, state: str, on: date | None = None):
        return self.in_custody_states([state], on)

    def custody_headcount(self, states: Iterable[str], on: date | None = None) -> Headcount:
        """How many individuals these records stand for whose custody on `on` (or the latest known)
        is one of `states`, in one query. For all the published people, from the tallies (CustodyTally
        now, CustodyDayTally on a date) rather than a join of every person with their spans."""
        states = set(states)
        if not self._every_published():
            return self.in_custody_states(states, on).headcount()
        if on is None:
            return headcount_from(CustodyTally.objects.filter(state__in=states).aggregate(**tally_aggregates()))
        if CustodyState.UNKNOWN not in states:
            return headcount_from(CustodyDayTally.objects.weights_on(on, states))
        # No span then: everyone, less those in a known state.
        everyone = CustodyTally.objects.aggregate(**tally_aggregates())
        known = CustodyDayTally.objects.weights_on(on, set(CustodyState.values) - states)
        return headcount_from({name: everyone[name] - known[name] for name in everyone})


class Person(Publishable):
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "The name as the source spells it. For someone the source does not name, an honest "
            "description such as “Unnamed protester in Taldikorgan”."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in the public address."))
    identity = models.CharField(
        _("identity"),
        max_length=20,
        choices=Identity.choices,
        default=Identity.NAMED,
        help_text=_("Whether the source names this person, does not, or speaks of a group."),
    )
    group_size = models.PositiveIntegerField(
        _("group size"),
        null=True,
        blank=True,
        help_text=_("For a group: how many people the source counts. Leave empty when it gives no number."),
    )
    group_size_is_minimum = models.BooleanField(
        _("group size is a minimum"),
        default=False,
        help_text=_("Tick when the source gives the size as a minimum (“at least 12”)."),
    )
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, default=Role.OTHER, help_text=_("Occupation or activity.")
    )
    country = country_field()
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("Where they live or work."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("Who they are, in a sentence or two."))
    summary_ru = models.TextField(
        _("summary in Russian"), blank=True, help_text=_("Shown on the Russian pages instead of the summary.")
    )
    name_withheld = models.BooleanField(
        _("name withheld for safety"),
        default=False,
        help_text=_(
            "Publish under the public alias only: the name and its variants then appear nowhere public, "
            "search included. Staff still see them."
        ),
    )
    public_alias = models.CharField(
        _("public alias"),
        max_length=200,
        blank=True,
        help_text=_("Shown instead of the name when it is withheld, such as “Name withheld — a trade unionist”."),
    )
    portrait = models.ImageField(
        _("portrait"),
        upload_to=portrait_path,
        storage=private_storage,
        blank=True,
        validators=[validate_portrait],
        help_text=_(
            "A photograph (JPEG, PNG or WebP). Its metadata (place, time, camera) is removed on upload. "
            "Shown publicly only with consent ticked below, and never while the name is withheld."
        ),
    )
    portrait_credit = models.CharField(
        _("portrait credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photograph or holds its rights, as the public page credits it."),
    )
    portrait_consent = models.BooleanField(
        _("consent to publish the portrait"),
        default=False,
        help_text=_("Tick only when the person (or their family or lawyer) agreed to the portrait being public."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        help_text=_("For the team only, to catch mistyped dates: no event can come before it. Never shown publicly."),
    )
    search_text = search_field()
    # The state of the span still open and the end of its latest report, copied by cases.custody in the
    # transaction that rebuilds the spans: headcounts read them (and CustodyTally) without joining the spans.
    current_custody = models.CharField(
        max_length=30, choices=CustodyState.choices, default=CustodyState.UNKNOWN, editable=False
    )
    current_report_end = models.DateField(null=True, blank=True, editable=False)
    # The end of the date of the event that set that span: the people list's "latest change first"
    # (without a status date) reads its order from an index on it.
    current_since_end = models.DateField(null=True, blank=True, editable=False)
    # That span's expected end of sentence (see CustodySpan.expected_end): "?sort=expected_end" reads it.
    current_expected_end_start = models.DateField(null=True, blank=True, editable=False)
    current_expected_end_end = models.DateField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()
    # search_text and the custody columns are derived: history keeps what they are derived from.
    history = HistoricalRecords(excluded_fields=["search_text", *COPIED_CUSTODY])
    # Written by cases.custody alone.
    derived_fields = frozenset(COPIED_CUSTODY)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["name", "id"], name="cases_person_name"),
            # The public lists' order (PersonQuerySet.sort_name_expression): a page read from the index.
            models.Index(
                CaseExpression(When(name_withheld=True, then=F("public_alias")), default=F("name")),
                F("id"),
                name="cases_person_public_name",
                condition=Q(is_published=True),
            ),
            # The people list's "?sort=expected_end" without a status date, soonest first (cases.filters).
            models.Index(
                F("current_expected_end_end"),
                F("current_expected_end_start"),
                CaseExpression(When(name_withheld=True, then=F("public_alias")), default=F("name")),
                F("id"),
                name="cases_person_expected_end",
                condition=Q(is_published=True),
            ),
            # CustodyTally recounts the people of one (state, latest report) from here.
            models.Index(fields=["current_custody", "current_report_end"], name="cases_person_current_custody"),
            # The home page's "updated": the latest change of a published person, read from the index's end.
            models.Index(fields=["updated_at"], condition=Q(is_published=True), name="cases_person_published_updated"),
            # The countries of published people, read a country at a time (see cases.countries).
            models.Index(fields=["country"], condition=Q(is_published=True), name="cases_person_public_country"),
            # The lists' role filter, alone or with a country (the database combines the two indexes).
            models.Index(fields=["role"], condition=Q(is_published=True), name="cases_person_public_role"),
        ]
        permissions = [
            ("publish_person", "Can publish and unpublish people"),
            ("merge_person", "Can merge duplicate people"),
        ]
        constraints = [
            choices_constraint("identity", Identity, "cases_person_identity_valid"),
            choices_constraint("role", Role, "cases_person_role_valid"),
            choices_constraint("current_custody", CustodyState, "cases_person_current_custody_valid"),
            country_constraint("cases_person_country_valid"),
            models.CheckConstraint(
                condition=Q(group_size__isnull=True) | Q(identity=Identity.GROUP),
                name="cases_person_group_size_only_for_groups",
                violation_error_message=_("Only a group has a size: choose “Group of people” or clear the size."),
            ),
            models.CheckConstraint(
                condition=Q(group_size_is_minimum=False) | Q(group_size__isnull=False),
                name="cases_person_group_size_minimum_needs_size",
                violation_error_message=_("A size that is a minimum needs the number: fill in the group size."),
            ),
            models.CheckConstraint(
                condition=Q(name_withheld=False) | ~Q(public_alias=""),
                name="cases_person_withheld_name_has_alias",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def staff_only_fields(self) -> frozenset[str]:
        # A withheld name is seen by staff only: correcting it is no news to the public.
        return Publishable.staff_only_fields | {"birth_year"} | ({"name"} if self.name_withheld else set())

    @property
    def public_name(self) -> str:
        """The name the public may see."""
        return self.public_alias if self.name_withheld else self.name

    @property
    def public_name_variants(self) -> list:
        return [] if self.name_withheld else loaded(self, "name_variants")

    @property
    def russian_name(self) -> str:
        """The public name as Russian writes it, or "" when none is recorded (or the name is withheld)."""
        return russian_spelling(self.public_name_variants)

    def search_names(self) -> list[str]:
        """The names public search may match: for a withheld name, the alias alone."""
        return [self.public_name, *(variant.name for variant in self.public_name_variants)]

    def clean(self):
        if self.name_withheld:
            if not self.public_alias:
                raise ValidationError({"public_alias": _("A withheld name needs a public alias.")})
            names = [self.name, *(variant.name for variant in self.name_variants.all())] if self.pk else [self.name]
            if revealed := revealed_words(self.slug, names):
                raise ValidationError(
                    {
                        "slug": _(
                            "The public address would reveal the withheld name (%(words)s): make it from the alias."
                        )
                        % {"words": ", ".join(revealed)}
                    }
                )

    def save(self, *args, **kwargs):
        if self.portrait and not self.portrait._committed:
            # Stored re-encoded, so no copy with its metadata is ever written to disk.
            self.portrait.save(self.portrait.name, reencoded(self.portrait.file, self.portrait.name), save=False)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address_of("cases:person-detail")(self.slug)

    @property
    def has_public_portrait(self) -> bool:
        """Whether the public may see the portrait: one is stored, consent is given, and the name
        is not withheld (a face reveals who someone is as surely as a name)."""
        return bool(self.portrait) and self.portrait_consent and not self.name_withheld

    def get_portrait_url(self) -> str:
        return reverse("cases:person-portrait", args=[self.slug]) if self.has_public_portrait else ""

    @property
    def is_group(self) -> bool:
        return self.identity == Identity.GROUP

    @property
    def headcount(self) -> Headcount:
        """How many individuals this record stands for."""
        if not self.is_group:
            return Headcount(1)
        if self.group_size is None:
            return Headcount(unknown_groups=1)
        return Headcount(self.group_size, self.group_size_is_minimum)

    @property
    def custody_since(self) -> FuzzyDate | None:
        """The date of the event that set the annotated custody state (see `with_custody`)."""
        if getattr(self, "custody_since_start", None) is None:
            return None
        return FuzzyDate(self.custody_since_start, self.custody_since_end, self.custody_since_precision)

    @property
    def custody_last_reported(self) -> FuzzyDate | None:
        """The date of the latest report of the annotated custody state (see `with_custody`)."""
        if getattr(self, "custody_reported_start", None) is None:
            return self.custody_since
        return FuzzyDate(self.custody_reported_start, self.custody_reported_end, self.custody_reported_precision)

    @property
    def custody_confirmed(self) -> bool:
        """Whether a report recent enough (on the annotated date, see `with_custody`) supports the state.

        False for a state no report supports: "unknown" is never confirmed."""
        reported = self.custody_last_reported
        return reported is not None and reported.end >= dates.confirmed_since(self.custody_as_of)

    @property
    def custody_report_age(self) -> str:
        """How long ago the latest report of the annotated state was: "7 years ago"."""
        reported = self.custody_last_reported
        return dates.age_in_words(reported.end) if reported else ""

    @property
    def custody_on_record_since(self) -> FuzzyDate | None:
        """The date of the first report of the annotated state (see `with_custody`)."""
        return self.custody_since

    @property
    def custody_began(self) -> FuzzyDate | None:
        """When the annotated state began, when its first report is its beginning (an arrest, a
        release); None when that report only says it held already."""
        return self.custody_since if getattr(self, "custody_span_began", False) else None

    @property
    def custody_began_by(self) -> FuzzyDate | None:
        """The latest the annotated custody can have begun, estimated from a part of the sentence
        served (see `with_custody`); None when its beginning is known or cannot be estimated."""
        if self.custody_began is not None or getattr(self, "began_by_start", None) is None:
            return None
        return FuzzyDate(self.began_by_start, self.began_by_end, self.began_by_precision)

    @property
    def custody_began_by_display(self) -> str:
        """ "began by March 2016 at the latest", with what it rests on when annotated (see
        `with_custody_estimate`): "…: one third of 6 years served by March 2018"."""
        began_by = self.custody_began_by
        if began_by is None:
            return ""
        latest = gettext("began by %(date)s at the latest") % {"date": began_by.display_after_preposition}
        if not getattr(self, "estimate_sentence_served", None):
            return latest
        reported = FuzzyDate(self.estimate_date_start, self.estimate_date_end, self.estimate_date_precision)
        return gettext("%(began)s: %(part)s of %(sentence)s served by %(date)s") % {
            "began": latest,
            "part": SentenceServed(self.estimate_sentence_served).label,
            "sentence": sentence_in_words(self.estimate_sentence_months, self.estimate_sentence_days),
            "date": reported.display,
        }

    @property
    def custody_since_display(self) -> str:
        """ "since March 2018", or "on record since March 2018 (began earlier)" for a state first
        known from a report that it held, with the latest it can have begun when that is known."""
        since = self.custody_since
        if since is None:
            return ""
        if self.custody_began is not None:
            return since.display_since
        if began_by := self.custody_began_by_display:
            return gettext("on record %(since)s (%(began_by)s)") % {"since": since.display_since, "began_by": began_by}
        return gettext("on record %(since)s (began earlier)") % {"since": since.display_since}

    @property
    def sentence_display(self) -> str:
        """The length of the sentence served in the annotated custody (see `with_custody`)."""
        return sentence_in_words(getattr(self, "sentence_months", None), getattr(self, "sentence_days", None))

    @property
    def expected_end(self) -> FuzzyDate | None:
        """When the sentence served would end, computed from the custody's known beginning; never reported."""
        if getattr(self, "expected_end_start", None) is None:
            return None
        return FuzzyDate(self.expected_end_start, self.expected_end_end, self.expected_end_precision)

    def expected_release_passed(self, last_reported: FuzzyDate | None, today: date) -> bool:
        """Whether the sentence would have ended before `today` with no report of custody since."""
        end = self.expected_end
        if end is None or not self.in_custody or end.end >= today:
            return False
        return last_reported is None or last_reported.start <= end.end

    @property
    def custody_display(self) -> str:
        """The label of the annotated custody state (see `with_custody`)."""
        return CustodyState(self.custody).label

    @property
    def in_custody(self) -> bool:
        """Whether the annotated custody state (see `with_custody`) is a deprivation of liberty."""
        return self.custody in IN_CUSTODY_STATES


class OrganizationQuerySet(NamedQuerySet):
    case_field = "organizations"

    def in_country(self, code: str):
        """Organisations with a published case in that country: an organisation has no country of its own."""
        return self.in_published_cases(country=code)

    def with_events_between(self, since: date | None = None, until: date | None = None):
        """Organisations with a published event in one of their cases that may have happened within [since, until]."""
        from .events import Event

        return self.filter(pk__in=Event.objects.published().between(since, until).values("case__organizations"))

    def with_latest_event(self):
        """The date of each organisation's newest published event is stored on it (see
        `refresh_latest_event`): nothing to annotate."""
        return self

    def refresh_latest_event(self) -> int:
        """Store on each organisation the date of the newest published event of its published cases,
        from the date each case keeps of its own (`CaseQuerySet.refresh_latest_event`).

        Called in the transaction of every write that moves a case's date, its publication or its
        organisations (cases.signals), so sorting organisations by their latest change reads their
        rows: sorting each one's cases for a thousand organisations took 30 ms, their events 130.
        """
        from .cases import Case

        newest = (
            Case.objects.published()
            .filter(organizations=OuterRef("pk"), latest_event_start__isnull=False)
            .order_by("-latest_event_end", "-latest_event_start")
        )
        return self.update(**newest_date(newest, "latest_event_"))


class Organization(LatestEventMixin, Publishable):
    name = models.CharField(_("name"), max_length=200, help_text=_("The name as the source spells it."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in the public address."))
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    location = models.CharField(_("location"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the organisation is, in a sentence or two."))
    summary_ru = models.TextField(
        _("summary in Russian"), blank=True, help_text=_("Shown on the Russian pages instead of the summary.")
    )
    search_text = search_field()
    # The date of the newest published event of its published cases (see
    # OrganizationQuerySet.refresh_latest_event); empty without one.
    latest_event_start = models.DateField(_("latest event, earliest date"), null=True, blank=True, editable=False)
    latest_event_end = models.DateField(_("latest event, latest date"), null=True, blank=True, editable=False)
    latest_event_precision = models.CharField(
        _("latest event, date precision"), max_length=20, choices=DatePrecision.choices, blank=True, editable=False
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["search_text", "latest_event_start", "latest_event_end", "latest_event_precision"]
    )
    # Written by OrganizationQuerySet.refresh_latest_event alone.
    derived_fields = frozenset({"latest_event_start", "latest_event_end", "latest_event_precision"})

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name", "id"], name="cases_organization_name")]
        permissions = [("publish_organization", "Can publish and unpublish organisations")]
        constraints = [
            choices_constraint("kind", OrganizationKind, "cases_organization_kind_valid"),
            choices_constraint(
                "latest_event_precision", DatePrecision, "cases_organization_latest_event_precision_valid", blank=True
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address_of("cases:organization-detail")(self.slug)

    @property
    def public_name(self) -> str:
        return self.name

    @property
    def public_name_variants(self) -> list:
        return loaded(self, "name_variants")

    @property
    def russian_name(self) -> str:
        """The name as Russian writes it, or "" when none is recorded."""
        return russian_spelling(self.public_name_variants)

    def search_names(self) -> list[str]:
        return [self.name, *(variant.name for variant in self.public_name_variants)]


class NameVariant(models.Model):
    """Another spelling of a person's or organisation's name: a transliteration, Cyrillic, an acronym."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="name_variants")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="name_variants"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=VariantKind.choices, default=VariantKind.TRANSLITERATION)
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("Where this spelling comes from, or when it was used.")
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=NameLanguage.choices,
        blank=True,
        help_text=_(
            "The language this spelling is written in. The first Russian spelling is the name on the Russian "
            "pages; a spelling the same in Russian and Kazakh is Russian."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"], name="cases_namevariant_name")]
        constraints = [
            choices_constraint("kind", VariantKind, "cases_namevariant_kind_valid"),
            choices_constraint("language", NameLanguage, "cases_namevariant_language_valid", blank=True),
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="cases_namevariant_one_owner",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return (self.person or self.organization).get_absolute_url()

    @property
    def lang(self) -> str:
        """The `lang` a page marks this spelling with: its language, else guessed from its script."""
        return self.language or (NameLanguage.RUSSIAN if is_cyrillic(self.name) else NameLanguage.ENGLISH)

    def clean(self):
        person = self.person
        if person is not None and person.name_withheld and revealed_words(person.slug, [self.name]):
            raise ValidationError(
                {
                    "name": _(
                        "This spelling is in the public address of a person whose name is withheld: "
                        "change the address first."
                    )
                }
            )
