"""What happened when, and who says so."""

from collections.abc import Iterable
from datetime import date

from django.contrib.postgres.fields import DateRangeField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connections, models
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import IN_CUSTODY_STATES, CaseStage, CustodyState, DatePrecision, EventType, SentenceServed
from ..dates import FuzzyDate, sentence_in_words
from .base import Publishable, PublishableQuerySet, choices_constraint, loaded, prefetched_list, previewed_record
from .custody import Weights

# Event types that pronounce or change a sentence; any other event may repeat a sentence only
# once the case records a conviction.
SENTENCING_TYPES = frozenset({EventType.CONVICTED, EventType.SENTENCE_CHANGED})
RELEASE_TYPES = frozenset({EventType.RELEASED, EventType.RELEASED_ON_PAROLE})
# Long enough for a paragraph of a court decision; longer is no longer a quotation.
QUOTE_MAX_LENGTH = 1500


def published_event(path: str = "") -> Q:
    """What `EventQuerySet.published()` asks of an event, for the event at `path` ("citations__event__"):
    conditions on its own row and its case's and person's, which a query joins by their keys
    instead of matching against the set of every published event."""
    if previewed_record() is not None:
        return Q()
    return (
        Q(**{f"{path}is_published": True})
        & (Q(**{f"{path}case__isnull": True}) | Q(**{f"{path}case__is_published": True}))
        & (Q(**{f"{path}person__isnull": True}) | Q(**{f"{path}person__is_published": True}))
    )


# A search naming at most this many people (or organisations) reads their events by their keys;
# naming more, by walking the events in the list's order, which soon meets theirs.
FEW_SUBJECTS = 5_000


def few_or_all(records: QuerySet) -> list[int] | QuerySet:
    """The keys of `records` if they are few, else a subquery of them all. Given the subquery,
    PostgreSQL cannot tell how many events the names a search matches have (for "z", 12 % of all
    events where 0.2 % are theirs) and plans for its guess: the events of a few people read by walking
    thirty years of every event (seconds). Given their keys, it plans by how many they are."""
    keys = list(records.order_by().values_list("pk", flat=True)[: FEW_SUBJECTS + 1])
    return keys if len(keys) <= FEW_SUBJECTS else records.order_by().values("pk")


def not_older_than(key: tuple) -> Q:
    """Events at or before `key` = (date_end, date_start, pk) in the newest-first order: the
    leading `date_end__gte` is what lets the database start its walk of that order's index there."""
    date_end, date_start, pk = key
    return Q(date_end__gte=date_end) & (
        Q(date_end__gt=date_end) | Q(date_start__gt=date_start) | Q(date_start=date_start, pk__gte=pk)
    )


class DatedQuerySet(models.QuerySet):
    def between(self, since: date | None = None, until: date | None = None):
        """What may have happened within [since, until]: dated from `date_start` to `date_end`, an
        interval that overlaps it."""
        dated = self
        if since is not None:
            dated = dated.filter(date_end__gte=since)
        if until is not None:
            dated = dated.filter(date_start__lte=until)
        return dated


NEWEST_FIRST = ("-date_end", "-date_start", "-pk")


class EventQuerySet(PublishableQuerySet, DatedQuerySet):
    # The keys of a search's newest matches, newest first (`newest_of_each`). Not carried to a clone,
    # whose filters may keep fewer of them.
    newest_keys: list[int] | None = None

    def keys_in_order(self) -> list[int] | None:
        """These events' keys in their order, when a search has read them already in it (see
        `newest_of_each`): a list pages through them without counting and sorting its matches again."""
        return self.newest_keys if tuple(self.query.order_by) == NEWEST_FIRST else None

    def published(self):
        """Published events whose case and person (if any) are published too."""
        return self.filter(published_event())

    def in_country(self, code: str):
        """Events of cases in that country; a development outside any case has no country."""
        return self.filter(case__country=code)

    def concerning(self, person):
        """Events about `person`: their own, and those of their cases that name no one person."""
        from .cases import Case

        # A subquery, not a join through the case's people: a join repeats an event once per co-accused.
        their_cases = Case.objects.filter(people=person).values("pk")
        # A UNION of two index look-ups (by person, by case), not one OR: PostgreSQL plans the OR
        # as a walk of the newest-first index past every event until it has a page of them.
        own = Event.objects.filter(person=person).order_by().values("pk")
        of_their_cases = Event.objects.filter(person__isnull=True, case__in=their_cases).order_by().values("pk")
        return self.filter(pk__in=own.union(of_their_cases, all=True))

    def with_public_citations(self):
        """Prefetch what an event's public display needs: citations of published sources, subjects."""

        return self.select_related("case", "person", "theme").prefetch_related(
            prefetched_list("name_variants", through="person"),
            prefetched_list("citations", queryset=public_citations()),
        )

    def with_public_subjects(self):
        """Prefetch the published people and organisations of each event's case (for `public_subject`)."""
        from .people import Organization, Person

        return self.select_related("case", "person", "theme").prefetch_related(
            prefetched_list("name_variants", through="person"),
            models.Prefetch(
                "case__people", queryset=Person.objects.published().with_search_names(), to_attr="public_people"
            ),
            models.Prefetch(
                "case__organizations",
                queryset=Organization.objects.published().with_search_names(),
                to_attr="public_organizations",
            ),
        )

    def with_search_names(self):
        """Prefetch what `search_names()` reads: the description is on the row."""
        return self

    def search(self, text: str, first: int | None = None):
        """Events whose description, or the public name of a subject, matches `text` forgivingly
        (see cases.search): the person's own events and their cases' events that name no one person,
        and the events of an organisation's cases. Keeps the order it was given.

        Each of those four ways to match is read on its own, by its own index, and the matches are
        their union: PostgreSQL plans an OR of them as one walk of every event in the list's order,
        which read all 1.5 million for a word nothing matches (seconds). With `first`, only the
        `first` newest of each are kept (`newest_of_each`), so that a word most events match is
        still read by walking the newest until there are enough: every one of the `first` newest
        matches is among them, which is all that a list stopping at `first` rows shows."""
        from ..search import words_match
        from .cases import Case
        from .people import Organization, Person

        if not (text or "").strip():
            return self
        words = words_match(text)
        if words is None:
            return self.none()
        people = few_or_all(Person.objects.published().search(text))
        organizations = few_or_all(Organization.objects.published().search(text))
        ways = [
            self.filter(words),
            # Said of the person: what lets the database read the partial index of such events.
            self.filter(person__isnull=False, person__in=people),
            self.filter(person__isnull=True, case__in=Case.objects.filter(people__in=people).values("pk")),
            self.filter(case__in=Case.objects.filter(organizations__in=organizations).values("pk")),
        ]
        if first is not None:
            return self.newest_of_each(*ways, count=first)
        keys = [way.order_by().values("pk") for way in ways]
        return self.filter(pk__in=keys[0].union(*keys[1:], all=True))

    def in_date_order(self):
        return self.order_by("date_start", "date_end", "pk")

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def newest_of_each(self, *parts: "EventQuerySet", count: int) -> "EventQuerySet":
        """The `count` newest of these events that are in any of `parts`, with their keys in that order
        (`newest_keys`).

        Each part's newest are read on their own: PostgreSQL plans an OR of the parts as one walk of
        the newest-first index, past every other event of thirty years until it has `count` of them
        (seconds, for a theme of one report's 2018), while each part alone is planned by how many
        events it has.

        Once `count` are in hand, the later parts are read only as far back as the `count`-th newest
        of them: nothing older can be among the newest `count` of them all. A word that thousands of
        events and people match has its newest in the first part, and the others then read a few
        weeks rather than sort every event of 24,000 people."""
        newest: dict[int, tuple] = {}
        for part in parts:
            if len(newest) >= count:
                part = part.filter(not_older_than(sorted(newest.values(), reverse=True)[count - 1]))
            rows = part.newest_first().values_list("date_end", "date_start", "pk")[:count]
            newest.update((pk, (date_end, date_start, pk)) for date_end, date_start, pk in rows)
        kept = [pk for *_, pk in sorted(newest.values(), reverse=True)[:count]]
        found = self.filter(pk__in=kept)
        found.newest_keys = kept
        return found


class Event(Publishable):
    """A change in a case, dated as precisely as its source allows."""

    case = models.ForeignKey(
        "Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Leave empty only for a development that concerns no single case (a law, an international step)."),
    )
    person = models.ForeignKey(
        "Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_events",
        help_text=_("The one person of the case this concerns; leave empty when it concerns everyone in the case."),
    )
    theme = models.ForeignKey(
        "Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="context_events",
        help_text=_("For a development with no case: the theme it belongs to."),
    )
    type = models.CharField(_("type"), max_length=30, choices=EventType.choices)
    date_start = models.DateField(
        _("earliest date"),
        help_text=_("The earliest day the event can have happened; for “In March 2018”, any day of March 2018."),
    )
    date_end = models.DateField(
        _("latest date"),
        blank=True,
        help_text=_(
            "The latest day the event can have happened. Filled in from the precision (a month ends on its "
            "last day); enter it yourself only for a range."
        ),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How precisely the source dates it: “In March” is a month, not 1 March."),
    )
    custody = models.CharField(
        _("custody afterwards"),
        max_length=30,
        choices=CustodyState.choices,
        blank=True,
        help_text=_("The custody state this leaves the person in; leave empty if it does not change it."),
    )
    stage = models.CharField(
        _("case stage afterwards"),
        max_length=30,
        choices=CaseStage.choices,
        blank=True,
        help_text=_("The stage this moves the case to; leave empty if it does not change it."),
    )
    sentence_months = models.PositiveIntegerField(
        _("sentence (months)"), null=True, blank=True, help_text=_("For a sentence: its length in months.")
    )
    sentence_days = models.PositiveIntegerField(
        _("sentence (days)"), null=True, blank=True, help_text=_("For a short sentence, such as days of arrest.")
    )
    parole_eligible_on = models.DateField(
        _("eligible for parole from"),
        null=True,
        blank=True,
        help_text=_("For a sentence: the day the source says parole becomes possible, when it says so."),
    )
    sentence_served = models.CharField(
        _("part of the sentence served"),
        max_length=5,
        choices=SentenceServed.choices,
        blank=True,
        help_text=_(
            "When the source says how much of the sentence had been served by this event's date (“eligible "
            "after serving one third”): that part. With the sentence's length it dates the latest the custody "
            "can have begun; leave empty when the source does not say."
        ),
    )
    description = models.TextField(_("description"), help_text=_("What happened, in plain words."))
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("The description folded for search (see cases.search); kept up to date automatically."),
    )

    objects = EventQuerySet.as_manager()
    # search_text is derived from the description: history keeps the description.
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["date_start", "date_end", "pk"]
        permissions = [("publish_event", "Can publish and unpublish events")]
        indexes = [
            models.Index(fields=["case", "date_end"], name="cases_event_case_date"),
            models.Index(fields=["person", "date_end"], name="cases_event_person_date"),
            models.Index(fields=["-date_end", "-date_start"], name="cases_event_newest"),
            # A search's events of the people it names, newest first, among the few events that name
            # one person: walked past the thirty times as many of whole cases, they took seconds.
            models.Index(
                fields=["-date_end", "-date_start"],
                condition=Q(person__isnull=False),
                name="cases_event_newest_of_people",
            ),
            # The statistics page's "updated": the latest change of a published event, from the index's end.
            models.Index(fields=["-updated_at"], name="cases_event_updated"),
            models.Index(fields=["type", "date_end"], name="cases_event_type_date"),
            # The admin's list in `Meta.ordering`: read from an index, not sorted from every event.
            models.Index(fields=["date_start", "date_end", "id"], name="cases_event_in_date_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(date_start__lte=F("date_end")), name="cases_event_date_order"),
            choices_constraint("type", EventType, "cases_event_type_valid"),
            choices_constraint("date_precision", DatePrecision, "cases_event_precision_valid"),
            choices_constraint("custody", CustodyState, "cases_event_custody_valid", blank=True),
            choices_constraint("stage", CaseStage, "cases_event_stage_valid", blank=True),
            choices_constraint("sentence_served", SentenceServed, "cases_event_sentence_served_valid", blank=True),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(theme__isnull=False), name="cases_event_case_or_theme"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | (Q(custody="") & Q(stage="") & Q(person__isnull=True)),
                name="cases_event_context_changes_no_status",
            ),
        ]

    def __str__(self):
        subject = self.person or self.case or self.theme
        return f"{self.date.display}: {self.get_type_display()} — {subject}"

    def get_absolute_url(self):
        owner = self.case or self.theme
        return f"{owner.get_absolute_url()}#event-{self.pk}"

    def search_names(self) -> list[str]:
        """What `search_text` folds: the description (the subjects' names are searched on them)."""
        return [self.description]

    @property
    def date(self) -> FuzzyDate:
        return FuzzyDate(self.date_start, self.date_end, self.date_precision)

    @property
    def public_citations(self) -> list:
        """Its citations the public reads (of published sources), as `with_public_citations` loaded
        them, else read now: never one of an unpublished source."""
        return loaded(self, "citations", lambda: public_citations().filter(event=self))

    @property
    def public_subject(self) -> str:
        """Whom or what the event concerns, as the public may name it (never a withheld name).

        For an event of a whole case, the case's published people and organisations, which
        `EventQuerySet.with_public_subjects` loads; the case title when it names none.
        """
        from ..localized import display_name, localized_text

        if self.person_id:
            return display_name(self.person)
        if self.case_id is None:
            return self.theme.name
        subjects = [display_name(subject) for subject in (*self.case.public_people, *self.case.public_organizations)]
        return ", ".join(subjects) or localized_text(self.case, "title")

    @property
    def headline(self) -> str:
        """A one-line public summary: "March 2018: Charged — Ardak Ashim"."""
        return gettext("%(date)s: %(type)s — %(subject)s") % {
            "date": self.date.display,
            "type": self.get_type_display(),
            "subject": self.public_subject,
        }

    @date.setter
    def date(self, value: FuzzyDate):
        self.date_start, self.date_end, self.date_precision = value.start, value.end, value.precision

    @property
    def sentence_display(self) -> str:
        return sentence_in_words(self.sentence_months, self.sentence_days)

    def publication_problems(self, sources=None) -> list[str]:
        """Why this event may not be public: the public must be able to read who says so, so it
        needs a citation of a published source.

        `sources` are those its citations will have once saved (a form or service about to
        save them); by default those it cites now. The one rule for every way of publishing.
        """
        if sources is None:
            sources = [citation.source for citation in self.citations.select_related("source")] if self.pk else []
        sources = list(sources)
        if not sources:
            return [gettext("A published event needs a citation: give its source and the source's words.")]
        if not any(source.is_published for source in sources):
            titles = ", ".join(sorted({f"“{source.title}”" for source in sources}))
            return [
                gettext(
                    "A published event needs a citation of a published source, and these are not published: "
                    "%(sources)s. Publish one of them first, or cite a published source."
                )
                % {"sources": titles}
            ]
        return []

    def clean(self):
        errors = {}
        if self.date_start and self.date_precision and self.date_precision != DatePrecision.RANGE:
            # Only a range takes its end from the researcher; other precisions imply it.
            self.date = FuzzyDate.from_precision(self.date_precision, self.date_start)
        elif self.date_start and not self.date_end:
            errors["date_end"] = _("A range needs its latest date.")
        elif self.date_start and self.date_end and self.date_start > self.date_end:
            errors["date_end"] = _("The latest date must not be before the earliest date.")
        if self.case_id is None:
            if self.theme_id is None:
                errors["theme"] = _("An event without a case needs a theme.")
            if self.custody or self.stage or self.person_id:
                errors["case"] = _("Only an event in a case can concern a person or change a status.")
        elif self.person_id and not self.case.people.filter(pk=self.person_id).exists():
            errors["person"] = _("This person is not one of the case's people.")
        if self.date_start and not errors:
            errors.update(self._date_problems())
        if (self.sentence_months or self.sentence_days) and not self._has_conviction():
            errors["sentence_months"] = _(
                "A sentence needs a conviction: record this as a conviction or sentence change, or record the "
                "conviction first (its date may be as rough as a year)."
            )
        if self.parole_eligible_on and not (self.sentence_months or self.sentence_days):
            errors["parole_eligible_on"] = _("Parole eligibility belongs to a sentence: give the sentence's length.")
        errors.update(self._sentence_served_problems())
        if not errors and (duplicate := self.duplicate()):
            errors["__all__"] = _("This event is already recorded: “%(event)s”.") % {"event": duplicate}
        if errors:
            raise ValidationError(errors)

    def affected_people(self):
        """The people whose custody this event can change: its person, or everyone in its case."""
        from .people import Person

        if self.person_id:
            return Person.objects.filter(pk=self.person_id)
        if self.case_id:
            return self.case.people.all()
        return Person.objects.none()

    def _date_problems(self) -> dict:
        if self.date_start > timezone.localdate():
            return {"date_start": _("This date is in the future: record only what has already happened.")}
        if self.date_end:
            for person in self.affected_people().filter(birth_year__gt=self.date_end.year):
                return {
                    "date_start": _("%(person)s was born in %(year)s, after this date.")
                    % {"person": person, "year": person.birth_year}
                }
        return {}

    def _sentence_served_problems(self) -> dict:
        if not self.sentence_served:
            return {}
        if not (self.sentence_months or self.sentence_days):
            return {"sentence_served": _("A part served is a part of a sentence: give the sentence's length.")}
        if self.custody not in IN_CUSTODY_STATES:
            return {
                "sentence_served": _(
                    "A part of the sentence served dates a custody: choose the custody state it leaves the person in."
                )
            }
        return {}

    @property
    def custody_began_by(self) -> FuzzyDate | None:
        """The latest the custody can have begun, when the source says how much of the sentence was
        served by this event's date: its date less that part, as precise as its date."""
        if not self.sentence_served or not (self.sentence_months or self.sentence_days):
            return None
        fraction = SentenceServed(self.sentence_served).fraction
        return self.date.less_part_of_sentence(self.sentence_months, self.sentence_days, fraction)

    def _has_conviction(self) -> bool:
        if self.type in SENTENCING_TYPES or self.stage == CaseStage.CONVICTED:
            return True
        if self.case_id is None:
            return False
        convictions = self.case.events.filter(Q(type__in=SENTENCING_TYPES) | Q(stage=CaseStage.CONVICTED))
        return convictions.exclude(pk=self.pk).exists()

    def duplicate(self) -> "Event | None":
        """Another event of the same case, person, type and dates, if one is recorded."""
        if self.case_id is None or not (self.date_start and self.date_end):
            return None
        same = Event.objects.filter(
            case_id=self.case_id,
            person_id=self.person_id,
            type=self.type,
            date_start=self.date_start,
            date_end=self.date_end,
        )
        return same.exclude(pk=self.pk).first()

    def warnings(self) -> list[str]:
        """Doubts a researcher may overrule (sources conflict in real life), unlike `clean`'s errors."""
        found = []
        if self.type in RELEASE_TYPES:
            for person in self.affected_people():
                before = self.custody_before(person)
                if before is None or before.custody not in IN_CUSTODY_STATES:
                    last = (
                        _("last recorded: %(state)s since %(date)s")
                        % {"state": before.get_custody_display(), "date": before.date.display}
                        if before
                        else _("no custody recorded")
                    )
                    found.append(
                        _("Nothing on record puts %(person)s in custody before this release (%(last)s).")
                        % {"person": person, "last": last}
                    )
        if self.case_id:
            first = self.case.events.exclude(pk=self.pk).in_date_order().first()
            if first is not None and self.date_end < first.date_start:
                found.append(
                    _("This is earlier than anything recorded in the case (the first event is dated %(date)s).")
                    % {"date": first.date.display}
                )
        return found

    def custody_before(self, person) -> "Event | None":
        """The last event of any publication state, before this one, that set `person`'s custody."""
        events = Event.objects.concerning(person).exclude(custody="").filter(date_start__lte=self.date_start)
        if self.pk:
            events = events.exclude(pk=self.pk)
        return events.newest_first().first()


class CitationQuerySet(models.QuerySet):
    def of_published_sources(self):
        """Citations the public reads: those of published sources."""
        if previewed_record() is not None:
            return self.all()
        return self.filter(source__is_published=True)


def public_citations() -> models.QuerySet:
    """The citations the public reads, with their sources."""
    return Citation.objects.of_published_sources().select_related("source")


class Citation(models.Model):
    """The exact words of a source that support an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey("Source", on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(
        _("quote"),
        validators=[MaxLengthValidator(QUOTE_MAX_LENGTH)],
        help_text=_("The source's words, copied exactly; never paraphrased. At most %(max)d characters.")
        % {"max": QUOTE_MAX_LENGTH},
    )
    location = models.CharField(
        _("location in source"), max_length=200, blank=True, help_text=_("Page, paragraph or section.")
    )

    history = HistoricalRecords()

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.source}: “{self.quote[:80]}”"

    def get_absolute_url(self):
        return self.source.get_absolute_url()


class PersonEventPeriodQuerySet(DatedQuerySet):
    def between(self, since: date | None = None, until: date | None = None):
        """On PostgreSQL, asked as ranges, which its index of them answers and its statistics of
        them count: asked as two dates, it counted a third of the rows for two months' 1.4 %, and
        read them all."""
        if connections[self.db].vendor != "postgresql":
            return super().between(since, until)
        return self.alias(period=EventPeriod()).filter(period__overlap=DateRange(since, until, "[]"))

    def last_of_each_person(self, until: date | None = None):
        """Of the stretches that overlap a period ending on `until` (None: open-ended), each person's
        last one: whose next stretch, if any, begins after the period. A person's stretches follow
        one another without overlapping, so those that overlap a period are consecutive, and the
        next after the last of them begins after it. What counts each person once without making
        the rows distinct."""
        last = Q(next_start__isnull=True)
        return self.filter(last if until is None else last | Q(next_start__gt=until))

    def rewrite(self, people: Iterable[int] | None = None) -> None:
        """Replace the rows of `people` (or every row) with those their published events give now,
        each with what its person is counted by as it stands (`PERSON_COPIES`), in one INSERT …
        SELECT, in the order of their dates: the range index's matches, read from the table, then
        lie on few of its pages.

        A person's events' periods are merged where they overlap, into stretches that follow one
        another (a new stretch begins with a period that starts after every earlier one has ended),
        each knowing when the next begins (see `last_of_each_person`)."""
        from .people import person_copies

        rows = self.all() if people is None else self.filter(person__in=people)
        rows._raw_delete(rows.db)  # a row has nothing to signal
        published = Event.objects.filter(is_published=True).order_by()
        their_own = published.filter(person__isnull=False).filter(Q(case__isnull=True) | Q(case__is_published=True))
        of_their_cases = published.filter(person__isnull=True, case__is_published=True)
        if people is None:
            of_their_cases = of_their_cases.filter(case__people__isnull=False)
        else:
            their_own = their_own.filter(person__in=people)
            # One filter, whose join with the case's people the values below read (a second would
            # join them again).
            of_their_cases = of_their_cases.filter(case__people__in=people)
        dated = {"first_day": F("date_start"), "last_day": F("date_end")}
        found = their_own.values(linked=F("person"), **dated, **person_copies("person__")).union(
            of_their_cases.values(linked=F("case__people"), **dated, **person_copies("case__people__")), all=True
        )
        sql, params = found.query.get_compiler(found.db).as_sql()
        copies = ", ".join(PERSON_COPIES)
        # Each period with the latest end of the person's periods before it, in the order of their
        # starts; a stretch is numbered by how many periods began after all before them had ended.
        stretches = f"""
            SELECT linked, MIN(first_day), MAX(last_day),
                LEAD(MIN(first_day)) OVER (PARTITION BY linked ORDER BY MIN(first_day)), {copies}
            FROM (
                SELECT *, SUM(CASE WHEN first_day <= covered_until THEN 0 ELSE 1 END) OVER (
                    PARTITION BY linked ORDER BY first_day, last_day ROWS UNBOUNDED PRECEDING
                ) AS stretch
                FROM (
                    SELECT *, MAX(last_day) OVER (
                        PARTITION BY linked ORDER BY first_day, last_day
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                    ) AS covered_until
                    FROM ({sql}) AS found
                ) AS ordered
            ) AS numbered
            GROUP BY linked, stretch, {copies}
            ORDER BY 3, 2
        """  # noqa: S608 (column names)
        table = self.model._meta.db_table
        with connections[rows.db].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (person_id, date_start, date_end, next_start, {copies}) {stretches}", params
            )


class EventPeriod(models.Func):
    """daterange(date_start, date_end, '[]'): the expression migration 0034's index holds."""

    function = "daterange"
    output_field = DateRangeField()

    def __init__(self):
        super().__init__(F("date_start"), F("date_end"), models.Value("[]"))


# What a period's row copies of its person, as it stands (`cases.models.people.person_copies`): their
# publication, their weights (a group counts as its size) and their custody at last report.
PERSON_COPIES = (
    "person_published",
    "individuals",
    "minimums",
    "unknown_groups",
    "current_custody",
    "current_report_end",
)


class PersonEventPeriod(Weights):
    """When published events concerning a person may have happened: the periods of their own events
    and of those of their cases that name no one person (`EventQuerySet.published` and
    `concerning`), merged where they overlap into stretches, a row each, whatever the person's own
    publication, which the lists ask of the person.

    What the people list filtered by a period reads (`PersonQuerySet.with_events_between`), rather
    than the events joined with their cases and the cases' people. Each row copies what its person
    is counted by (PERSON_COPIES), and the start of their next stretch: the list's count and
    headcounts read each person's last stretch within the period alone (`last_of_each_person`),
    not every published person (`PersonQuerySet.period_summary`). Kept in step with the
    custody spans (`cases.custody.sync_custody_spans`), whose writes are the same, and which every
    write of a copied field makes (`cases.signals.COUNTED_FIELDS`); `manage.py
    rebuild_custody_spans` rewrites it whole. Not previewed: a staff preview builds a record's own
    page, never a list."""

    # Looked up by the index of the whole row, which begins with the person.
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    date_start = models.DateField()
    date_end = models.DateField()
    # The start of the person's next stretch; null for their last.
    next_start = models.DateField(null=True, blank=True)
    person_published = models.BooleanField(default=False)
    current_custody = models.CharField(max_length=30, choices=CustodyState.choices, default=CustodyState.UNKNOWN)
    current_report_end = models.DateField(null=True, blank=True)

    objects = PersonEventPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("period of a person's event")
        verbose_name_plural = _("periods of people's events")
        # A list that stops at its cap checks people one at a time, in its order, for a period of
        # theirs that overlaps; read from the index alone, not from rows the table keeps by date.
        indexes = [models.Index(fields=["person", "date_start", "date_end"], name="cases_person_event_periods")]
        constraints = [choices_constraint("current_custody", CustodyState, "cases_period_current_custody_valid")]

    def __str__(self):
        return f"{self.person_id}: {self.date_start}–{self.date_end}"
