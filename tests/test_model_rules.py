"""Rules every record keeps, whether it comes from the admin, an import or a bulk update."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.choices import CaseStage, CustodyState, DatePrecision, EventType, Identity
from cases.models import Case, Event, Person

from .factories import make_case, make_event, make_person, make_theme

pytestmark = pytest.mark.django_db


def event_for(case, **fields):
    fields.setdefault("type", EventType.OTHER)
    fields.setdefault("description", "Something happened.")
    return Event(case=case, **fields)


def test_clean_fills_the_interval_a_precision_implies():
    event = event_for(make_case(), date_start=date(2018, 3, 17), date_precision=DatePrecision.MONTH)
    event.full_clean()
    assert (event.date_start, event.date_end) == (date(2018, 3, 1), date(2018, 3, 31))


def test_a_reversed_range_is_a_form_error_not_a_crash():
    event = event_for(
        make_case(), date_start=date(2018, 11, 1), date_end=date(2018, 3, 1), date_precision=DatePrecision.RANGE
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date_end" in error.value.message_dict


def test_a_range_needs_its_end():
    event = event_for(make_case(), date_start=date(2018, 3, 1), date_precision=DatePrecision.RANGE)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date_end" in error.value.message_dict


def test_the_database_refuses_a_reversed_interval_even_from_an_update():
    event = make_event(make_case(), "2018-03")
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(date_end=date(2017, 1, 1))


def test_the_database_refuses_a_code_outside_the_vocabulary():
    event = make_event(make_case(), "2018-03")
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(custody="vanished")


def test_a_person_named_on_an_event_must_belong_to_its_case():
    outsider = make_person()
    event = event_for(make_case(people=[make_person()]), person=outsider, date_start=date(2018, 3, 1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "person" in error.value.message_dict


def test_a_development_without_a_case_needs_a_theme_and_changes_no_status():
    event = Event(type=EventType.CONTEXT, description="A law.", date_start=date(2018, 4, 1), custody="imprisoned")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert {"theme", "case"} <= set(error.value.message_dict)

    event = Event(type=EventType.CONTEXT, description="A law.", date_start=date(2018, 4, 1), theme=make_theme())
    event.full_clean()
    event.save()


def test_only_a_group_has_a_size():
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Someone", slug="someone", identity=Identity.NAMED, group_size=3)
    Person.objects.create(name="Three believers", slug="three", identity=Identity.GROUP, group_size=3)


def test_case_stage_on_a_date_is_set_by_the_last_event_over_by_then():
    case = make_case()
    make_event(case, "2018-07", stage=CaseStage.INVESTIGATION)
    make_event(case, "2018-10", stage=CaseStage.CLOSED)
    assert Case.objects.with_stage(date(2018, 6, 30)).get(pk=case.pk).stage is None
    assert Case.objects.with_stage(date(2018, 8, 1)).get(pk=case.pk).stage == CaseStage.INVESTIGATION
    assert Case.objects.with_stage().get(pk=case.pk).stage == CaseStage.CLOSED


def test_every_record_reads_as_a_human_would_write_it():
    person = make_person("Elena Semenova")
    case = make_case("Investigation of Elena Semenova", people=[person])
    event = make_event(case, "2018-07", type=EventType.HOUSE_ARREST, custody=CustodyState.HOUSE_ARREST)
    assert str(person) == "Elena Semenova"
    assert str(case) == "Investigation of Elena Semenova"
    assert str(event) == "July 2018: Placed under house arrest — Investigation of Elena Semenova"
    assert str(event.citations.get()).startswith(str(event.citations.get().source))
    assert person.custody_spans.get().__str__() == "Elena Semenova: House arrest 2018-07-31–…"


def test_sentences_read_in_years_months_and_days():
    assert event_for(None, sentence_months=60).sentence_display == "5 years"
    assert event_for(None, sentence_months=108).sentence_display == "9 years"
    assert event_for(None, sentence_months=18).sentence_display == "1 year 6 months"
    assert event_for(None, sentence_days=3).sentence_display == "3 days"
