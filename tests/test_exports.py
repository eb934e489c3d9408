"""CSV and JSON downloads: the page's filters, published records and public names only, no formulas."""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from cases.choices import CaseStage, CustodyState, EventType
from cases.exports import DATASETS, FORMULA_TRIGGERS, edtf, neutralise
from cases.models import Case, Event, Organization, Person

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source

pytestmark = pytest.mark.django_db

EXPORTS = ["cases:person-export", "cases:case-export", "cases:organization-export", "cases:event-export"]


@pytest.fixture
def world():
    bokaev = make_person("Maks Bokaev", variants=["Макс Бокаев"], internal_notes="Contact via his sister.")
    ayan = make_person("Talgat Ayan")
    charge = make_charge("inciting discord")
    case = make_case("Land protest case", people=[bokaev, ayan], charges=[charge], internal_notes="Lawyer: X.")
    source = make_source("World Report 2019", url="https://example.org/wr2019")
    make_event(case, "2016-05", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, stage=CaseStage.CONVICTED,
               sentence_months=60, source=source, quote="continued to serve a five-year sentence.",
               internal_notes="Verified by phone.")  # fmt: skip
    make_event(case, "2018-04", type=EventType.RELEASED_ON_PAROLE, custody=CustodyState.CONDITIONAL_RELEASE,
               person=ayan, source=source, quote="released on parole Talgat Ayan")  # fmt: skip
    return case


def download(client, name, fmt, **params):
    response = client.get(reverse(name, kwargs={"fmt": fmt}), params)
    assert response.status_code == 200, response
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def csv_rows(client, name, **params) -> list[dict]:
    response, body = download(client, name, "csv", **params)
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def json_results(client, name, **params) -> list[dict]:
    response, body = download(client, name, "json", **params)
    assert response["Content-Type"] == "application/json"
    return json.loads(body)["results"]


def test_people_export_uses_the_same_filters_as_the_page(client, world):
    params = {"as_of": "2018-03-31", "in_custody": "true"}
    page = [p.slug for p in client.get(reverse("cases:person-list"), params).context["results"]]
    assert page == ["maks-bokaev", "talgat-ayan"]
    rows = csv_rows(client, "cases:person-export", **params)
    assert sorted(row["slug"] for row in rows) == page
    assert sorted(record["slug"] for record in json_results(client, "cases:person-export", **params)) == page
    after = csv_rows(client, "cases:person-export", as_of="2018-04-30", in_custody="true")
    assert [row["slug"] for row in after] == ["maks-bokaev"]


def test_people_export_rows_carry_status_variants_and_links(client, world):
    (bokaev,) = [r for r in json_results(client, "cases:person-export") if r["slug"] == "maks-bokaev"]
    assert bokaev["name_variants"] == ["Макс Бокаев"]
    assert (bokaev["custody"], bokaev["in_custody"], bokaev["custody_since"]) == ("imprisoned", True, "2016-05")
    assert bokaev["cases"] == ["land-protest-case"]
    assert bokaev["url"] == "http://testserver" + reverse("cases:person-detail", args=["maks-bokaev"])
    (row,) = [r for r in csv_rows(client, "cases:person-export") if r["slug"] == "maks-bokaev"]
    assert row["name_variants"] == "Макс Бокаев"
    assert row["in_custody"] == "true"


def test_cases_and_events_export_with_their_filters(client, world):
    make_case("Another case", kind="civil")
    assert [r["slug"] for r in csv_rows(client, "cases:case-export", kind="civil")] == ["another-case"]
    (case,) = json_results(client, "cases:case-export", charge="inciting-discord")
    assert (case["stage"], case["people"], case["charges"]) == ("convicted", ["Maks Bokaev", "Talgat Ayan"],
                                                                 ["inciting discord"])  # fmt: skip
    events = csv_rows(client, "cases:event-export")
    assert [e["type"] for e in events] == ["released_on_parole", "convicted"]  # newest first
    assert (
        events[1]["citations"]
        == "“continued to serve a five-year sentence.” — World Report 2019 https://example.org/wr2019"
    )
    assert [e["type"] for e in csv_rows(client, "cases:event-export", since="2018-01-01")] == ["released_on_parole"]
    assert [e["type"] for e in csv_rows(client, "cases:event-export", until="2017-01-01")] == ["convicted"]
    assert [e["type"] for e in json_results(client, "cases:event-export", type="convicted")] == ["convicted"]
    (parole,) = json_results(client, "cases:event-export", type="released_on_parole")
    assert parole["citations"][0]["quote"] == "released on parole Talgat Ayan"
    assert parole["date"] == "2018-04"


def test_organisations_export(client):
    make_case("Ratel.kz blocking", organizations=[make_organization("Ratel.kz", kind="media")])
    (row,) = csv_rows(client, "cases:organization-export", kind="media")
    assert (row["name"], row["cases"]) == ("Ratel.kz", "ratelkz-blocking")


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(trigger):
    assert neutralise(f"{trigger}SUM(A1:A9)") == f"'{trigger}SUM(A1:A9)"


@pytest.mark.parametrize("harmless", ["Maks Bokaev", "2018-04", "a=b", "Bokaev - activist", "", "'quoted"])
def test_an_ordinary_cell_is_left_as_it_is(harmless):
    assert neutralise(harmless) == harmless


def test_formulas_in_every_kind_of_field_are_neutralised_in_the_csv(client):
    person = make_person('=HYPERLINK("http://evil.example","click")', slug="formula", location="+7 777",
                         summary="@SUM(1+1)", variants=["-2+3"])  # fmt: skip
    case = make_case("=cmd|' /C calc'!A0", people=[person])
    make_event(case, "2018-01", description="\t=1+1", quote="\r=2+2")
    (row,) = csv_rows(client, "cases:person-export")
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["location"] == "'+7 777"
    assert row["summary"] == "'@SUM(1+1)"
    assert row["name_variants"] == "'-2+3"
    (case_row,) = csv_rows(client, "cases:case-export")
    assert case_row["title"] == "'=cmd|' /C calc'!A0"
    (event,) = csv_rows(client, "cases:event-export")
    assert event["description"] == "'\t=1+1"
    assert event["case_title"].startswith("'=")
    # JSON is data, not a spreadsheet: values stay exactly as entered.
    assert json_results(client, "cases:person-export")[0]["name"].startswith("=HYPERLINK")


def test_withheld_names_and_internal_notes_never_leave_the_site(client, world):
    secret = make_person(
        "Gulnara Bazhkenova",
        slug="withheld-journalist",
        variants=["Гульнара Бажкенова"],
        name_withheld=True,
        public_alias="Name withheld — a journalist",
        internal_notes="Lives at 5 Abay Street.",
    )
    world.people.add(secret)
    make_event(world, "2018-06", type=EventType.DETAINED, custody=CustodyState.DETAINED, person=secret)
    everything = "".join(download(client, name, fmt)[1] for name in EXPORTS for fmt in ("csv", "json"))
    for never in ["Gulnara", "Bazhkenova", "Бажкенова", "Lives at 5 Abay", "Contact via his sister", "Lawyer: X",
                  "Verified by phone", "internal_notes"]:  # fmt: skip
        assert never not in everything, never
    assert "Name withheld — a journalist" in everything
    (event,) = json_results(client, "cases:event-export", type="detained")
    assert event["person_name"] == "Name withheld — a journalist"


def test_unpublished_records_are_never_exported(client, world):
    make_person("Secret Person", is_published=False)
    draft = make_case("Draft case", people=[Person.objects.get(slug="maks-bokaev")], is_published=False)
    make_event(draft, "2018-09", description="Event of a draft case.")
    make_event(world, "2018-10", description="Draft event.", is_published=False)
    make_organization("Secret Org", is_published=False)
    make_source("Secret source", is_published=False)
    hidden_source_event = make_event(world, "2018-11", description="Published event.")
    hidden_source_event.citations.update(source=make_source("Unpublished source", is_published=False))
    everything = "".join(download(client, name, fmt)[1] for name in EXPORTS for fmt in ("csv", "json"))
    for never in ["Secret Person", "Draft case", "draft-case", "Event of a draft case.", "Draft event.", "Secret Org",
                  "Unpublished source"]:  # fmt: skip
        assert never not in everything, never
    assert "Published event." in everything


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("cases:person-export", {"as_of": "2018-02-30"}, "as_of"),
        ("cases:person-export", {"custody": "vanished"}, "custody"),
        ("cases:case-export", {"kind": "tribunal"}, "kind"),
        ("cases:event-export", {"since": "2019-01-01", "until": "2018-01-01"}, "until"),
    ],
)
def test_a_bad_filter_answers_400_naming_it(client, name, params, parameter):
    response = client.get(reverse(name, kwargs={"fmt": "csv"}), params)
    assert response.status_code == 400
    assert f"{parameter}:" in response.content.decode()


def test_only_csv_and_json_are_offered(client):
    with pytest.raises(NoReverseMatch):
        reverse("cases:person-export", kwargs={"fmt": "xlsx"})
    assert client.get("/people/export.xlsx").status_code == 404


def test_downloads_are_named_attachments(client):
    response, _ = download(client, "cases:case-export", "json")
    assert response["Content-Disposition"].startswith('attachment; filename="casetracker-cases-')


def test_every_row_has_exactly_the_declared_columns(rf, world):
    organization = make_organization("Ratel.kz")
    make_case("Ratel.kz case", organizations=[organization])
    absolute = rf.get("/").build_absolute_uri
    for dataset in DATASETS.values():
        filterset = dataset.filterset_class({}, queryset=dataset.queryset())
        assert filterset.is_valid()
        row = next(dataset.rows(filterset, absolute))
        assert list(row) == dataset.columns, dataset.name


def test_a_long_list_streams_in_chunks_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    case = make_case("Big case", people=[make_person() for _ in range(30)])
    for month in range(1, 13):
        make_event(case, f"2018-{month:02d}")
    # Every chunk: the rows and one query per prefetch, however many rows it holds.
    with django_assert_max_num_queries(4):
        _, body = download(client, "cases:person-export", "csv")
    assert body.count("\n") == 31
    with django_assert_max_num_queries(3):
        _, body = download(client, "cases:event-export", "json")
    assert len(json.loads(body)["results"]) == 12
    assert Case.objects.count() == 1 and Event.objects.count() == 12 and Organization.objects.count() == 0


def person_row(person: Person, absolute) -> dict:
    """A person's row as the model's own properties give it: what the export's rows, read as plain
    values, must equal."""
    return {
        "slug": person.slug,
        "name": person.public_name,
        "name_ru": person.russian_name,
        "name_variants": [variant.name for variant in person.public_name_variants],
        "identity": person.identity,
        "group_size": person.group_size,
        "group_size_is_minimum": person.group_size_is_minimum,
        # Summing this column counts people, not records; empty for a group of unknown size.
        "individuals": None if person.headcount.unknown_groups else person.headcount.individuals,
        "role": person.role,
        "country": person.country.code or None,
        "location": person.location,
        "summary": person.summary,
        "summary_ru": person.summary_ru,
        "custody": person.custody,
        "in_custody": person.in_custody,
        "custody_since": edtf(person.custody_since),
        "custody_began": edtf(person.custody_began),
        "custody_on_record_since": edtf(person.custody_on_record_since),
        "custody_began_by": edtf(person.custody_began_by),
        "custody_last_reported": edtf(person.custody_last_reported),
        "custody_confirmed": person.custody_confirmed,
        "sentence_months": person.sentence_months,
        "sentence_days": person.sentence_days,
        "expected_end": edtf(person.expected_end),
        "cases": [case.slug for case in person.public_cases],
        "url": absolute(person.get_absolute_url()),
    }


def test_people_rows_say_what_the_model_properties_say(rf):
    """The export reads plain values, not model instances: its rows must equal those built from
    the instances, for the records where the two could part ways."""
    from cases.choices import Identity, NameLanguage, SentenceServed
    from cases.exports import published_case_slugs
    from cases.filters import PersonFilter
    from cases.models import CustodySpan, NameVariant

    withheld = make_person(
        "Secret Name", slug="withheld-trade-unionist", name_withheld=True,
        public_alias="Name withheld — a trade unionist", variants=["Секретное Имя"], country="KZ",
    )  # fmt: skip
    NameVariant.objects.create(person=withheld, name="Секретный", language=NameLanguage.RUSSIAN)
    sentenced = make_person("Maks Bokaev", variants=["Макс Бокаев", "Maks Bokayev"], country="KZ")
    # Two Russian spellings: the first by name is the Russian name.
    NameVariant.objects.create(person=sentenced, name="Максим Бокаев", language=NameLanguage.RUSSIAN)
    NameVariant.objects.create(person=sentenced, name="Макс Бокаев", language=NameLanguage.RUSSIAN)
    unknown_group = make_person("Zhanaozen strikers", identity=Identity.GROUP)
    make_person("Oil workers", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    make_person("No events at all")
    estimated = make_person("Aset Test")
    unreported = make_person("Talgat Ayan")
    case = make_case("Land protest case", people=[withheld, sentenced, unknown_group, unreported])
    make_case("Appeal case", people=[sentenced])
    make_case("Hidden case", people=[sentenced], is_published=False)
    make_event(case, "2016-05-17", type=EventType.DETAINED, custody=CustodyState.DETAINED, person=sentenced)
    make_event(case, "2016-11", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=60,
               person=sentenced)  # fmt: skip
    make_event(case, "2017", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=36,
               person=withheld)  # fmt: skip
    make_event(case, "2019-40", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY, person=unknown_group)
    make_event(case, "early 2015", type=EventType.DETAINED, custody=CustodyState.DETAINED, person=unreported,
               sentence_days=15)  # fmt: skip
    # A custody whose latest report is not on record: its first report stands for it.
    CustodySpan.objects.filter(person=unreported).update(last_report=None)
    # A custody whose beginning is estimated from a part of the sentence served.
    estimate_case = make_case("Imprisonment of Aset Test", people=[estimated])
    make_event(estimate_case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    make_event(estimate_case, "2018-03", type=EventType.PAROLE_DENIED, custody=CustodyState.IMPRISONED,
               sentence_months=72, sentence_served=SentenceServed.ONE_THIRD)  # fmt: skip
    make_person("Unpublished", is_published=False)
    absolute = rf.get("/").build_absolute_uri
    for params in (
        {},
        {"as_of": "2016-12-31"},
        {"as_of": "2019-12-31", "sort": "-name"},
        {"sort": "latest"},
        {"as_of": "2018-06-30", "sort": "expected_end"},
        {"as_of": "2018-06-30", "sort": "latest"},
        {"group": "true"},
        {"in_custody": "true"},
        {"as_of": "2016-12-31", "custody": "unknown"},
    ):
        # The export's rows against the list's people, in the list's order, as the list shows them.
        filterset = DATASETS["people"].filterset_class(params, queryset=DATASETS["people"].queryset())
        assert filterset.is_valid()
        fast = list(DATASETS["people"].rows(filterset, absolute))
        listed = PersonFilter(params, queryset=DATASETS["people"].queryset())
        assert listed.is_valid()
        shown = listed.rows().prefetch_related("name_variants", published_case_slugs()).in_bulk()
        instances = [shown[pk] for pk in listed.qs.values_list("pk", flat=True)]
        assert fast == [person_row(person, absolute) for person in instances], params
        if not params:
            everyone = fast
    assert len(everyone) == 7
    by_slug = {row["slug"]: row for row in everyone}
    assert by_slug["maks-bokaev"]["name_ru"] == "Макс Бокаев"
    assert by_slug["maks-bokaev"]["cases"] == ["appeal-case", "land-protest-case"]
    assert by_slug["no-events-at-all"]["cases"] == [] and by_slug["no-events-at-all"]["custody"] == "unknown"
    assert by_slug["talgat-ayan"]["custody_last_reported"] == "2015-01/2015-04"
    assert by_slug["aset-test"]["custody_began_by"] == "2016-03"
    assert any(row["expected_end"] for row in everyone) and any(row["individuals"] is None for row in everyone)
    assert "Секрет" not in json.dumps(everyone, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    ["plain", "=1+1", "-2", "@x", "\tx", "", None, 0, 12, True, False, date(2018, 3, 1), ["a", "=b"], ["-a", "b"], []],
)
def test_a_csv_cell_is_written_as_neutralise_says_however_it_is_typed(value):
    from cases.exports import csv_cell, csv_values

    def written(cells) -> str:
        out = io.StringIO()
        csv.writer(out).writerow(cells)
        return out.getvalue()

    assert written(csv_values([value])) == written([csv_cell(value)])


def test_a_download_sends_its_first_rows_before_it_reads_the_rest(client, monkeypatch):
    monkeypatch.setattr("cases.exports.FIRST_PEOPLE_CHUNK_SIZE", 2)
    monkeypatch.setattr("cases.exports.PEOPLE_CHUNK_SIZE", 3)
    for index in range(6):
        make_person(f"Person {index}")
    for fmt in ("csv", "json"):
        response = client.get(reverse("cases:person-export", kwargs={"fmt": fmt}))
        pieces = iter(response.streaming_content)
        head, first_rows = next(pieces), next(pieces)
        assert b"person-0" not in head
        assert b"person-1" in first_rows and b"person-2" not in first_rows, fmt
        assert b"person-5" in b"".join(pieces)


def test_a_download_left_half_read_closes_its_cursor_in_its_transaction(monkeypatch):
    import sys

    monkeypatch.setattr("cases.exports.FIRST_PEOPLE_CHUNK_SIZE", 1)
    monkeypatch.setattr("cases.exports.PEOPLE_CHUNK_SIZE", 2)
    for index in range(5):
        make_person(f"Person {index}")
    # As outside the test's transaction: the download opens its own (here a savepoint, whose end
    # closes a cursor declared in it, as a transaction's does).
    monkeypatch.setattr("django.db.transaction.get_autocommit", lambda using=None: True)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    dataset = DATASETS["people"]
    for read in (1, 2):
        filterset = dataset.filterset_class({}, queryset=dataset.queryset())
        assert filterset.is_valid()
        texts = dataset.texts(filterset, "https://example.org".__add__, "csv")
        for _ in range(read):
            next(texts)
        texts.close()
        assert not unraisable, [hook.exc_value for hook in unraisable]
    assert Person.objects.count() == 5
