"""Writes that touch several models, each in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .custody import sync_custody_spans
from .models import Case, Citation, Event, NameVariant, Person, Source
from .models.base import Publishable


@transaction.atomic
def record_event(*, citations: Iterable[tuple], **fields) -> Event:
    """Create an event with its citations ((source, quote) or (source, quote, location)).

    A published event must cite a published source (Event.publication_problems). Saving the event
    updates the custody spans it affects (cases.signals), in this transaction."""
    citations = [Citation(source=c[0], quote=c[1], location=c[2] if len(c) > 2 else "") for c in citations]
    event = Event(**fields)
    event.full_clean()
    if event.is_published and (problems := event.publication_problems(sources=[c.source for c in citations])):
        raise ValidationError(problems)
    for citation in citations:
        # The event does not exist yet: check the citation's own fields, not its link.
        citation.full_clean(exclude=["event"])
    event.save()
    for citation in citations:
        citation.event = event
        citation.save()
    return event


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
        record._change_reason = _("Published") if published else _("Unpublished")
        record.save(update_fields=["is_published", "updated_at"])
        result.changed.append(record)
    return result


@transaction.atomic
def record_status_update(
    *,
    case: Case,
    person: Person | None,
    source: Source | None = None,
    new_source: dict | None = None,
    quote: str = "",
    location: str = "",
    **fields,
) -> Event:
    """A researcher's status update: the event, its citation, a new source if one is given, and the
    custody spans it changes, all or nothing."""
    if new_source:
        source = Source(**new_source)
        source.full_clean()
        source.save()
    citations = [(source, quote, location)] if source and quote else []
    return record_event(case=case, person=person, citations=citations, **fields)


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
    for case in duplicate.cases.all():
        case.people.add(keep)
        case.people.remove(duplicate)
    for event in duplicate.own_events.all():
        event.person = keep
        event._change_reason = _("Merged from %(name)s (#%(pk)s)") % {"name": duplicate.name, "pk": duplicate.pk}
        event.save()
    if duplicate.internal_notes:
        keep.internal_notes = "\n\n".join(filter(None, [keep.internal_notes, duplicate.internal_notes]))
    keep.birth_year = keep.birth_year or duplicate.birth_year
    keep.full_clean()  # a newly withheld name must not stay in the public address
    keep._change_reason = _("Merged %(name)s (#%(pk)s) into this record") % {"name": duplicate.name, "pk": duplicate.pk}
    keep.save()
    # The deletion's history row takes this reason: it says where the person went.
    duplicate._change_reason = _("Merged into %(name)s (#%(pk)s)") % {"name": keep.name, "pk": keep.pk}
    duplicate.delete()
    sync_custody_spans([keep])
    return keep
