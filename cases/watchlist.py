"""So nobody is forgotten: cases in custody that nobody has updated, and dates coming up."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import IN_CUSTODY_STATES, DatePrecision
from .dates import FuzzyDate, months_before
from .models import Case, CustodySpan, Event, Person


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


def known_dates() -> list[KnownDate]:
    """Ends of sentence and parole eligibility dates, for everyone in custody now.

    The end of a sentence is the one the custody spans compute from the custody's known beginning
    (pre-trial detention counted, as the courts credit it), as uncertain as that beginning; there is
    none when the custody is only on record since a report."""
    found = []
    spans = (
        CustodySpan.objects.filter(valid_until__isnull=True, state__in=IN_CUSTODY_STATES, sentence_event__isnull=False)
        .select_related("person", "sentence_event__case")
        .order_by("person__name", "pk")
    )
    for span in spans:
        person, sentence = span.person, span.sentence_event
        if span.expected_end is not None:
            found.append(KnownDate(person, sentence.case, _("end of sentence"), span.expected_end, sentence))
        if sentence.parole_eligible_on:
            day = sentence.parole_eligible_on
            found.append(
                KnownDate(
                    person, sentence.case, _("eligible for parole"), FuzzyDate(day, day, DatePrecision.DAY), sentence
                )
            )
    return sorted(found, key=lambda known: (known.when.start, known.person.name))
