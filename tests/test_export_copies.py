"""On PostgreSQL the people export reads copies, kept by triggers (migration 0037), of what it shows of
other tables: a custody span's events, a person's cases' slugs and publication. After every kind of
write that changes them, the export the database writes is still the Python one, byte for byte."""

import pytest
from django.db import connection

from cases.choices import CustodyState, EventType
from cases.dates import FuzzyDate
from cases.models import Case, CustodySpan, Event

from .factories import make_case, make_event, make_person
from .test_export_sql import texts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the copies are PostgreSQL's"),
]


def assert_the_same_export(*expected: str, missing: tuple[str, ...] = ()):
    """Both files the same either way, and the CSV holding `expected` but not `missing`."""
    for fmt in ("json", "csv"):
        written = texts({}, fmt, written_by_sql=True)
        assert written == texts({}, fmt, written_by_sql=False)
    assert all(text in written for text in expected), expected
    assert not any(text in written for text in missing), missing


def test_a_persons_cases_follow_their_cases_and_links():
    person = make_person("Maks Bokaev")
    land = make_case("Land protest case", people=[person])
    appeal = make_case("Appeal case", people=[person])
    assert_the_same_export("appeal-case; land-protest-case")
    # Withdrawn by a save, renamed by an update, as the admin and a bulk change do.
    appeal.is_published = False
    appeal.save()
    Case.objects.filter(pk=land.pk).update(slug="land-protest-2016")
    assert_the_same_export("land-protest-2016", missing=("appeal-case", "land-protest-case"))
    appeal.is_published = True
    appeal.save()
    assert_the_same_export("appeal-case; land-protest-2016")
    # Links made and unmade.
    later = make_case("Hidden case", is_published=False)
    later.people.add(person)
    make_case("A first case").people.add(person)
    assert_the_same_export("a-first-case; appeal-case; land-protest-2016", missing=("hidden-case",))
    land.people.remove(person)
    assert_the_same_export("a-first-case; appeal-case", missing=("land-protest-2016",))


def test_a_persons_custody_follows_its_events():
    person = make_person("Aset Test")
    case = make_case("Imprisonment of Aset Test", people=[person])
    make_event(case, "2016-05", type=EventType.DETAINED, custody=CustodyState.DETAINED, person=person)
    convicted = make_event(case, "2017", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED,
                           sentence_months=60, person=person)  # fmt: skip
    assert_the_same_export("2017", "60")
    # An event's date and sentence changed by a save (its spans are derived anew).
    convicted.date = FuzzyDate.parse("2016-11")
    convicted.sentence_months = 72
    convicted.save()
    assert_the_same_export("72", missing=(",60,",))
    # A span pointed at no latest report: its first report stands for it.
    CustodySpan.objects.filter(person=person).update(last_report=None)
    assert_the_same_export()
    Event.objects.filter(pk=convicted.pk).delete()
    assert_the_same_export(missing=("72",))
