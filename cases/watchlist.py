"""So nobody is forgotten: cases in custody that nobody has updated, and dates coming up."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import IN_CUSTODY_STATES, DatePrecision
from .dates import FuzzyDate, months_before
from .models import Case, CustodySpan, Event, Person


def add_sentence(day: date, months: int, days: int) -> date:
    return months_before(day, -months) + timedelta(days=days)


def stale_cases(months: int, today: date):
    """Cases with someone in custody now whose newest event ended more than `months` ago (or have none).

    "In custody" is the derived status, as published; the newest event counts drafts too, since a
    researcher who recorded an unpublished update has not forgotten the case.
    """
    in_custody = CustodySpan.objects.filter(
        person__cases=OuterRef("pk"), valid_until__isnull=True, state__in=IN_CUSTODY_STATES
    )
    return (
        Case.objects.annotate(last_update=Max("events__date_end"))
        .filter(Exists(in_custody))
        .filter(Q(last_update__lt=months_before(today, months)) | Q(last_update__isnull=True))
        .prefetch_related("people")
        .order_by("last_update", "title")
    )


@dataclass(frozen=True)
class KnownDate:
    person: Person
    case: Case | None
    what: str
    when: FuzzyDate
    event: Event

    @property
    def overdue(self) -> bool:
        return self.when.end < timezone.localdate()


def _custody_began(person: Person) -> Event | None:
    """The event that began the person's current, unbroken deprivation of liberty."""
    began = None
    for span in person.custody_spans.select_related("event").order_by("-valid_from"):
        if span.state not in IN_CUSTODY_STATES:
            break
        began = span.event
    return began


def _shifted(start: FuzzyDate, months: int, days: int) -> FuzzyDate:
    """`start` moved by a sentence, as precise as `start` was: "March 2018" + 2 years is "March 2020"."""
    if not days and start.precision != DatePrecision.RANGE:
        return FuzzyDate.from_precision(start.precision, add_sentence(start.start, months, 0))
    first, last = add_sentence(start.start, months, days), add_sentence(start.end, months, days)
    return FuzzyDate(first, last, DatePrecision.DAY if first == last else DatePrecision.RANGE)


def known_dates() -> list[KnownDate]:
    """Ends of sentence (start of the current custody + the latest sentence) and parole eligibility
    dates, for everyone in custody now. Pre-trial detention counts towards the sentence, as the
    courts credit it; a date is as uncertain as the start it is counted from."""
    found = []
    people = Person.objects.filter(
        custody_spans__valid_until__isnull=True, custody_spans__state__in=IN_CUSTODY_STATES
    ).distinct()
    for person in people:
        sentence = (
            Event.objects.concerning(person)
            .filter(Q(sentence_months__isnull=False) | Q(sentence_days__isnull=False))
            .select_related("case")
            .newest_first()
            .first()
        )
        if sentence is None:
            continue
        began = _custody_began(person)
        if began is not None:
            months, days = sentence.sentence_months or 0, sentence.sentence_days or 0
            found.append(
                KnownDate(person, sentence.case, _("end of sentence"), _shifted(began.date, months, days), sentence)
            )
        if sentence.parole_eligible_on:
            day = sentence.parole_eligible_on
            found.append(
                KnownDate(
                    person, sentence.case, _("eligible for parole"), FuzzyDate(day, day, DatePrecision.DAY), sentence
                )
            )
    return sorted(found, key=lambda known: (known.when.start, known.person.name))
