"""A case's stored latest event (what `/cases/?sort=latest` reads) follows every write it depends on,
in the same transaction: publishing, unpublishing, editing, moving and deleting an event, and
publishing or unpublishing the person an event concerns."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def latest_end(case: Case) -> date | None:
    return Case.objects.get(pk=case.pk).latest_event_end


def test_a_case_stores_its_newest_published_event_and_forgets_an_unpublished_one():
    case = make_case()
    make_event(case, "2018-03")
    newer = make_event(case, "2020-05-04")
    make_event(case, "2022", is_published=False)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.latest_event_start, stored.latest_event_end, stored.latest_event_precision) == (
        date(2020, 5, 4),
        date(2020, 5, 4),
        "day",
    )
    newer.is_published = False
    newer.save()
    assert latest_end(case) == date(2018, 3, 31)


def test_editing_moving_and_deleting_an_event_move_the_latest_date_of_both_cases():
    first, second = make_case(), make_case()
    event = make_event(first, "2019-07")
    assert latest_end(first) == date(2019, 7, 31)
    event.case = second
    event.save()
    assert (latest_end(first), latest_end(second)) == (None, date(2019, 7, 31))
    event.delete()
    assert latest_end(second) is None


def test_an_unpublished_persons_events_do_not_date_the_case():
    person = make_person()
    case = make_case(people=[person])
    make_event(case, "2018")
    make_event(case, "2021-02", person=person)
    assert latest_end(case) == date(2021, 2, 28)
    person.is_published = False
    person.save()
    assert latest_end(case) == date(2018, 12, 31)
    person.is_published = True
    person.save()
    assert latest_end(case) == date(2021, 2, 28)


def test_the_cases_list_sorted_by_latest_change_reads_the_stored_date(client):
    old, recent = make_case("Old"), make_case("Recent")
    make_case("Quiet")
    make_event(old, "2015")
    make_event(recent, "2023-01")
    html = client.get(reverse("cases:case-list"), {"sort": "latest"}).content.decode()
    assert html.index("Recent") < html.index("Old") < html.index("Quiet")
    assert "January 2023" in html


def assert_organisations_in_step():
    """Each organisation's stored latest event is the newest published event of its published cases."""
    from cases.models import Event, Organization

    for organization in Organization.objects.all():
        newest = Event.objects.published().filter(case__organizations=organization).newest_first().first()
        assert organization.latest_event_date == (newest.date if newest else None), organization


def test_an_organisations_latest_event_follows_every_write_it_depends_on():
    from cases.models import Organization

    from .factories import make_organization

    union, other = make_organization("Union"), make_organization("Other")
    older, newer = make_case(organizations=[union]), make_case(organizations=[union, other])
    make_event(older, "2018-03")
    event = make_event(newer, "2020")
    assert Organization.objects.get(pk=union.pk).latest_event_date.start == date(2020, 1, 1)
    assert_organisations_in_step()
    make_event(newer, "2021-06-01", is_published=False)
    person = make_person()
    make_event(older, "2022-02", person=person)
    assert_organisations_in_step()
    person.is_published = False
    person.save()
    assert_organisations_in_step()
    newer.is_published = False
    newer.save()
    assert_organisations_in_step()
    newer.is_published = True
    newer.save()
    event.case = older
    event.save()
    assert_organisations_in_step()
    newer.organizations.remove(union)
    assert_organisations_in_step()
    union.cases.add(newer)
    other.cases.clear()
    assert_organisations_in_step()
    older.organizations.clear()
    assert_organisations_in_step()
    older.organizations.add(other)
    assert_organisations_in_step()
    for event in newer.events.all():
        event.delete()
    newer.delete()
    assert_organisations_in_step()
    for event in older.events.all():
        event.delete()
    assert_organisations_in_step()
    older.delete()
    assert Organization.objects.get(pk=other.pk).latest_event_date is None


def test_an_organisations_cases_changed_from_its_side_move_its_latest_event():
    from cases.models import Organization

    from .factories import make_organization

    union, case = make_organization("Union"), make_case()
    make_event(case, "2020")
    union.cases.add(case)
    assert Organization.objects.get(pk=union.pk).latest_event_date.start == date(2020, 1, 1)
    union.cases.clear()
    assert Organization.objects.get(pk=union.pk).latest_event_date is None
