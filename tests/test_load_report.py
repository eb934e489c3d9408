"""Loading a report's data adds what is missing and never undoes a researcher's work."""

import textwrap
from io import StringIO

import pytest
from django.core.management import call_command

from cases.choices import CustodyState
from cases.models import Case, Citation, Event, ImportedItem, Person, Source

pytestmark = pytest.mark.django_db

DATA = textwrap.dedent(
    """
    dataset: test-report
    source: {slug: test-report, title: Test Report, publisher: Watchers, url: "https://example.org/r",
             published: "2019-01", language: en}
    themes: [{slug: civil-society, name: Civil Society}]
    charges: [{slug: inciting-discord, name: inciting discord, article: ""}]
    organizations: []
    people:
      - slug: maks-bokaev
        name: Maks Bokaev
        identity: named
        role: activist
        variants: [{name: Макс Бокаев, kind: cyrillic, note: "Not from the report; common spelling."}]
      - {slug: dozens, name: Dozens of protesters, identity: group, group_size: null, role: protester}
    cases:
      - slug: bokaev-case
        title: Prosecution of Maks Bokaev
        kind: criminal
        themes: [civil-society]
        charges: [inciting-discord]
        people: [maks-bokaev]
        events:
          - key: bokaev-imprisoned
            date: "2016-05"
            type: convicted
            custody: imprisoned
            stage: convicted
            sentence_months: 60
            description: Imprisoned for protesting.
            quotes: ["He was imprisoned."]
          - key: bokaev-transfer
            date: "2018-09"
            type: transferred
            custody: imprisoned
            description: Transferred to Aktobe.
            quotes: ["He was transferred."]
    context_events:
      - {key: law, date: "2018-04", type: context, theme: civil-society, description: A law., quotes: ["A law."]}
    """
)


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text(DATA, encoding="utf-8")
    return path


def load(path) -> str:
    out = StringIO()
    call_command("load_report", str(path), stdout=out)
    return out.getvalue()


def snapshot():
    return [
        (model.__name__, list(model.objects.order_by("pk").values()))
        for model in (Person, Case, Event, Citation, Source, ImportedItem)
    ]


def test_loading_adds_every_record_published_with_its_citations(data_file):
    assert "Added" in load(data_file)
    bokaev = Person.objects.get(slug="maks-bokaev")
    assert bokaev.is_published and bokaev.name_variants.get().name == "Макс Бокаев"
    assert Person.objects.with_custody().get(pk=bokaev.pk).custody == CustodyState.IMPRISONED
    case = Case.objects.get(slug="bokaev-case")
    assert [e.date.edtf for e in case.events.all()] == ["2016-05", "2018-09"]
    assert Citation.objects.get(event__type="transferred").source.slug == "test-report"
    assert Event.objects.get(type="context").theme.slug == "civil-society"
    assert Person.objects.get(slug="dozens").identity == "group"


def test_loading_twice_changes_nothing(data_file):
    load(data_file)
    before = snapshot()
    assert "Nothing to add" in load(data_file)
    assert snapshot() == before


def test_a_reload_keeps_researchers_edits_and_deletions(data_file):
    load(data_file)
    Person.objects.filter(slug="maks-bokaev").update(summary="Edited by a researcher.")
    Event.objects.get(type="transferred").delete()
    Case.objects.get(slug="bokaev-case").charges.clear()

    load(data_file)

    assert Person.objects.get(slug="maks-bokaev").summary == "Edited by a researcher."
    assert not Event.objects.filter(type="transferred").exists()
    assert not Case.objects.get(slug="bokaev-case").charges.exists()


def test_a_new_item_in_the_file_is_added_on_the_next_load(data_file):
    load(data_file)
    data_file.write_text(
        DATA.replace(
            "\ncontext_events:",
            "\n      - {key: bokaev-parole, date: '2019-02', type: released_on_parole, custody: conditional_release,"
            " description: Paroled., quotes: ['Paroled.']}\ncontext_events:",
        ),
        encoding="utf-8",
    )
    assert "1 events" in load(data_file)
    assert Person.objects.with_custody().get(slug="maks-bokaev").custody == CustodyState.CONDITIONAL_RELEASE


def test_a_slug_a_researcher_already_used_is_left_alone(data_file):
    Person.objects.create(name="Maks Bokaev (researcher's record)", slug="maks-bokaev")
    output = load(data_file)
    assert "Skipped person maks-bokaev" in output
    assert Person.objects.get(slug="maks-bokaev").name == "Maks Bokaev (researcher's record)"


def test_a_missing_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No data file"):
        load(tmp_path / "absent.yaml")


def test_a_bad_date_in_the_file_loads_nothing(data_file):
    data_file.write_text(DATA.replace('date: "2018-09"', 'date: "2018-19"'), encoding="utf-8")
    with pytest.raises(ValueError, match="2018-19"):
        load(data_file)
    assert not Person.objects.exists() and not ImportedItem.objects.exists()
