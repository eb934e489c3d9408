"""Bulk import from CSV: a dry-run preview with row-by-row errors first; a bad row saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.choices import CustodyState
from cases.models import Citation, Event, NameVariant, Person

from .factories import make_case, make_person, make_source

pytestmark = pytest.mark.django_db

PEOPLE = (
    "name,slug,identity,role,location,summary,birth_year,internal_notes,variants\n"
    "Zhanara Akhmetova,zhanara-akhmetova,named,journalist,Almaty,A journalist.,1985,Contact via her lawyer.,"
    "Жанара Ахметова; Janara Ahmetova\n"
    "Serikzhan Bilash,serikzhan-bilash,named,activist,Almaty,An activist.,,,\n"
)


def upload(client, model, text, name="import.csv"):
    data = {"format": "0", "import_file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    return client.post(reverse(f"admin:cases_{model}_import"), data)


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:cases_{model}_process_import"), data)


def test_a_dry_run_shows_the_rows_and_saves_nothing_until_confirmed(researcher_client):
    preview = upload(researcher_client, "person", PEOPLE)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Zhanara Akhmetova" in html and "Serikzhan Bilash" in html
    assert not Person.objects.exists()

    assert confirm(researcher_client, "person", preview).status_code == 302
    zhanara = Person.objects.get(slug="zhanara-akhmetova")
    assert not zhanara.is_published  # waits for an Editor like any new record
    assert zhanara.internal_notes == "Contact via her lawyer."
    assert sorted(NameVariant.objects.filter(person=zhanara).values_list("name", flat=True)) == [
        "Janara Ahmetova",
        "Жанара Ахметова",
    ]
    assert zhanara.history.get().history_user.username == "alice"


def test_a_bad_row_is_shown_with_its_error_and_nothing_is_saved(researcher_client):
    bad = PEOPLE + "Someone,someone,named,astronaut,,,,,\n"
    preview = upload(researcher_client, "person", bad)
    html = preview.content.decode()
    assert "astronaut" in html and "is not a valid choice" in html
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert not Person.objects.exists()


def test_an_import_never_overwrites_an_existing_record(researcher_client):
    make_person("Zhanara Akhmetova", summary="Published summary.")
    preview = upload(researcher_client, "person", PEOPLE)
    assert "Person with this Slug already exists" in preview.content.decode()
    assert Person.objects.get().summary == "Published summary."


def test_an_empty_slug_is_made_from_the_name_in_latin_letters_even_a_cyrillic_one(researcher_client):
    text = (
        "name,slug,identity,role,location,summary,birth_year,internal_notes,variants\n"
        "Жанара Ахметова,,named,journalist,,,,,\n"
    )
    preview = upload(researcher_client, "person", text)
    assert preview.context["confirm_form"] is not None, preview.content.decode()[-3000:]
    confirm(researcher_client, "person", preview)
    assert Person.objects.get().slug == "zhanara-akhmetova"


def test_events_are_imported_with_their_dates_and_citations(researcher_client):
    person = make_person("Max Bokayev", slug="max-bokayev")
    make_case("Prosecution of Max Bokayev", slug="bokayev", people=[person])
    source = make_source("HRW", slug="hrw")
    text = (
        "case,person,date,type,custody,stage,sentence_months,sentence_days,description,internal_notes,source,quote\n"
        "bokayev,max-bokayev,2018-03,detained,detained,,,,Detained.,,hrw,He was detained in March.\n"
        "bokayev,,early 2018,investigation_opened,,investigation,,,Investigation opened.,,,\n"
    )
    preview = upload(researcher_client, "event", text)
    assert preview.status_code == 200 and not Event.objects.exists()
    confirm(researcher_client, "event", preview)
    detained = Event.objects.get(type="detained")
    assert detained.date.edtf == "2018-03" and detained.person == person and not detained.is_published
    assert Citation.objects.get(event=detained, source=source).quote == "He was detained in March."
    assert Event.objects.get(type="investigation_opened").date.display == "early 2018"
    # Unpublished: the public status waits for an Editor.
    assert Person.objects.with_custody().get(pk=person.pk).custody == CustodyState.UNKNOWN


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("bokayev,,March 2018,detained,,,,,Detained.,,,", "is not a date this system reads"),
        ("nowhere,,2018-03,detained,,,,,Detained.,,,", "No case has the slug “nowhere”"),
        ("bokayev,,2018-03,detained,,,,,Detained.,,hrw,", "Give both the source&#x27;s slug and its quote"),
        ("bokayev,,2018-03,transferred,,,60,,Moved.,,,", "A sentence needs a conviction"),
    ],
    ids=["bad-date", "unknown-case", "source-without-quote", "sentence-without-conviction"],
)
def test_one_bad_event_row_stops_the_whole_import(researcher_client, row, message):
    make_case("Prosecution of Max Bokayev", slug="bokayev")
    make_source("HRW", slug="hrw")
    text = (
        "case,person,date,type,custody,stage,sentence_months,sentence_days,description,internal_notes,source,quote\n"
        "bokayev,,2018-01,investigation_opened,,investigation,,,Good row.,,,\n" + row + "\n"
    )
    preview = upload(researcher_client, "event", text)
    assert message in preview.content.decode()
    assert not Event.objects.exists()
