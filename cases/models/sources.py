"""The documents facts are cited from, with what a citation needs to survive the web."""

import hashlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connections, models, transaction
from django.db.models import Count, F, Max, Q
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address_of
from ..attachments import validate_attachment
from ..dates import FuzzyDate
from .base import Publishable, PublishableQuerySet, choices_constraint

# Enough to find them in the admin; a long list would bury the message.
UNPUBLISHING_EVENTS_SHOWN = 10


def validate_edtf(value: str):
    try:
        FuzzyDate.parse(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


# The only addresses that become links: a javascript:, data: or vbscript: one would run in the reader's browser.
WEB_URL_PREFIXES = ("http://", "https://")


def is_web_url(value: str) -> bool:
    return value.lower().startswith(WEB_URL_PREFIXES)


def validate_web_url(value: str):
    if value and not is_web_url(value):
        raise ValidationError(_("Give a web address, starting with http:// or https://."), code="web_url")


def web_url_constraint(field: str, name: str) -> models.CheckConstraint:
    """A named CHECK that keeps `field` empty or a web address, whatever writes it (the ORM, an import)."""
    condition = Q(**{field: ""})
    for prefix in WEB_URL_PREFIXES:
        condition |= Q(**{f"{field}__istartswith": prefix})
    return models.CheckConstraint(condition=condition, name=name)


# How many of the cases a source supports the sources list names, and so each source stores.
FIRST_CASES_STORED = 10
# What SourceQuerySet.refresh_support stores on a source.
SUPPORT_FIELDS = ["public_event_count", "public_case_count", "public_support_updated_at", "public_first_cases"]


def first_of_each(citations: models.QuerySet, count: int) -> list[tuple[int, int, int]]:
    """The first `count` cases by title (then id) that `citations` cite each source in: (source id,
    case id, events of it cited), by source and in that order.

    Numbered in the database, so that only the first few of a source's hundreds of cases come back;
    around the grouped query in SQL, as the ORM would group by the row number too."""
    pairs = (
        citations.exclude(event__case=None)
        .order_by()
        .values(of_source=F("source_id"), of_case=F("event__case_id"), case_title=F("event__case__title"))
        .annotate(events=Count("event", distinct=True))
    )
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(
            "SELECT of_source, of_case, events FROM ("
            " SELECT of_source, of_case, events,"
            " ROW_NUMBER() OVER (PARTITION BY of_source ORDER BY case_title, of_case) AS place"
            f" FROM ({sql}) AS pairs"
            ") AS numbered WHERE place <= %s ORDER BY of_source, place",
            [*params, count],
        )
        return cursor.fetchall()


class SourceQuerySet(PublishableQuerySet):
    @transaction.atomic
    def refresh_support(self) -> None:
        """Store what each of these sources supports in public: `public_event_count` published events
        citing it, in `public_case_count` published cases, the latest of them changed at
        `public_support_updated_at`, and `public_first_cases`, the first FIRST_CASES_STORED of those
        cases by title (then id), each with the number of its published events citing the source.

        Called in the transaction of every write that changes them (cases.signals: a citation, an
        event, its case or person published, unpublished, edited, moved or deleted), so the sources
        list reads its twenty sources and their named cases instead of counting every fact they cite."""
        from .events import Citation, published_event

        # The sources' rows are locked (in one order, so two writes never wait for each other) before
        # they are counted: a write that commits first is then seen by the count of one that waited
        # for it, instead of each writing its own count over the other's. (SQLite lets one
        # transaction write at a time anyway.)
        locked = Source.objects.filter(pk__in=self.values("pk")).order_by("pk").select_for_update()
        ids = set(locked.values_list("pk", flat=True))
        if not ids:
            return
        cited = Citation.objects.filter(published_event("event__"), source__in=ids).order_by()
        totals = {
            source: (events, cases, latest)
            for source, events, cases, latest in cited.values("source_id")
            .annotate(
                events=Count("event", distinct=True),
                cases=Count("event__case", distinct=True),
                latest=Max("event__updated_at"),
            )
            .values_list("source_id", "events", "cases", "latest")
        }
        first_cases: dict[int, list[list[int]]] = {}
        for source, case, events in first_of_each(cited, FIRST_CASES_STORED):
            first_cases.setdefault(source, []).append([case, events])
        sources = []
        for pk in sorted(ids):
            events, cases, latest = totals.get(pk, (0, 0, None))
            sources.append(
                Source(
                    pk=pk,
                    public_event_count=events,
                    public_case_count=cases,
                    public_support_updated_at=latest,
                    public_first_cases=first_cases.get(pk, []),
                )
            )
        Source.objects.bulk_update(sources, SUPPORT_FIELDS, batch_size=500)

    def first_cases(self, sources) -> dict[int, list[tuple]]:
        """The cases `sources` name in `public_first_cases`, read in one query: {source id: [(case, events), …]}.

        A case unpublished by a write that sends no signals (a queryset update) is left out rather than shown."""
        from .cases import Case

        wanted = {case for source in sources for case, _events in source.public_first_cases}
        cases = Case.objects.published().in_bulk(wanted) if wanted else {}
        return {
            source.pk: [(cases[case], events) for case, events in source.public_first_cases if case in cases]
            for source in sources
        }


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside the static files, with no URL of their own: only a
    staff view hands them out (SourceAdmin.attachment_view)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Source attachments have no public URL.")


def private_storage():
    return PrivateStorage()


class Reliability(models.TextChoices):
    """How far the team trusts the source, on the short scale HURIDOCS' formats use."""

    HIGH = "high", _("High: consistently accurate, first-hand or official record")
    MEDIUM = "medium", _("Medium: usually accurate, not independently confirmed")
    LOW = "low", _("Low: uncorroborated or known to err")
    UNKNOWN = "unknown", _("Not assessed")


class Source(Publishable):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[validate_web_url])
    published = models.CharField(
        _("publication date"),
        max_length=30,
        blank=True,
        validators=[validate_edtf],
        help_text=_("As precise as known, in EDTF: 2019-01-17, 2019-01 or 2019."),
    )
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("Language code of the document, such as en, ru or kk.")
    )
    retrieved_on = models.DateField(
        _("date retrieved"), null=True, blank=True, help_text=_("The day the team read or downloaded it.")
    )
    archived_url = models.URLField(
        _("archived copy"),
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text=_("A copy in a web archive, for when the original disappears."),
    )
    attachment = models.FileField(
        _("attachment"),
        upload_to="sources/%Y/%m/",
        storage=private_storage,
        blank=True,
        validators=[validate_attachment],
        help_text=_(
            "The retrieved document (a court decision, a letter): PDF, an image, plain text, an office "
            "document or an archived web page. Staff only, never public."
        ),
    )
    attachment_sha256 = models.CharField(
        _("SHA-256 of the attachment"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Computed on upload: proves later that the file is the one retrieved."),
    )
    reliability = models.CharField(
        _("reliability"),
        max_length=10,
        choices=Reliability.choices,
        default=Reliability.UNKNOWN,
        help_text=_("How far the team trusts this source."),
    )

    # What it supports in public (SUPPORT_FIELDS), counted by SourceQuerySet.refresh_support; 0 and
    # empty for a source of unpublished facts only.
    public_event_count = models.PositiveIntegerField(_("published events supported"), default=0, editable=False)
    public_case_count = models.PositiveIntegerField(_("published cases supported"), default=0, editable=False)
    public_support_updated_at = models.DateTimeField(
        _("latest change of what it supports"), null=True, blank=True, editable=False
    )
    # [[case id, published events citing it], …]: the first FIRST_CASES_STORED of those cases by title.
    public_first_cases = models.JSONField(_("first cases supported"), default=list, editable=False)

    # What it supports is derived from the events, whose own history keeps it.
    history = HistoricalRecords(excluded_fields=SUPPORT_FIELDS)
    # Written by SourceQuerySet.refresh_support alone.
    derived_fields = frozenset(SUPPORT_FIELDS)

    objects = SourceQuerySet.as_manager()

    staff_only_fields = Publishable.staff_only_fields | {"retrieved_on", "archived_url", "reliability", "attachment"}

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title", "pk"]
        permissions = [("publish_source", "Can publish and unpublish sources")]
        constraints = [
            choices_constraint("reliability", Reliability, "cases_source_reliability_valid"),
            web_url_constraint("url", "cases_source_url_is_web_address"),
            web_url_constraint("archived_url", "cases_source_archived_url_is_web_address"),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def get_absolute_url(self):
        return address_of("cases:source-detail")(self.slug)

    @property
    def language_name(self) -> str:
        """The document's language by name in the page's language ("English", "английский"); a code
        Django does not know stays as entered."""
        try:
            return str(get_language_info(self.language.strip().lower())["name_translated"])
        except KeyError:
            return self.language

    def save(self, *args, **kwargs):
        if not self.attachment:
            self.attachment_sha256 = ""
        elif not self.attachment._committed:
            # A new upload: hash what was received, before storage renames or moves it.
            digest = hashlib.sha256()
            for chunk in self.attachment.chunks():
                digest.update(chunk)
            self.attachment_sha256 = digest.hexdigest()
        super().save(*args, **kwargs)

    def events_relying_on_it(self) -> list:
        """Published events that would cite no published source without this one."""
        from .events import Event

        events = (
            Event.objects.filter(is_published=True, citations__source=self)
            .distinct()
            .select_related("case", "person", "theme")
            .prefetch_related("citations__source")
            .order_by("date_start", "pk")
        )
        return [
            event
            for event in events
            if event.publication_problems(sources=[c.source for c in event.citations.all() if c.source_id != self.pk])
        ]

    def unpublishing_problems(self) -> list[str]:
        events = self.events_relying_on_it()
        if not events:
            return []
        shown = ", ".join(f"“{event}”" for event in events[:UNPUBLISHING_EVENTS_SHOWN])
        if len(events) > UNPUBLISHING_EVENTS_SHOWN:
            shown += " " + gettext("and %(count)d more") % {"count": len(events) - UNPUBLISHING_EVENTS_SHOWN}
        return [
            gettext(
                "It is the only published source of these published events: %(events)s. Cite another "
                "published source for them, or unpublish them, first."
            )
            % {"events": shown}
        ]

    @property
    def web_url(self) -> str:
        """The address to link to: the URL when it is a web address, else nothing."""
        return self.url if is_web_url(self.url) else ""

    @property
    def published_date(self) -> FuzzyDate | None:
        return FuzzyDate.parse(self.published) if self.published else None
