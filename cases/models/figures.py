"""The statistics of the people in custody on a date, kept as a monthly snapshot and each person's and
case's share of it (see cases.figures_on_a_date)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import choices_constraint
from .custody import WeightChanges


class Part(models.IntegerChoices):
    """What a row of the statistics' sums counts (`cases.statistics.summed_for`): the month kinds of
    CustodyMonthTally, then under each charge and theme the cases naming several of the people and
    the people (with their cases naming no one else), then the people themselves."""

    BEGUN = 0, _("custody begun in the month")
    ENDED = 1, _("custody ended in the month")
    UNCONFIRMED = 2, _("custody unconfirmed from the month")
    CHARGE_CASES = 3, _("shared cases under the charge")
    CHARGE_PEOPLE = 4, _("people under the charge")
    THEME_CASES = 5, _("shared cases under the theme")
    THEME_PEOPLE = 6, _("people under the theme")
    EVERYONE = 7, _("the people")


class Holder(models.IntegerChoices):
    """Whose share a row is: a published person's, or a published case's that names several people
    (counted once however many of its people are in custody)."""

    PERSON = 0, _("person")
    CASE = 1, _("case")


class FigureSums(WeightChanges):
    """What a row of the statistics' sums adds up (as `cases.statistics.summed_for`): cases, and the
    weights of the people (cases.models.people.WEIGHTS), signed as a difference may be. A snapshot's
    groups whose size is a minimum are, under EVERYONE, those flagged as a minimum at all, as the
    headcount counts them."""

    part = models.PositiveSmallIntegerField(choices=Part.choices)
    key = models.IntegerField(help_text=_("The month index (year × 12 + month − 1), or the charge's or theme's id."))
    cases = models.IntegerField(default=0)

    class Meta(WeightChanges.Meta):
        abstract = True


class FigureInterval(models.Model):
    """A stretch of time a person, or a case naming several people, counts among the people in
    custody on a date: a person's custody spans in a state of custody, joined where one follows
    another; a case's, the union of those of its published people.

    Stored as last added to the snapshots, so that a recount can take away exactly what it added."""

    holder = models.PositiveSmallIntegerField(choices=Holder.choices)
    holder_id = models.PositiveIntegerField(help_text=_("The person's or the case's id."))
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text=_("Exclusive; empty while it holds."))

    class Meta:
        verbose_name = _("interval of a share of the statistics")
        verbose_name_plural = _("intervals of shares of the statistics")
        indexes = [
            models.Index(fields=["holder", "holder_id"], name="cases_figure_interval_holder"),
            # A date's reading takes the intervals that began or ended since the month began.
            models.Index(fields=["valid_from"], name="cases_figure_interval_from"),
            models.Index(fields=["valid_until"], name="cases_figure_interval_until"),
        ]
        constraints = [
            choices_constraint("holder", Holder, "cases_figure_interval_holder_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="cases_figure_interval_date_order",
            ),
        ]

    def __str__(self):
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.get_holder_display()} {self.holder_id}: {self.valid_from.isoformat()}–{until}"


class FigureShare(FigureSums):
    """What a person, or a case naming several people, adds to the statistics while in custody (see
    FigureInterval): the person's months of custody, charges, themes and weight; the case's charges
    and themes. Stored as last added to the snapshots."""

    holder = models.PositiveSmallIntegerField(choices=Holder.choices)
    holder_id = models.PositiveIntegerField(help_text=_("The person's or the case's id."))

    class Meta:
        verbose_name = _("share of the statistics")
        verbose_name_plural = _("shares of the statistics")
        constraints = [
            choices_constraint("holder", Holder, "cases_figure_share_holder_valid"),
            choices_constraint("part", Part, "cases_figure_share_part_valid"),
            models.UniqueConstraint(fields=["holder", "holder_id", "part", "key"], name="cases_figure_share_one_row"),
        ]

    def __str__(self):
        return f"{self.get_holder_display()} {self.holder_id}: {self.get_part_display()} {self.key}"


class FigureSnapshot(FigureSums):
    """The statistics of the published people in custody on the first day of a month: the sum of the
    shares whose interval holds that day. A date's figures are the snapshot of the nearer first day,
    plus or minus the shares whose interval began or ended in between (`cases.figures_on_a_date.sums_on`).

    Kept in step by cases.signals in the transaction of every write that changes a share, for the
    months up to the latest stored; months after it are added as they come; `manage.py
    rebuild_custody_spans` recounts it whole."""

    month = models.PositiveIntegerField(help_text=_("year × 12 + month − 1"))

    class Meta:
        verbose_name = _("monthly snapshot of the statistics")
        verbose_name_plural = _("monthly snapshots of the statistics")
        constraints = [
            choices_constraint("part", Part, "cases_figure_snapshot_part_valid"),
            # What a write adds to a month's rows finds them by it (ON CONFLICT): a plain unique index,
            # which SQLite has too, where it has no covering ones.
            models.UniqueConstraint(fields=["month", "part", "key"], name="cases_figure_snapshot_one_row"),
        ]

    def __str__(self):
        return f"{self.month}: {self.get_part_display()} {self.key}"
