"""Writes that touch several models, each in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .custody import sync_custody_spans
from .figures_on_a_date import refresh_figures_on_a_date
from .models import Case, Citation, Event, NameVariant, Person, Source
from .models.base import Publishable, unique_slug


def _checked_event(citations: list[Citation], **fields) -> Event:
    """The event `fields` describe, checked with the citations it will have, before anything is saved.

    Every problem is raised at once, keyed by the field it concerns; publication's under `is_published`.
    """
    event = Event(**fields)
    errors: dict = {}
    try:
        event.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if event.is_published and (problems := event.publication_problems(sources=[c.source for c in citations])):
        errors.setdefault("is_published", []).extend(problems)
    for citation in citations:
        try:
            # Neither the event nor perhaps the source exists yet: check the citation's own fields.
            citation.full_clean(exclude=["event", "source"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return event


def _save_event(event: Event, citations: list[Citation]) -> Event:
    event.save()
    for citation in citations:
        citation.event = event
        citation.save()
    return event


def set_change_reason(record: Any, reason: str) -> None:
    """The reason django-simple-history writes into the history entry of the record's next save."""
    record._change_reason = reason


@transaction.atomic
def record_event(*, citations: Iterable[tuple], **fields) -> Event:
    """Create an event with its citations ((source, quote) or (source, quote, location)).

    A published event must cite a published source (Event.publication_problems). Saving the event
    updates the custody spans it affects (cases.signals), in this transaction."""
    cited = [Citation(source=c[0], quote=c[1], location=c[2] if len(c) > 2 else "") for c in citations]
    return _save_event(_checked_event(cited, **fields), cited)


@dataclass
class PublicationResult:
    changed: list
    refused: list[tuple[object, str]]


@transaction.atomic
def set_published(records: Iterable[Publishable], published: bool) -> PublicationResult:
    """Publish or unpublish `records` one by one, so each change enters its history.

    Each is checked against the records already changed: the public never reads an unsourced fact.
    """
    result = PublicationResult(changed=[], refused=[])
    for record in records:
        if record.is_published == published:
            continue
        problems = record.publication_problems() if published else record.unpublishing_problems()
        if problems:
            result.refused.append((record, " ".join(problems)))
            continue
        record.is_published = published
        set_change_reason(record, _("Published") if published else _("Unpublished"))
        record.save(update_fields=["is_published", "updated_at"])
        result.changed.append(record)
    return result


@dataclass
class StatusUpdate:
    """What `record_status_update` did: the event it recorded, or (event None) the doubts that stopped it."""

    event: Event | None
    warnings: list[str]


@transaction.atomic
def record_status_update(
    *,
    case: Case,
    person: Person | None,
    source: Source | None = None,
    new_source: dict | None = None,
    quote: str = "",
    location: str = "",
    warnings_confirmed: bool = False,
    **fields,
) -> StatusUpdate:
    """A researcher's status update: the event, its citation of `source` or of a `new_source` (its
    fields), and the custody spans it changes, all or nothing.

    Everything is checked before anything is saved. A problem raises a ValidationError keyed by
    field: the event's and citation's own, `is_published`, and `new_source_<field>` for the new
    source. Doubts a researcher may overrule (Event.warnings) stop it, saving nothing, until
    `warnings_confirmed`.
    """
    errors: dict = {}
    if new_source:
        source = Source(slug=unique_slug(Source, new_source.get("title", "")), **new_source)
        try:
            source.full_clean()
        except ValidationError as error:
            errors = {f"new_source_{field}": messages for field, messages in error.message_dict.items()}
    citations = [Citation(source=source, quote=quote, location=location)] if source and quote else []
    try:
        event = _checked_event(citations, case=case, person=person, **fields)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    warnings = event.warnings()
    if warnings and not warnings_confirmed:
        return StatusUpdate(event=None, warnings=warnings)
    if source is not None and source.pk is None:
        source.save()
    return StatusUpdate(event=_save_event(event, citations), warnings=warnings)


@transaction.atomic
def merge_people(keep: Person, duplicate: Person) -> Person:
    """Fold `duplicate` into `keep`: cases, events and name variants move; the duplicate's name
    becomes a variant; then the duplicate is deleted (its history stays, and says where it went).

    If either name is withheld the merged person's is too: merging must never publish a name.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.name_withheld and not keep.name_withheld:
        keep.name_withheld = True
        keep.public_alias = keep.public_alias or duplicate.public_alias
    known = {keep.name.casefold(), *(v.casefold() for v in keep.name_variants.values_list("name", flat=True))}
    for variant in duplicate.name_variants.all():
        if variant.name.casefold() in known:
            variant.delete()
        else:
            variant.person = keep
            variant.save()
            known.add(variant.name.casefold())
    if duplicate.name.casefold() not in known:
        NameVariant.objects.create(person=keep, name=duplicate.name, note=_("Merged from a duplicate record."))
    for case in Case.objects.filter(people=duplicate):
        case.people.add(keep)
        case.people.remove(duplicate)
    for event in duplicate.own_events.all():
        event.person = keep
        set_change_reason(event, _("Merged from %(name)s (#%(pk)s)") % {"name": duplicate.name, "pk": duplicate.pk})
        event.save()
    if duplicate.internal_notes:
        keep.internal_notes = "\n\n".join(filter(None, [keep.internal_notes, duplicate.internal_notes]))
    keep.birth_year = keep.birth_year or duplicate.birth_year
    keep.full_clean()  # a newly withheld name must not stay in the public address
    set_change_reason(
        keep, _("Merged %(name)s (#%(pk)s) into this record") % {"name": duplicate.name, "pk": duplicate.pk}
    )
    keep.save()
    # The deletion's history row takes this reason: it says where the person went.
    set_change_reason(duplicate, _("Merged into %(name)s (#%(pk)s)") % {"name": keep.name, "pk": keep.pk})
    duplicate.delete()
    sync_custody_spans([keep])
    refresh_figures_on_a_date([keep.pk])
    return keep
