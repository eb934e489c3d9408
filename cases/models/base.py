"""What every public record shares: a publication switch, timestamps and an edit version."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.db import connections, models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES
from django_countries.fields import CountryField

from ..dates import FuzzyDate
from ..search import latin


def country_field():
    """ISO 3166-1 alpha-2, empty when the source does not say; the place inside it is `location`."""
    return CountryField(
        _("country"),
        blank=True,
        db_index=True,
        help_text=_("The country, as an ISO 3166-1 code. Leave empty when the source does not say."),
    )


def country_constraint(name: str):
    """A named CHECK that keeps `country` to ISO 3166-1 codes (or empty), whatever writes it."""
    return models.CheckConstraint(condition=models.Q(country__in=["", *sorted(COUNTRIES)]), name=name)


def choices_constraint(field: str, choices: type[models.TextChoices], name: str, blank: bool = False):
    """A named CHECK that keeps a vocabulary column to its codes, whatever writes it."""
    allowed = list(choices.values) + ([""] if blank else [])
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": allowed}), name=name)


# The record a staff preview is showing, while its public page is built (see `previewing`).
_previewed: ContextVar[models.Model | None] = ContextVar("previewed", default=None)


@contextmanager
def previewing(record: models.Model) -> Iterator[None]:
    """Build a public page as it will read once everything on it is published: inside this block
    `published()` answers unpublished records too. Only the staff preview (cases.admin) enters it;
    the page marks what is not published yet."""
    token = _previewed.set(record)
    try:
        yield
    finally:
        _previewed.reset(token)


def previewed_record() -> models.Model | None:
    """The record a staff preview is building the page of, or None on the public site."""
    return _previewed.get()


class PublishableQuerySet(models.QuerySet):
    def published(self):
        if previewed_record() is not None:
            return self.all()
        return self.filter(is_published=True)

    def keys_between(self, bottom: int, top: int, count: int) -> list:
        """The keys of these `count` records (counted up to one past the cap, cases.paging) from place
        `bottom` to `top` (excluded) in their order: the first step of reading a page of a long list.
        A QuerySet whose order can be read faster otherwise says how (PersonQuerySet)."""
        return list(self.values_list("pk", flat=True)[bottom:top])

    def touch(self):
        """Record a change the public sees in a part stored elsewhere (a citation, a name variant,
        a case's charges): it moves `updated_at`, the "last updated" of public pages."""
        return self.update(updated_at=timezone.now())


class SearchableQuerySet(PublishableQuerySet):
    """Records found by the public search box; see cases.search."""

    sort_field = "name"

    def search(self, text: str):
        """Records whose public names match `text`, forgivingly (spelling, script, accents), closest first.

        A withheld name is never searched: only its public alias is.
        """
        from ..search import search

        return search(self, text)

    def with_search_names(self):
        """Prefetch what `search_names()` reads."""
        return self

    def sorted_by_a_join(self) -> bool:
        """Whether these records are ordered by another table's columns, which no index of theirs
        holds (see cases.search.searched_keys)."""
        return False

    def with_sort_name(self):
        """Annotate `sort_name`, the public name lists are sorted by."""
        if "sort_name" in self.query.annotations:
            return self
        return self.annotate(sort_name=self.sort_name_expression())

    def sort_name_expression(self):
        """The public name as an expression: `sort_field`, unless the public name is not one field."""
        return models.F(self.sort_field)


def prefetched_list(name: str, through: str = "", queryset: models.QuerySet | None = None) -> models.Prefetch:
    """Prefetch the related records `name` (of each record's `through`) as a list on each record
    (`loaded_<name>`, read by `loaded`): the queryset a record that a plain prefetch makes, and a
    manager and another queryset at each reading, cost a tenth of a list of 25 cases and their people."""
    return models.Prefetch(f"{through}__{name}" if through else name, queryset=queryset, to_attr=f"loaded_{name}")


def loaded(record: models.Model, name: str, read: Callable[[], Iterable] | None = None) -> list:
    """The related records `name` of `record`, as `prefetched_list` loaded them, else read now: all of
    them, or what `read` reads."""
    found = getattr(record, f"loaded_{name}", None)
    if found is not None:
        return found
    return list(read() if read is not None else getattr(record, name).all())


def slug_from(text: str) -> str:
    """A slug for `text` in Latin letters: slugify alone drops every Cyrillic letter."""
    return slugify(latin(text))


def unique_slug(model: type[models.Model], text: str) -> str:
    """A slug for `text` that no `model` record has yet: `title`, else `title-2`, `title-3` …"""
    # Room for the number within the slug field's length.
    base = slug_from(text)[: model._meta.get_field("slug").max_length - 10].strip("-") or model._meta.model_name
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def search_field():
    return models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("The public names folded for search (see cases.search); kept up to date automatically."),
    )


class LatestEventMixin:
    """The date of the newest published event, as the queryset's `refresh_latest_event` stores it."""

    @property
    def latest_event_date(self) -> FuzzyDate | None:
        if getattr(self, "latest_event_start", None) is None:
            return None
        return FuzzyDate(self.latest_event_start, self.latest_event_end, self.latest_event_precision)


def newest_date(newest: models.QuerySet, prefix: str) -> dict:
    """The date of the first of `newest` (a correlated query, newest first), from its fields
    `<prefix>start`, `<prefix>end` and `<prefix>precision`, as LatestEventMixin reads it: what
    `refresh_latest_event` stores (an empty precision without one)."""
    return {
        "latest_event_start": models.Subquery(newest.values(f"{prefix}start")[:1]),
        "latest_event_end": models.Subquery(newest.values(f"{prefix}end")[:1]),
        "latest_event_precision": Coalesce(models.Subquery(newest.values(f"{prefix}precision")[:1]), models.Value("")),
    }


@cache
def choice_labels(field: models.Field) -> dict:
    """A field's {value: label}, its labels left lazy (so each is read in the language of the page)."""
    return dict(field.flatchoices)


class Publishable(models.Model):
    is_published = models.BooleanField(
        _("published"),
        default=False,
        db_index=True,
        help_text=_("Only published records appear on public pages, feeds, exports and the API."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_(
            "For the team only: contacts, risks, how a fact was verified. Never shown on any public page, "
            "feed, export or the API."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("last public change"),
        default=timezone.now,
        editable=False,
        help_text=_(
            "When what the public sees of this record last changed; internal notes and other staff-only fields do "
            "not count."
        ),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one on every save, so an edit made from an outdated copy is refused."),
    )

    objects = PublishableQuerySet.as_manager()

    # Editable fields the public never sees. A save that changes only these is no news to the
    # public: it leaves `updated_at` (pages' "last updated", the sitemap's lastmod) as it was.
    staff_only_fields = frozenset({"internal_notes"})
    # Columns kept in step with other records by their own code alone: a save of the whole row leaves
    # them out, since an instance read before they last changed would put its stale copy back.
    derived_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            public = self.public_field_names()
            stored = type(self)._base_manager.filter(pk=self.pk).values("version", "updated_at", *public).first()
            whole_row = not (kwargs.get("force_insert") or kwargs.get("update_fields") is not None)
            # A row still stored (a deleted one restored from its history is inserted whole).
            if self.derived_fields and whole_row and stored is not None:
                fields = [field for field in self._meta.concrete_fields if not field.primary_key]
                kwargs["update_fields"] = [field.name for field in fields if field.name not in self.derived_fields]
            # Count from the stored row, not from this copy: a copy rebuilt from history (a
            # revert) carries an old number, and versions must never go back.
            self.version = (stored["version"] if stored is not None else self.version) + 1
            if stored is None or any(getattr(self, field) != stored[field] for field in public):
                self.updated_at = timezone.now()
            else:
                # The stored time, not this copy's: a part stored elsewhere may have moved it since.
                self.updated_at = stored["updated_at"]
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def public_field_names(self) -> list[str]:
        return [
            field.attname
            for field in self._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in self.staff_only_fields
        ]

    def publication_problems(self) -> list[str]:
        """Why this record may not be public as it stands; empty when it may."""
        return []

    def unpublishing_problems(self) -> list[str]:
        """Why taking this record from the public would leave a published record unsupported; empty when
        nothing would."""
        return []

    def _get_FIELD_display(self, field):
        # What get_type_display() and the like call. Django's builds the field's choices anew at each
        # call, as hashable copies, which hashes each lazy label and so translates every label of the
        # vocabulary (some thirty for an event's type) to show one: most of a timeline's time.
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(value, value), strings_only=True)


def insert_selected(model: type[models.Model], columns: str, rows: models.QuerySet, selected: str) -> None:
    """Write `rows` into `model`'s table in one INSERT … SELECT: a rebuild of a derived table writes
    hundreds of thousands of rows, which the database copies without a round trip through Python."""
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    table = model._meta.db_table
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {selected} FROM ({sql}) AS found", params)  # noqa: S608


class ImportedItem(models.Model):
    """Remembers what a data load has added, so a reload neither duplicates nor resurrects it."""

    dataset = models.CharField(_("dataset"), max_length=100)
    key = models.CharField(_("key"), max_length=200, help_text=_("The item's key inside the dataset."))
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [models.UniqueConstraint(fields=["dataset", "key"], name="cases_importeditem_unique_key")]

    def __str__(self):
        return f"{self.dataset}: {self.key}"


__all__ = [
    "ImportedItem",
    "LatestEventMixin",
    "Publishable",
    "PublishableQuerySet",
    "SearchableQuerySet",
    "choices_constraint",
    "country_constraint",
    "country_field",
    "insert_selected",
    "loaded",
    "newest_date",
    "prefetched_list",
    "previewed_record",
    "previewing",
    "search_field",
    "slug_from",
    "unique_slug",
]
