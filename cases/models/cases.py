"""Cases: the legal matters against people and organisations, and what they are about."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address_of
from ..choices import CaseKind, CaseStage, DatePrecision, EventType
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
    search_field,
)
from .history import HistoricalRecordsOfBothSides


def filed_under_published_case(links: models.QuerySet) -> models.QuerySet:
    """The rows of a case's link table (themes, charges) whose case is published.

    Asks each link for its case's flag rather than joining the cases: a join lets PostgreSQL plan
    the EXISTS as a merge join along every case id (seconds at 150,000 cases), while this walks
    the term's links by their index and stops at the first published case (a fraction of a ms).
    """
    published = Case.objects.filter(pk=OuterRef("case_id")).values("is_published")[:1]
    return links.filter(Subquery(published, output_field=models.BooleanField()))


class ThemeQuerySet(models.QuerySet):
    def public(self):
        """Themes that something published is filed under: a published case, or a published
        development of no case. No other theme appears anywhere public."""
        from .events import Event

        return self.filter(
            Exists(filed_under_published_case(Case.themes.through.objects.filter(theme=OuterRef("pk"))))
            | Exists(Event.objects.published().filter(case=None, theme=OuterRef("pk")))
        )

    def with_public_counts(self):
        """Annotate `case_count` (published cases under the theme) and `development_count` (its
        published developments of no case)."""
        from .events import Event

        cases = Case.objects.published().filter(themes=OuterRef("pk")).order_by().values("themes")
        developments = Event.objects.published().filter(case=None, theme=OuterRef("pk")).order_by().values("theme")
        return self.annotate(
            case_count=Coalesce(Subquery(cases.annotate(n=Count("pk")).values("n")), 0),
            development_count=Coalesce(Subquery(developments.annotate(n=Count("pk")).values("n")), 0),
        )


class Theme(models.Model):
    """A subject area, such as the report's sections: Civil Society, Freedom of Media …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = ThemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address_of("cases:theme-detail")(self.slug)

    @property
    def is_public(self) -> bool:
        return Theme.objects.public().filter(pk=self.pk).exists()


class ChargeQuerySet(models.QuerySet):
    def public(self):
        """Charges of a published case. No other charge appears anywhere public: it would tell
        that an unpublished case exists."""
        return self.filter(
            Exists(filed_under_published_case(Case.charges.through.objects.filter(charge=OuterRef("pk"))))
        )

    def with_public_counts(self):
        """Annotate `case_count`: the published cases with this charge."""
        cases = Case.objects.published().filter(charges=OuterRef("pk")).order_by().values("charges")
        return self.annotate(case_count=Coalesce(Subquery(cases.annotate(n=Count("pk")).values("n")), 0))


class Charge(models.Model):
    """An offence as the authorities name it. Public through the published cases that use it, so
    it is changed, once public, by those who may publish cases (see cases.permissions)."""

    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("The offence as named, such as “inciting discord”.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    article = models.CharField(
        _("code article"),
        max_length=100,
        blank=True,
        help_text=_("The criminal or administrative code article, when the source gives it."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = ChargeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.article})" if self.article else self.name

    def get_absolute_url(self):
        return address_of("cases:charge-detail")(self.slug)

    def first_people(self) -> list[int]:
        """The ids of its first published people (of its published cases) by public name, then id, as
        stored (ChargePeople): FIRST_PEOPLE_STORED at most."""
        stored = ChargePeople.objects.filter(charge=self.pk).values_list("first_people", flat=True)
        return stored.first() or []

    @property
    def is_public(self) -> bool:
        return Charge.objects.public().filter(pk=self.pk).exists()


# A charge's page lists 50 of its people: one more tells it whether there are more.
FIRST_PEOPLE_STORED = 51


class ChargePeople(models.Model):
    """A charge's first FIRST_PEOPLE_STORED published people (of its published cases) by public name,
    then id: what its page lists, which would otherwise walk thousands of people by name checking
    each one's cases. Derived, kept in step with the statistics' counts by charge
    (cases.statistics.refresh_category_tally), in the same transaction; no row, no people."""

    charge = models.OneToOneField(Charge, on_delete=models.CASCADE, primary_key=True, related_name="+")
    first_people = models.JSONField(default=list)

    class Meta:
        verbose_name = _("first people of a charge")
        verbose_name_plural = _("first people of charges")

    def __str__(self):
        return str(self.charge)


@dataclass(frozen=True)
class KeyDate:
    """A date that matters in a case, as its summary shows it: "Verdict: 17 August 2018"."""

    label: str
    event: Any
    detail: str = ""


@dataclass(frozen=True)
class KeyDateRule:
    """Which event gives a key date: the first (or `last`) public event of one of `types` (any type
    when None); for a sentence, only an event that gives one, and the last (an appeal replaces it)."""

    label: Any
    types: frozenset | None = None
    last: bool = False
    sentence: bool = False

    def find(self, events) -> KeyDate | None:
        matching = [e for e in events if self.types is None or e.type in self.types]
        if self.sentence:
            matching = [e for e in matching if e.sentence_display]
        if not matching:
            return None
        event = matching[-1] if self.last else matching[0]
        return KeyDate(str(self.label), event, event.sentence_display if self.sentence else "")


KEY_DATES = [
    KeyDateRule(_("Opened"), frozenset({EventType.INVESTIGATION_OPENED})),
    KeyDateRule(_("Charged"), frozenset({EventType.CHARGED})),
    KeyDateRule(_("Trial"), frozenset({EventType.TRIAL})),
    KeyDateRule(_("Verdict"), frozenset({EventType.CONVICTED, EventType.ACQUITTED})),
    KeyDateRule(_("Sentence"), frozenset({EventType.CONVICTED, EventType.SENTENCE_CHANGED}), last=True, sentence=True),
    KeyDateRule(_("Last event"), last=True),
]


class CaseQuerySet(SearchableQuerySet):
    sort_field = "title"

    def in_country(self, code: str):
        return self.filter(country=code)

    def with_events_between(self, since: date | None = None, until: date | None = None):
        """Cases with a published event that may have happened within [since, until]."""
        from .events import Event

        return self.filter(pk__in=Event.objects.published().between(since, until).values("case"))

    def with_latest_event(self):
        """The date of each case's newest published event is stored on the case (see
        `refresh_latest_event`): nothing to annotate. Kept so that cases, people and organisations
        are read alike."""
        return self

    def refresh_latest_event(self) -> int:
        """Store on each case the date of its newest published event, as `latest_event_*`.

        Called in the transaction that publishes, unpublishes, edits, moves or deletes an event, or
        changes whether its person is published (cases.signals), so sorting cases by their latest
        change reads an index instead of looking up every case's events. Whether the case itself is
        published does not enter: only published cases are listed.
        """
        from .events import Event

        events = Event.objects.filter(case=OuterRef("pk"), is_published=True)
        newest = events.filter(Q(person__isnull=True) | Q(person__is_published=True)).newest_first()
        return self.update(**newest_date(newest, "date_"))

    def with_public_subjects(self):
        """Prefetch published people and organisations as `public_people` / `public_organizations`."""
        from .people import Organization, Person

        return self.prefetch_related(
            prefetched_list("charges"),
            prefetched_list("themes"),
            # With their spellings: the Russian pages name them in Cyrillic.
            Prefetch("people", queryset=Person.objects.published().with_search_names(), to_attr="public_people"),
            Prefetch(
                "organizations",
                queryset=Organization.objects.published().with_search_names(),
                to_attr="public_organizations",
            ),
        )

    def with_public_events(self):
        """Prefetch published events, oldest first, with their citations as `public_events`."""
        from .events import Event

        events = Event.objects.published().with_public_citations().in_date_order()
        return self.prefetch_related(Prefetch("events", queryset=events, to_attr="public_events"))

    def with_stage(self, on: date | None = None):
        """Annotate `stage`: the stage set by the last published event certainly over by `on`."""
        from .events import Event

        events = Event.objects.published().filter(case=OuterRef("pk")).exclude(stage="")
        if on is not None:
            events = events.filter(date_end__lte=on)
        latest = events.order_by("-date_end", "-date_start", "-pk").values("stage")[:1]
        return self.annotate(stage=Subquery(latest))


class Case(LatestEventMixin, Publishable):
    title = models.CharField(_("title"), max_length=300)
    title_ru = models.CharField(
        _("title in Russian"),
        max_length=300,
        blank=True,
        help_text=_("Shown on the Russian pages instead of the title."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in the public address."))
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices, default=CaseKind.CRIMINAL)
    themes = models.ManyToManyField(Theme, blank=True, related_name="cases", verbose_name=_("themes"))
    country = country_field()
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("Where the case is heard."))
    summary = models.TextField(_("summary"), blank=True)
    summary_ru = models.TextField(
        _("summary in Russian"), blank=True, help_text=_("Shown on the Russian pages instead of the summary.")
    )
    people = models.ManyToManyField(
        "Person", blank=True, related_name="cases", verbose_name=_("people"), help_text=_("The people it targets.")
    )
    organizations = models.ManyToManyField(
        "Organization",
        blank=True,
        related_name="cases",
        verbose_name=_("organisations"),
        help_text=_("The organisations it targets."),
    )
    charges = models.ManyToManyField(Charge, blank=True, related_name="cases", verbose_name=_("charges"))
    search_text = search_field()
    # The date of the newest published event (see CaseQuerySet.refresh_latest_event); empty without one.
    latest_event_start = models.DateField(_("latest event, earliest date"), null=True, blank=True, editable=False)
    latest_event_end = models.DateField(_("latest event, latest date"), null=True, blank=True, editable=False)
    latest_event_precision = models.CharField(
        _("latest event, date precision"), max_length=20, choices=DatePrecision.choices, blank=True, editable=False
    )

    objects = CaseQuerySet.as_manager()
    # Its people, organisations and charges are recorded here whichever side changes them
    # (`person.cases.add(case)` too). The latest event is derived from the events, whose own history keeps it.
    history = HistoricalRecordsOfBothSides(
        m2m_fields=[people, organizations, charges],
        excluded_fields=["search_text", "latest_event_start", "latest_event_end", "latest_event_precision"],
    )
    # Written by CaseQuerySet.refresh_latest_event alone.
    derived_fields = frozenset({"latest_event_start", "latest_event_end", "latest_event_precision"})

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["title", "pk"]
        # On PostgreSQL, `?sort=latest` reads its page from an index (migration 0014): one SQLite
        # cannot build (NULLS LAST), so it lives outside the model state.
        indexes = [
            models.Index(fields=["title", "id"], name="cases_case_title"),
            # The countries of published cases, read a country at a time (see cases.countries).
            models.Index(fields=["country"], condition=Q(is_published=True), name="cases_case_public_country"),
        ]
        permissions = [("publish_case", "Can publish and unpublish cases")]
        constraints = [
            choices_constraint("kind", CaseKind, "cases_case_kind_valid"),
            choices_constraint(
                "latest_event_precision", DatePrecision, "cases_case_latest_event_precision_valid", blank=True
            ),
            country_constraint("cases_case_country_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address_of("cases:case-detail")(self.slug)

    def search_names(self) -> list[str]:
        return [self.title, self.title_ru] if self.title_ru else [self.title]

    @property
    def charge_list(self) -> list:
        return loaded(self, "charges")

    @property
    def theme_list(self) -> list:
        return loaded(self, "themes")

    @property
    def stage_display(self) -> str:
        """The label of the annotated stage (see `CaseQuerySet.with_stage`)."""
        return CaseStage(self.stage).label if self.stage else ""

    def key_dates(self) -> list[KeyDate]:
        """The dates that matter (opened, charged, trial, verdict, sentence, last event), from the
        public events as loaded by `CaseQuerySet.with_public_events` (oldest first): no query of its own."""
        return [found for rule in KEY_DATES if (found := rule.find(self.public_events)) is not None]

    def affected_people(self):
        """The people whose custody the case's events can set: its people, and whoever one of its
        events names, who may since have been taken out of the case (see Event.affected_people)."""
        from .people import Person

        named = self.events.exclude(person=None).values("person")
        return Person.objects.filter(Q(pk__in=self.people.values("pk")) | Q(pk__in=named))
