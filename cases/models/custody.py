"""Who was in which custody state when: the spans derived from published events (see cases.custody)."""

from collections.abc import Iterable
from datetime import date

from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..choices import CustodyState, DatePrecision
from ..dates import FuzzyDate
from .base import choices_constraint


class CustodySpan(models.Model):
    """A stretch of time one custody state held for a person, derived from published events.

    Kept in step with events by cases.custody (called from cases.signals) inside the same
    transaction; rebuilt whole by `manage.py rebuild_custody_spans`. Answers "status on a date"
    with one index look-up.
    """

    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="custody_spans")
    state = models.CharField(max_length=30, choices=CustodyState.choices)
    valid_from = models.DateField(help_text=_("The day by which the setting event was certainly over."))
    valid_until = models.DateField(null=True, blank=True, help_text=_("Exclusive; empty while it holds."))
    event = models.ForeignKey(
        "Event", on_delete=models.CASCADE, related_name="+", help_text=_("The event that set it.")
    )
    # A copy of the setting event's date_end: lists sort by a person's latest change on a date from
    # the span alone, without looking up an event for each of a hundred thousand people.
    since_end = models.DateField(help_text=_("The end of the setting event's date (copied from the event)."))
    began = models.BooleanField(
        default=False,
        help_text=_(
            "Whether the setting event began the state (an arrest, a release); false when it only reports a "
            "state that held already (a status report, a parole denial), which then began earlier."
        ),
    )
    sentence_event = models.ForeignKey(
        "Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The latest event of this stretch of custody that gives the sentence served."),
    )
    # The end of that sentence, counted from the known beginning of the custody; empty when the
    # beginning is not known (a first report is not a beginning).
    expected_end_start = models.DateField(null=True, blank=True)
    expected_end_end = models.DateField(null=True, blank=True)
    expected_end_precision = models.CharField(max_length=20, choices=DatePrecision.choices, blank=True)
    # The latest the custody can have begun, when its beginning is not on record but a report says how
    # much of the sentence was served by its date ("one third of six years served by March 2018").
    began_by_start = models.DateField(null=True, blank=True)
    began_by_end = models.DateField(null=True, blank=True)
    began_by_precision = models.CharField(max_length=20, choices=DatePrecision.choices, blank=True)
    began_by_event = models.ForeignKey(
        "Event",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The event whose part of the sentence served dates the latest beginning of this custody."),
    )
    # Events that confirm a state extend its span without moving its start: the latest of them
    # says how fresh the state is ("last reported January 2019"), which the setting event cannot.
    last_report = models.ForeignKey(
        "Event",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The latest event that reported this state: the setting event or a later one confirming it."),
    )

    class Meta:
        verbose_name = _("custody span")
        verbose_name_plural = _("custody spans")
        ordering = ["person", "valid_from"]
        indexes = [
            models.Index(fields=["person", "-valid_from"], name="cases_span_person_from"),
            models.Index(fields=["state", "valid_from", "valid_until"], name="cases_span_state_dates"),
            # CustodyMonthTally recounts the spans that ended in a month from here.
            models.Index(fields=["state", "valid_until"], name="cases_span_state_until"),
        ]
        constraints = [
            choices_constraint("state", CustodyState, "cases_span_state_valid"),
            models.UniqueConstraint(fields=["person", "valid_from"], name="cases_span_one_start_per_day"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="cases_span_date_order",
            ),
            choices_constraint(
                "expected_end_precision", DatePrecision, "cases_span_expected_end_precision_valid", blank=True
            ),
            models.CheckConstraint(
                condition=Q(expected_end_start__isnull=True, expected_end_end__isnull=True, expected_end_precision="")
                | Q(expected_end_start__lte=F("expected_end_end")) & ~Q(expected_end_precision=""),
                name="cases_span_expected_end_whole",
            ),
            choices_constraint("began_by_precision", DatePrecision, "cases_span_began_by_precision_valid", blank=True),
            models.CheckConstraint(
                condition=Q(began_by_start__isnull=True, began_by_end__isnull=True, began_by_precision="")
                | Q(began_by_start__lte=F("began_by_end")) & ~Q(began_by_precision=""),
                name="cases_span_began_by_whole",
            ),
        ]

    def __str__(self):
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.person}: {self.get_state_display()} {self.valid_from.isoformat()}–{until}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    @property
    def expected_end(self) -> FuzzyDate | None:
        if self.expected_end_start is None:
            return None
        return FuzzyDate(self.expected_end_start, self.expected_end_end, self.expected_end_precision)

    @expected_end.setter
    def expected_end(self, value: FuzzyDate | None):
        if value is None:
            self.expected_end_start, self.expected_end_end, self.expected_end_precision = None, None, ""
        else:
            self.expected_end_start, self.expected_end_end, self.expected_end_precision = (
                value.start,
                value.end,
                value.precision,
            )

    @property
    def began_by(self) -> FuzzyDate | None:
        if self.began_by_start is None:
            return None
        return FuzzyDate(self.began_by_start, self.began_by_end, self.began_by_precision)

    @began_by.setter
    def began_by(self, value: FuzzyDate | None):
        if value is None:
            self.began_by_start, self.began_by_end, self.began_by_precision = None, None, ""
        else:
            self.began_by_start, self.began_by_end, self.began_by_precision = value.start, value.end, value.precision


class Weights(models.Model):
    """What a tally row sums of its people (cases.models.people.WEIGHTS): the individuals they stand
    for, the groups whose size is a minimum, and those of unknown size."""

    individuals = models.PositiveIntegerField(default=0)
    minimums = models.PositiveIntegerField(default=0, help_text=_("Groups whose size is a minimum."))
    unknown_groups = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class WeightChanges(models.Model):
    """Weights (see Weights) of the custody spans that began, ended or went unconfirmed then."""

    individuals = models.IntegerField(default=0)
    minimums = models.IntegerField(default=0, help_text=_("Groups whose size is a minimum."))
    unknown_groups = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CustodyTally(Weights):
    """How many individuals the published people stand for, by the state of their open custody span
    (unknown without one) and the end of its latest report: the home page's, the people list's and
    the API's unfiltered headcounts read these few rows instead of every person.

    The report's day is kept, not a flag, so that "unconfirmed" (no report since
    `cases.dates.confirmed_since`) can be answered for any day. Kept in step by cases.custody in the
    transaction of every write that moves a person between rows; `manage.py rebuild_custody_spans`
    recounts it whole.
    """

    state = models.CharField(max_length=30, choices=CustodyState.choices)
    reported_end = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("custody tally")
        verbose_name_plural = _("custody tallies")
        constraints = [choices_constraint("state", CustodyState, "cases_tally_state_valid")]

    def __str__(self):
        return f"{self.state} {self.reported_end}: {self.individuals}"


class CustodyMonthTally(WeightChanges):
    """The statistics' months for all the published people: per month, the weights of the custody
    spans that began in it, that ended in it, and of the open ones unconfirmed from it on (see
    `cases.statistics.custody_by_month`, which adds them up; SliceMonthTally keeps them for each country
    and role, and a page filtered otherwise sums the spans instead).

    Kept in step by cases.custody in the transaction of every write that changes a span or a person
    they count; `manage.py rebuild_custody_spans` recounts it whole.
    """

    class Kind(models.IntegerChoices):
        BEGUN = 0, _("begun")
        ENDED = 1, _("ended")
        UNCONFIRMED = 2, _("unconfirmed from")

    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    month = models.PositiveIntegerField(help_text=_("year × 12 + month − 1"))

    class Meta:
        verbose_name = _("custody month tally")
        verbose_name_plural = _("custody month tallies")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[0, 1, 2]), name="cases_month_tally_kind_valid"),
            models.UniqueConstraint(fields=["kind", "month"], name="cases_month_tally_one_row"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.month}: {self.individuals}"


class CustodyDayTallyQuerySet(models.QuerySet):
    def weights_on(self, on: date, states: Iterable[str]) -> dict[str, int]:
        """The individuals, groups whose size is a minimum and groups of unknown size of the published
        people in one of `states` on `on`: what began by then less what ended by then."""
        signed = {
            name: Coalesce(
                models.Sum(
                    Case(When(kind=CustodyDayTally.Kind.ENDED, then=-F(name)), default=F(name)),
                    output_field=models.IntegerField(),
                ),
                0,
            )
            for name in ("individuals", "minimums", "unknown_groups")
        }
        return self.filter(state__in=sorted(states), day__lte=on).aggregate(**signed)


class CustodyDayTally(WeightChanges):
    """The status on any date for all the published people: per custody state and day, the weights
    of the spans in that state that began on that day and of those that ended on it. The weight in
    a state on a day D is what began by D less what ended by D (`valid_until` is exclusive), a sum
    over a few tens of thousands of small rows instead of a join of every person with their spans.

    Kept in step by cases.custody in the transaction of every write that changes a span or a person
    they count; `manage.py rebuild_custody_spans` recounts it whole.
    """

    class Kind(models.IntegerChoices):
        BEGUN = 0, _("begun")
        ENDED = 1, _("ended")

    state = models.CharField(max_length=30, choices=CustodyState.choices)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    day = models.DateField()

    objects = CustodyDayTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("custody day tally")
        verbose_name_plural = _("custody day tallies")
        constraints = [
            choices_constraint("state", CustodyState, "cases_day_tally_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=[0, 1]), name="cases_day_tally_kind_valid"),
            # Covering, so that a day's sum reads the index alone (PostgreSQL; elsewhere a plain index).
            models.UniqueConstraint(
                fields=["state", "day", "kind"],
                include=["individuals", "minimums", "unknown_groups"],
                name="cases_day_tally_one_row",
            ),
        ]

    def __str__(self):
        return f"{self.state} {self.get_kind_display()} {self.day}: {self.individuals}"


class CategoryKind(models.TextChoices):
    CHARGE = "charge", _("charge")
    THEME = "theme", _("theme")


class CategoryCounts(Weights):
    """What a charge's or theme's row of the statistics counts: its published cases that name a
    published person, and the individuals those people stand for."""

    cases = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class CategoryTally(CategoryCounts):
    """The statistics' counts by charge and theme for all the published people: per charge or theme,
    its published cases that name a published person, and the individuals those people stand for
    (see `cases.statistics.counts_by_charge`; SliceCategoryTally keeps them for each country and role, and a
    page filtered otherwise counts its own people instead).

    Kept in step by cases.signals in the transaction of every write to a case's charges, themes,
    people or publication, or to a person's publication or group size; `manage.py
    rebuild_custody_spans` recounts it whole.
    """

    kind = models.CharField(max_length=10, choices=CategoryKind.choices)
    category_id = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("category tally")
        verbose_name_plural = _("category tallies")
        constraints = [
            choices_constraint("kind", CategoryKind, "cases_category_tally_kind_valid"),
            models.UniqueConstraint(fields=["kind", "category_id"], name="cases_category_tally_one_row"),
        ]

    def __str__(self):
        return f"{self.kind} {self.category_id}: {self.individuals}"


class Slice(models.TextChoices):
    """A field of the person that a statistics page is often filtered by alone: the statistics of each
    of its values are kept like those of all the published people (SliceMonthTally, SliceCategoryTally)."""

    COUNTRY = "country", _("country")
    ROLE = "role", _("role")


class SliceMonthTally(WeightChanges):
    """CustodyMonthTally's rows for the published people of one country, or of one role: what a
    statistics page filtered by that alone adds up (`cases.statistics.figures`), instead of summing
    the spans of tens of thousands of people.

    Recounted with CustodyMonthTally's rows of the same months, in the same transaction, for every
    value at once: a person who changed country leaves the old one's rows as they join the new one's.
    """

    slice = models.CharField(max_length=10, choices=Slice.choices)
    value = models.CharField(max_length=30)
    kind = models.PositiveSmallIntegerField(choices=CustodyMonthTally.Kind.choices)
    month = models.PositiveIntegerField(help_text=_("year × 12 + month − 1"))

    class Meta:
        verbose_name = _("custody month tally of a slice")
        verbose_name_plural = _("custody month tallies of slices")
        constraints = [
            choices_constraint("slice", Slice, "cases_slice_month_tally_slice_valid"),
            models.CheckConstraint(condition=Q(kind__in=[0, 1, 2]), name="cases_slice_month_tally_kind_valid"),
            models.UniqueConstraint(fields=["slice", "value", "kind", "month"], name="cases_slice_month_tally_one_row"),
        ]

    def __str__(self):
        return f"{self.slice}={self.value} {self.get_kind_display()} {self.month}: {self.individuals}"


class SliceCategoryTally(CategoryCounts):
    """CategoryTally's rows for the published people of one country, or of one role (see
    SliceMonthTally): a case naming people of two countries counts once in each.

    Recounted with CategoryTally's rows of the same charges and themes, in the same transaction."""

    slice = models.CharField(max_length=10, choices=Slice.choices)
    value = models.CharField(max_length=30)
    kind = models.CharField(max_length=10, choices=CategoryKind.choices)
    category_id = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("category tally of a slice")
        verbose_name_plural = _("category tallies of slices")
        constraints = [
            choices_constraint("slice", Slice, "cases_slice_category_tally_slice_valid"),
            choices_constraint("kind", CategoryKind, "cases_slice_category_tally_kind_valid"),
            models.UniqueConstraint(
                fields=["slice", "value", "kind", "category_id"], name="cases_slice_category_tally_one_row"
            ),
        ]

    def __str__(self):
        return f"{self.slice}={self.value} {self.kind} {self.category_id}: {self.individuals}"


class PersonCategory(models.Model):
    """A charge or theme under which a person has a published case, with how many of those cases
    name no one else: what a filtered statistics page counts its people by (`cases.statistics
    summed_for`), a row a person and category rather than each case joined with its categories and
    the pairs made distinct. The cases naming several people are in SharedCaseLink, counted once
    however many of their people are chosen.

    Depends on the cases alone (their publication, people, charges and themes), not on the person's
    publication or size, which the page reads from the person. Kept in step by cases.signals in the
    transaction of every such write; `manage.py rebuild_custody_spans` recounts it whole.
    """

    # Looked up by the unique constraint's index, which begins with the person (on PostgreSQL, by
    # one that holds the whole row: migration 0030).
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=10, choices=CategoryKind.choices)
    category_id = models.PositiveIntegerField()
    solo_cases = models.PositiveIntegerField(default=0, help_text=_("Of the person's cases, those naming no one else."))

    class Meta:
        verbose_name = _("person's category")
        verbose_name_plural = _("people's categories")
        # The people of a charge or theme (`PersonQuerySet.filed_under_id`).
        indexes = [models.Index(fields=["kind", "category_id", "person"], name="cases_person_category_members")]
        constraints = [
            choices_constraint("kind", CategoryKind, "cases_person_category_kind_valid"),
            models.UniqueConstraint(fields=["person", "kind", "category_id"], name="cases_person_category_one_row"),
        ]

    def __str__(self):
        return f"{self.person_id}: {self.kind} {self.category_id}"


class SharedCaseLink(models.Model):
    """A published case that names several people, and one of them (see PersonCategory): the cases a
    filtered statistics page must count once however many of its chosen people they name."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="+")
    # Looked up by the unique constraint's index, which begins with the person.
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("shared case link")
        verbose_name_plural = _("shared case links")
        constraints = [models.UniqueConstraint(fields=["person", "case"], name="cases_shared_case_link_one_row")]

    def __str__(self):
        return f"{self.case_id}: {self.person_id}"
