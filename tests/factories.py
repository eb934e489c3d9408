"""Small builders for test data: each makes a valid, published record unless told otherwise."""

import itertools
from contextlib import contextmanager

from django.db import transaction

from cases.choices import DatePrecision, EventType
from cases.dates import FuzzyDate
from cases.models import Case, Charge, Citation, Event, NameVariant, Organization, Person, Source, Theme
from cases.models.base import slug_from

_counter = itertools.count(1)


def _unique(text: str) -> str:
    return f"{text} {next(_counter)}"


def make_person(name: str | None = None, *, variants=(), **fields) -> Person:
    name = name or _unique("Person")
    fields.setdefault("is_published", True)
    person = Person.objects.create(name=name, slug=fields.pop("slug", slug_from(name)), **fields)
    for variant in variants:
        NameVariant.objects.create(person=person, name=variant)
    return person


def make_organization(name: str | None = None, **fields) -> Organization:
    name = name or _unique("Organisation")
    fields.setdefault("is_published", True)
    return Organization.objects.create(name=name, slug=fields.pop("slug", slug_from(name)), **fields)


def make_source(title: str | None = None, **fields) -> Source:
    title = title or _unique("Source")
    fields.setdefault("is_published", True)
    fields.setdefault("url", "https://example.org/report")
    return Source.objects.create(title=title, slug=fields.pop("slug", slug_from(title)), **fields)


def make_theme(name: str | None = None) -> Theme:
    name = name or _unique("Theme")
    return Theme.objects.create(name=name, slug=slug_from(name))


def make_charge(name: str | None = None, **fields) -> Charge:
    name = name or _unique("charge")
    return Charge.objects.create(name=name, slug=slug_from(name), **fields)


def make_case(title: str | None = None, *, people=(), organizations=(), charges=(), themes=(), **fields) -> Case:
    title = title or _unique("Case")
    fields.setdefault("is_published", True)
    case = Case.objects.create(title=title, slug=fields.pop("slug", slug_from(title)), **fields)
    case.people.set(people)
    case.organizations.set(organizations)
    case.charges.set(charges)
    case.themes.set(themes)
    return case


def make_event(case: Case | None = None, date: str = "2018-03", *, quote: str | None = "The source says so.", **fields):
    """An event dated by an EDTF string, with one citation unless `quote` is None."""
    source = fields.pop("source", None)
    fields.setdefault("is_published", True)
    fields.setdefault("type", EventType.OTHER)
    fields.setdefault("description", "Something happened.")
    event = Event(case=case, **fields)
    event.date = FuzzyDate.parse(date)
    event.save()
    if quote is not None:
        Citation.objects.create(event=event, source=source or make_source(), quote=quote)
    return event


__all__ = [
    "DatePrecision",
    "make_case",
    "make_charge",
    "make_event",
    "make_organization",
    "make_person",
    "make_source",
    "make_theme",
]


@contextmanager
def read_only_for_the_module(django_db_blocker):
    """Data built once for a module whose tests only read it, in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
