"""What a source supports in public is stored on it (SourceQuerySet.refresh_support) and follows every
write it depends on, in the same transaction: a citation added, moved or deleted; an event published,
unpublished, edited, moved or deleted; its case or person published, unpublished or renamed. Each
step is checked against a recount from the published events."""

from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from cases.models import Case, Citation, Event, Source
from cases.models.sources import FIRST_CASES_STORED

from .factories import make_case, make_event, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db


def recounted(source: Source) -> tuple:
    """What the source supports, counted afresh the slow way: its first cases by title, then id."""
    events = list(Event.objects.published().filter(citations__source=source).distinct().select_related("case"))
    cases = Counter((event.case.title, event.case_id) for event in events if event.case_id)
    return (
        len(events),
        len(cases),
        max((event.updated_at for event in events), default=None),
        [[case, cases[title, case]] for title, case in sorted(cases)][:FIRST_CASES_STORED],
    )


def stored(source: Source) -> tuple:
    source = Source.objects.get(pk=source.pk)
    return (
        source.public_event_count,
        source.public_case_count,
        source.public_support_updated_at,
        source.public_first_cases,
    )


def titles(first_cases: list) -> list[str]:
    return [Case.objects.get(pk=case).title for case, _events in first_cases]


def assert_in_step(*sources: Source):
    for source in sources:
        assert stored(source) == recounted(source)


@pytest.fixture
def report():
    return make_source("Report")


def test_a_source_stores_its_published_events_and_cases_and_leaves_out_unpublished_ones(report):
    person = make_person()
    case = make_case("Case A", people=[person])
    make_event(case, "2018-03", source=report)
    make_event(case, "2018-04", source=report, person=person)
    make_event(None, "2018-05", source=report, theme=make_theme())
    make_event(case, "2018-06", source=report, is_published=False)
    make_event(make_case("Hidden", is_published=False), "2018-07", source=report)

    assert stored(report)[:2] == (3, 1)
    assert stored(report)[3] == [[case.pk, 2]]
    assert_in_step(report)


def test_an_event_citing_a_source_twice_counts_once(report):
    event = make_event(make_case(), source=report)
    Citation.objects.create(event=event, source=report, quote="And again.")
    assert stored(report)[:2] == (1, 1)
    assert_in_step(report)


def test_publishing_editing_moving_and_deleting_an_event_keep_the_source_in_step(report):
    first, second = make_case("First"), make_case("Second")
    event = make_event(first, "2018-03", source=report, is_published=False)
    assert stored(report)[0] == 0
    event.is_published = True
    event.save()
    assert stored(report)[0] == 1
    assert_in_step(report)
    event.description = "Edited."
    event.save()
    assert_in_step(report)
    event.case = second
    event.save()
    assert titles(stored(report)[3]) == ["Second"]
    assert_in_step(report)
    event.is_published = False
    event.save()
    assert stored(report) == (0, 0, None, [])
    event.is_published = True
    event.save()
    event.delete()
    assert stored(report) == (0, 0, None, [])


def test_publishing_and_renaming_a_case_keep_its_sources_in_step(report):
    case = make_case("Before")
    make_event(case, source=report)
    case.title = "After"
    case.save()
    assert titles(stored(report)[3]) == ["After"]
    case.is_published = False
    case.save()
    assert stored(report) == (0, 0, None, [])
    case.is_published = True
    case.save()
    assert stored(report)[:2] == (1, 1)
    assert_in_step(report)


def test_unpublishing_a_person_takes_their_events_out_of_what_a_source_supports(report):
    person = make_person()
    case = make_case(people=[person])
    make_event(case, "2018", source=report)
    make_event(case, "2019", source=report, person=person)
    person.is_published = False
    person.save()
    assert stored(report)[0] == 1
    assert_in_step(report)
    person.is_published = True
    person.save()
    assert stored(report)[0] == 2
    assert_in_step(report)


def test_adding_moving_and_deleting_a_citation_keep_both_sources_in_step(report):
    other = make_source("Other")
    event = make_event(make_case(), source=report)
    citation = Citation.objects.create(event=event, source=report, quote="More.")
    assert_in_step(report, other)
    citation.source = other
    citation.save()
    assert (stored(report)[0], stored(other)[0]) == (1, 1)
    assert_in_step(report, other)
    citation.delete()
    assert (stored(report)[0], stored(other)[0]) == (1, 0)
    assert_in_step(report, other)
    event.citations.all().delete()
    assert stored(report) == (0, 0, None, [])


def test_each_source_stores_its_first_cases_by_title_with_same_titles_by_id():
    report, other = make_source("Report"), make_source("Other")
    cases: dict[str, list] = {}
    titles_made = ["Delta", "Alpha", "Charlie", "Alpha", "Bravo", *(f"Zulu {n:02}" for n in range(FIRST_CASES_STORED))]
    for number, title in enumerate(titles_made):
        cases.setdefault(title, []).append(make_case(title, slug=f"case-{number}"))
        make_event(cases[title][-1], source=report)
    make_event(cases["Zulu 00"][0], source=report)
    make_event(make_case("Yankee"), source=other)

    first = stored(report)[3]

    assert stored(report)[1] == len(titles_made)
    assert len(first) == FIRST_CASES_STORED
    assert first[:3] == [[cases["Alpha"][0].pk, 1], [cases["Alpha"][1].pk, 1], [cases["Bravo"][0].pk, 1]]
    assert first[5] == [cases["Zulu 00"][0].pk, 2]
    assert titles(first) == sorted(titles_made)[:FIRST_CASES_STORED]
    assert titles(stored(other)[3]) == ["Yankee"]
    assert_in_step(report, other)


def test_a_case_renamed_to_the_front_or_unpublished_moves_in_or_out_of_the_first_cases(report):
    made = [make_case(f"Case {n:02}") for n in range(FIRST_CASES_STORED + 1)]
    for case in made:
        make_event(case, source=report)
    last = made[-1]
    assert last.pk not in [case for case, _events in stored(report)[3]]
    last.title = "Aardvark"
    last.save()
    assert stored(report)[3][0] == [last.pk, 1]
    assert_in_step(report)
    made[0].is_published = False
    made[0].save()
    assert made[0].pk not in [case for case, _events in stored(report)[3]]
    assert stored(report)[1] == FIRST_CASES_STORED
    assert_in_step(report)


def test_the_report_loaded_in_bulk_counts_what_its_source_supports():
    call_command("load_report", str(settings.BASE_DIR / "fixtures" / "kazakhstan-2018.yaml"), stdout=StringIO())
    source = Source.objects.get()
    assert stored(source)[0] > 0
    assert_in_step(source)
