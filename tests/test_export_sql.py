"""The people export written by PostgreSQL (cases.export_sql) is the Python export, byte for byte."""

import csv
import io
import json
import re
from dataclasses import replace

import pytest
from django.db import connection
from django.urls import reverse

from cases.choices import CaseStage, CustodyState, EventType, Identity, NameLanguage, SentenceServed
from cases.exports import DATASETS, FORMULA_TRIGGERS
from cases.models import CustodySpan, NameVariant

from .factories import make_case, make_event, make_person, read_only_for_the_module

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the export is written by SQL on PostgreSQL only"),
]

# Every precision a date can have, as the people's custody began, was reported and is expected to end.
DATES = [
    "2016-05-17", "2016-11", "early 2015", "mid-2016", "late 2017", "2018-40", "2018-41", "2017",
    "2018-03/2018-11", "2018-03-05/2018-04-10", "0999-05-17",
]  # fmt: skip

PARAMS = [
    {},
    {"as_of": "2016-12-31"},
    {"as_of": "2019-12-31", "sort": "-name"},
    {"sort": "latest"},
    {"as_of": "2018-06-30", "sort": "expected_end"},
    {"group": "true"},
    {"in_custody": "true"},
    {"as_of": "2016-12-31", "custody": "unknown"},
    {"search": "Bokaev"},
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Every test here reads these records: built once for the module."""
    with read_only_for_the_module(django_db_blocker):
        yield build_world()


def build_world():
    withheld = make_person(
        "Secret Name", slug="withheld-trade-unionist", name_withheld=True,
        public_alias='Name withheld — a "trade, unionist"', variants=["Секретное Имя"], country="KZ",
    )  # fmt: skip
    NameVariant.objects.create(person=withheld, name="Секретный", language=NameLanguage.RUSSIAN)
    bokaev = make_person("Maks Bokaev", variants=["Макс Бокаев", 'Maks, "Bokayev"'], country="KZ")
    NameVariant.objects.create(person=bokaev, name="Максим Бокаев", language=NameLanguage.RUSSIAN)
    NameVariant.objects.create(person=bokaev, name="Макс Бокаев", language=NameLanguage.RUSSIAN)
    formulas = [
        make_person(f"{trigger}cmd|' /C calc'!A0 {index}", summary=f"{trigger}1+1", location=f"{trigger}Almaty",
                    summary_ru=f"{trigger}сумма", variants=[f"{trigger}variant"])
        for index, trigger in enumerate(FORMULA_TRIGGERS)
    ]  # fmt: skip
    odd = make_person(
        'Quoted "name", with comma', slug="-a-slug-like-a-formula", location="Line\nbreak\r\nand\rreturns",
        summary="Tabs\tand \\ backslashes, \x01 control, 🙂 emoji, Ünïcødé, ' apostrophe", summary_ru="«Кавычки»",
    )  # fmt: skip
    unknown_group = make_person("Zhanaozen strikers", identity=Identity.GROUP)
    sized_group = make_person("Oil workers", identity=Identity.GROUP, group_size=12, group_size_is_minimum=True)
    make_person("No events at all")
    make_person("Unpublished", is_published=False)
    case = make_case("Land protest case", people=[withheld, bokaev, unknown_group, odd, *formulas])
    make_case("Appeal case", people=[bokaev, sized_group])
    make_case("Hidden case", people=[bokaev], is_published=False)
    for index, day in enumerate(DATES):
        person = make_person(f"Dated {index}", variants=[f"Датированный {index}"])
        dated = make_case(f"Case dated {index}", people=[person])
        make_event(dated, day, type=EventType.DETAINED, custody=CustodyState.DETAINED)
        if index % 2:
            make_event(dated, DATES[(index + 3) % len(DATES)], type=EventType.CONVICTED,
                       custody=CustodyState.IMPRISONED, sentence_months=12 * index, sentence_days=index)  # fmt: skip
        else:
            make_event(dated, "2025-03", type=EventType.STATUS_REPORTED, custody=CustodyState.DETAINED)
    make_event(case, "2016-05-17", type=EventType.DETAINED, custody=CustodyState.DETAINED, person=bokaev)
    make_event(case, "2016-11", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=60,
               person=bokaev)  # fmt: skip
    make_event(case, "2017", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED, sentence_months=36,
               person=withheld)  # fmt: skip
    make_event(case, "2019-40", type=EventType.RELEASED, custody=CustodyState.AT_LIBERTY, person=unknown_group)
    make_event(case, "early 2015", type=EventType.DETAINED, custody=CustodyState.DETAINED, person=odd,
               sentence_days=15)  # fmt: skip
    # A custody whose latest report is not on record: its first report stands for it.
    CustodySpan.objects.filter(person=odd).update(last_report=None)
    # A custody whose beginning is estimated from a part of the sentence served.
    estimated = make_person("Aset Test")
    estimate_case = make_case("Imprisonment of Aset Test", people=[estimated])
    make_event(estimate_case, "2017", type=EventType.CONVICTED, stage=CaseStage.CONVICTED)
    make_event(estimate_case, "2018-03", type=EventType.PAROLE_DENIED, custody=CustodyState.IMPRISONED,
               sentence_months=72, sentence_served=SentenceServed.ONE_THIRD)  # fmt: skip


def texts(params: dict, fmt: str, written_by_sql: bool) -> str:
    dataset = DATASETS["people"]
    filterset = dataset.filterset_class(params, queryset=dataset.queryset())
    assert filterset.is_valid(), filterset.errors
    absolute = "https://example.org".__add__
    write = dataset.texts if written_by_sql else dataset.python_texts
    return "|".join(write(filterset, absolute, fmt))


@pytest.mark.parametrize("params", PARAMS, ids=lambda params: "&".join(params) or "all")
def test_the_csv_written_by_the_database_is_the_python_csv_byte_for_byte(world, params):
    written = texts(params, "csv", written_by_sql=True)
    assert written == texts(params, "csv", written_by_sql=False)
    if not params:
        rows = list(csv.reader(io.StringIO(written)))
        assert len(rows) == 7 + len(FORMULA_TRIGGERS) + len(DATES)
        assert all(cell[:1] not in FORMULA_TRIGGERS for row in rows for cell in row)


@pytest.mark.parametrize("params", PARAMS, ids=lambda params: "&".join(params) or "all")
def test_the_json_written_by_the_database_is_the_python_json_byte_for_byte(world, params):
    written = texts(params, "json", written_by_sql=True)
    assert written == texts(params, "json", written_by_sql=False)
    if not params:
        records = [json.loads(line.rstrip(",")) for line in written.split("\n")]
        since = {record["custody_since"] for record in records}
        assert since >= {"2016-05-17", "2015-01/2015-04", "2018-41", "2018-03/2018-11", "0999-05-17"}, since
        assert "Секрет" not in written and "Secret Name" not in written


def test_a_chunk_boundary_keeps_the_list_order_and_the_separators(world, monkeypatch):
    monkeypatch.setattr("cases.exports.FIRST_PEOPLE_CHUNK_SIZE", 3)
    monkeypatch.setattr("cases.exports.PEOPLE_CHUNK_SIZE", 4)
    for fmt in ("csv", "json"):
        assert texts({"sort": "-name"}, fmt, written_by_sql=True) == texts({"sort": "-name"}, fmt, written_by_sql=False)


def test_the_downloads_are_the_files_python_writes(client, world, monkeypatch):
    monkeypatch.setattr("cases.exports.FIRST_PEOPLE_CHUNK_SIZE", 2)
    monkeypatch.setattr("cases.exports.PEOPLE_CHUNK_SIZE", 5)
    downloads = {}
    for written_by_sql in (True, False):
        if not written_by_sql:
            monkeypatch.setitem(DATASETS, "people", replace(DATASETS["people"], sql_texts=None))
        for fmt in ("csv", "json"):
            response = client.get(reverse("cases:person-export", kwargs={"fmt": fmt}), {"sort": "latest"})
            downloads[written_by_sql, fmt] = b"".join(response.streaming_content)
    assert downloads[True, "csv"] == downloads[False, "csv"]
    assert downloads[True, "json"] == downloads[False, "json"]
    assert len(json.loads(downloads[True, "json"])["results"]) == 7 + len(FORMULA_TRIGGERS) + len(DATES)


def test_every_column_and_every_precision_has_its_sql():
    from cases.dates import PRECISIONS
    from cases.export_sql import EDTF_PATTERNS, PERSON_KINDS
    from cases.exports import COLUMNS

    assert list(PERSON_KINDS) == COLUMNS["people"]
    assert set(EDTF_PATTERNS) == {precision for precision, row in PRECISIONS.items() if row.edtf is not None}


def test_the_cells_written_as_they_are_hold_nothing_to_quote_escape_or_neutralise():
    """`PERSON_KINDS` writes a "word" without CSV quoting or JSON escaping: the database holds these
    columns to these values (the people's and the spans' check constraints)."""
    from django_countries import countries

    from cases.choices import Role
    from cases.export_sql import PERSON_KINDS

    assert {name for name, kind in PERSON_KINDS.items() if kind == "word"} == {
        "identity", "role", "country", "custody", "custody_since", "custody_began", "custody_on_record_since",
        "custody_began_by", "custody_last_reported", "expected_end",
    }  # fmt: skip
    words = [*Identity.values, *Role.values, *CustodyState.values, *(code for code, _ in countries)]
    assert all(re.fullmatch(r"[A-Za-z_]+", word) for word in words)


def test_the_formula_codes_are_the_formula_triggers():
    from cases.export_sql import FORMULA_CODES

    assert tuple(sorted(ord(trigger) for trigger in FORMULA_TRIGGERS)) == FORMULA_CODES
