"""Checks on fixtures/kazakhstan-2018.yaml that need no database.

The report data is what researchers will rely on, so these tests hold it to the source:
every quote is a whole sentence of the HRW chapter, copied exactly; every reference
resolves; every code is one the application knows; dates are written in a form the
loader reads; and the people the chapter names are all there.
"""

import ast
import calendar
import os
import re
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
DATA_FILE = PROJECT / "fixtures" / "kazakhstan-2018.yaml"
REPORT_TEXT = PROJECT.parent / "shared" / "seeds" / "000_3342bf776ec875b6.txt"
CHAPTER_START = "There was no meaningful improvement"
CHAPTER_END = "restrictive space for civil society."

# The chapter's section headings, which the scraped page glues to the sentence after them.
SECTION_HEADINGS = {
    "civil-society": "Civil Society",
    "freedom-of-media": "Freedom of Media",
    "arrest-and-harassment-of-opposition-members": "Arrest and Harassment of Opposition Members",
    "torture": "Torture",
    "freedom-of-assembly": "Freedom of Assembly",
    "freedom-of-religion": "Freedom of Religion",
    "labor-rights": "Labor Rights",
    "sexual-orientation-and-gender-identity": "Sexual Orientation and Gender Identity",
    "children-with-disabilities": "Children with Disabilities",
    "asylum-seekers-and-refugees": "Asylum Seekers and Refugees",
    "key-international-actors": "Key International Actors",
}

CHOICE_CLASSES = (
    "Identity",
    "Role",
    "OrganizationKind",
    "CaseKind",
    "EventType",
    "CustodyState",
    "CaseStage",
    "VariantKind",
)

NAMED_PEOPLE = [
    "Maks Bokaev",
    "Talgat Ayan",
    "Vadim Kuramshin",
    "Ardak Ashim",
    "Aleksandr Kharlamov",
    "Elena Semenova",
    "Natalya Ulasik",
    "Baurzhan Azanov",
    "Aset Mataev",
    "Murat Tungishbaev",
    "Iskander Yerimbetov",
    "Teimur Akhmedov",
    "Nurbek Kushakbaev",
    "Amin Eleusinov",
    "Larisa Kharkova",
    "Erlan Baltabay",
    "Zhanar Sekerbaeva",
    "Sayragul Sauytbai",
]

# Named in the chapter only in passing, about someone else: a mention, not a person followed.
MENTIONED_ONLY = {"Mukhtar Ablyazov": "iskander-yerimbetov"}


# --- Loading ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    with open(DATA_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def chapter():
    if not REPORT_TEXT.exists():
        # A newcomer's checkout may lack shared/; CI has it, and there a missing chapter is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"report text not found at {REPORT_TEXT}")
        pytest.skip(f"report text not found at {REPORT_TEXT}")
    text = REPORT_TEXT.read_text(encoding="utf-8")
    start = text.index(CHAPTER_START)
    end = text.index(CHAPTER_END, start) + len(CHAPTER_END)
    return text[start:end]


def _choices_by_import():
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    from cases import choices

    return {name: {str(value) for value in getattr(choices, name).values} for name in CHOICE_CLASSES}


def _choices_by_reading():
    """The TextChoices values, read from the source without importing Django."""
    tree = ast.parse((PROJECT / "cases" / "choices.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        values = set()
        for statement in node.body:
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                first = statement.value.elts[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    values.add(first.value)
        found[node.name] = values
    return found


@pytest.fixture(scope="module")
def codes():
    try:
        return _choices_by_import()
    except ImportError:
        return _choices_by_reading()


def all_events(data):
    """(case or None, event) for every event in the file."""
    for case in data.get("cases") or []:
        for event in case.get("events") or []:
            yield case, event
    for event in data.get("context_events") or []:
        yield None, event


def where(case, event):
    return f"{case['slug'] if case else 'context_events'} / {event.get('key')}"


# --- Dates, as the README allows them ----------------------------------------------------

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PHRASE = re.compile(r"^(early|mid|late) (\d{4})$")
_PARTS = {"40": (1, 6), "41": (7, 12), "early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def _month_span(year, first, last):
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def date_span(text: str) -> tuple[date, date]:
    """The (earliest, latest) days a date written in the README's forms allows."""
    if "/" in text:
        first, last = text.split("/", 1)
        start, end = date_span(first)[0], date_span(last)[1]
        if start > end:
            raise ValueError(f"{text!r}: range ends before it starts")
        return start, end
    if match := _DAY.match(text):
        day = date(*map(int, match.groups()))
        return day, day
    if match := _MONTH.match(text):
        year, code = int(match.group(1)), match.group(2)
        if code in ("40", "41"):
            return _month_span(year, *_PARTS[code])
        return _month_span(year, int(code), int(code))
    if match := _YEAR.match(text):
        return _month_span(int(match.group(1)), 1, 12)
    if match := _PHRASE.match(text):
        return _month_span(int(match.group(2)), *_PARTS[match.group(1)])
    raise ValueError(f"{text!r} is not a date in a form fixtures/README.md allows")


# --- 1. Quotes ----------------------------------------------------------------------------


def test_every_event_has_quotes(data):
    for case, event in all_events(data):
        quotes = event.get("quotes")
        assert isinstance(quotes, list) and quotes, f"{where(case, event)}: no quotes"
        for quote in quotes:
            assert isinstance(quote, str) and quote.strip(), f"{where(case, event)}: empty quote"


def test_every_quote_is_verbatim_in_the_chapter(data, chapter):
    missing = [
        f"{where(case, event)}: {quote!r}"
        for case, event in all_events(data)
        for quote in event.get("quotes") or []
        if quote not in chapter
    ]
    assert not missing, "quotes not found verbatim in the chapter:\n" + "\n".join(missing)


def test_every_quote_is_a_whole_sentence(data, chapter):
    headings = tuple(SECTION_HEADINGS.values())
    problems = []
    for case, event in all_events(data):
        for quote in event.get("quotes") or []:
            if quote not in chapter:
                continue  # reported by the verbatim test
            label = f"{where(case, event)}: {quote[:60]!r}"
            if quote != quote.strip(" \u00a0\n\t"):
                problems.append(f"{label} has surrounding whitespace")
            if not quote.endswith((".", ".”")):
                problems.append(f"{label} does not end a sentence")
            index = chapter.index(quote)
            before = chapter[:index].rstrip(" \u00a0")
            if before and not before.endswith((".", ".”") + headings):
                problems.append(f"{label} starts in the middle of a sentence")
            after = chapter[index + len(quote) :]
            if after and not (after[0] in " \u00a0" or after[0].isupper()):
                problems.append(f"{label} stops in the middle of a sentence")
    assert not problems, "\n".join(problems)


def test_report_typos_are_kept(data):
    quotes = "\n".join(q for _, event in all_events(data) for q in event.get("quotes") or [])
    for typo in ("disseminatining", "cockails", "the businessmen tied to"):
        assert typo in quotes, f"the report's own spelling {typo!r} is missing from the quotes"


# --- 2. Keys, references and codes -----------------------------------------------------


def test_event_keys_are_unique(data):
    keys = [event.get("key") for _, event in all_events(data)]
    assert all(isinstance(key, str) and key for key in keys), "an event has no key"
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"duplicate event keys: {duplicates}"


@pytest.mark.parametrize("section", ["themes", "charges", "organizations", "people", "cases"])
def test_slugs_are_unique_and_well_formed(data, section):
    slugs = [item["slug"] for item in data.get(section) or []]
    assert len(slugs) == len(set(slugs)), f"duplicate slugs in {section}"
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), f"{section}: bad slug {slug!r}"


def test_header_fields(data):
    assert data["dataset"] == "hrw-world-report-2019-kazakhstan"
    source = data["source"]
    for field in ("slug", "title", "publisher", "url", "published", "language"):
        assert source.get(field), f"source.{field} is missing"
    date_span(str(source["published"]))


def test_themes_are_the_chapter_sections(data):
    assert {theme["slug"]: theme["name"] for theme in data["themes"]} == SECTION_HEADINGS


def test_every_referenced_slug_is_defined(data):
    themes = {item["slug"] for item in data["themes"]}
    charges = {item["slug"] for item in data["charges"]}
    organizations = {item["slug"] for item in data["organizations"]}
    people = {item["slug"] for item in data["people"]}
    problems = []
    for case in data["cases"]:
        for field, defined in (
            ("themes", themes),
            ("charges", charges),
            ("organizations", organizations),
            ("people", people),
        ):
            for slug in case.get(field) or []:
                if slug not in defined:
                    problems.append(f"case {case['slug']}: unknown {field} slug {slug!r}")
        if not case.get("themes"):
            problems.append(f"case {case['slug']}: no theme")
        if not (case.get("people") or case.get("organizations")):
            problems.append(f"case {case['slug']}: no subject (person or organisation)")
        for event in case.get("events") or []:
            person = event.get("person")
            if person and person not in (case.get("people") or []):
                problems.append(f"{where(case, event)}: person {person!r} is not one of the case's people")
    for event in data.get("context_events") or []:
        if event.get("theme") not in themes:
            problems.append(f"{where(None, event)}: unknown theme {event.get('theme')!r}")
    assert not problems, "\n".join(problems)


def test_every_charge_and_organization_is_used(data):
    used_charges = {slug for case in data["cases"] for slug in case.get("charges") or []}
    used_organizations = {slug for case in data["cases"] for slug in case.get("organizations") or []}
    assert {c["slug"] for c in data["charges"]} <= used_charges, "a charge belongs to no case"
    assert {o["slug"] for o in data["organizations"]} <= used_organizations, "an organisation is in no case"


def test_codes_are_valid(data, codes):
    problems = []

    def check(value, choice, label):
        if value not in codes[choice]:
            problems.append(f"{label}: {value!r} is not a {choice} value")

    def check_variants(item, label):
        for variant in item.get("variants") or []:
            check(variant.get("kind"), "VariantKind", f"{label} variant {variant.get('name')!r}")
            if not variant.get("name") or not variant.get("note"):
                problems.append(f"{label}: a variant lacks a name or a note")

    for person in data["people"]:
        label = f"person {person['slug']}"
        check(person.get("identity"), "Identity", label)
        check(person.get("role"), "Role", label)
        check_variants(person, label)
    for organization in data["organizations"]:
        label = f"organization {organization['slug']}"
        check(organization.get("kind"), "OrganizationKind", label)
        check_variants(organization, label)
    for case in data["cases"]:
        check(case.get("kind"), "CaseKind", f"case {case['slug']}")
    for case, event in all_events(data):
        label = where(case, event)
        check(event.get("type"), "EventType", label)
        if event.get("custody"):
            check(event["custody"], "CustodyState", label)
        if event.get("stage"):
            check(event["stage"], "CaseStage", label)
    assert not problems, "\n".join(problems)


def test_people_fields(data):
    problems = []
    for person in data["people"]:
        label = f"person {person['slug']}"
        size = person.get("group_size")
        if person["identity"] == "group":
            if size is not None and not (isinstance(size, int) and size > 0):
                problems.append(f"{label}: group_size must be a positive whole number or null")
        elif size is not None:
            problems.append(f"{label}: only a group has a group_size")
        for field in ("name", "summary"):
            if not person.get(field):
                problems.append(f"{label}: no {field}")
        if not isinstance(person.get("location"), str):
            problems.append(f"{label}: location must be a string ('' when the report gives none)")
    assert not problems, "\n".join(problems)


def test_event_fields(data):
    problems = []
    for case, event in all_events(data):
        label = where(case, event)
        if not isinstance(event.get("date"), str):
            problems.append(f"{label}: date must be a quoted string, not {event.get('date')!r}")
        else:
            try:
                date_span(event["date"])
            except ValueError as error:
                problems.append(f"{label}: {error}")
        if not event.get("description"):
            problems.append(f"{label}: no description")
        for field in ("sentence_months", "sentence_days"):
            value = event.get(field)
            if value is not None and not (isinstance(value, int) and value > 0):
                problems.append(f"{label}: {field} must be a positive whole number")
        if case is None:
            if event.get("type") != "context":
                problems.append(f"{label}: a context event has type 'context'")
            if event.get("custody") or event.get("stage") or event.get("person"):
                problems.append(f"{label}: a context event changes no status and concerns no person")
    assert not problems, "\n".join(problems)


def test_events_in_a_case_are_in_date_order(data):
    problems = []
    for case in data["cases"]:
        starts = [date_span(event["date"])[0] for event in case.get("events") or []]
        if starts != sorted(starts):
            problems.append(f"case {case['slug']}: events are not in order of their earliest date")
    assert not problems, "\n".join(problems)


def test_dates_lie_within_what_the_report_covers(data):
    # The chapter reaches back to 2011 (Zhanaozen) and was written before January 2019.
    for case, event in all_events(data):
        start, end = date_span(event["date"])
        assert date(2011, 1, 1) <= start and end <= date(2019, 1, 31), f"{where(case, event)}: {event['date']}"


def test_no_custody_where_the_report_gives_no_release(data):
    for case, event in all_events(data):
        if case and case["slug"] in ("detentions-at-10-may-2018-protests", "arrest-of-protester-in-taldikorgan"):
            assert not event.get("custody"), f"{where(case, event)} must not set custody"


# --- 3. The people the chapter names -------------------------------------------------------


def test_every_named_person_is_in_the_file(data):
    names = {person["name"]: person for person in data["people"]}
    missing = [name for name in NAMED_PEOPLE if name not in names]
    assert not missing, f"named people missing: {missing}"
    for name in NAMED_PEOPLE:
        assert names[name]["identity"] == "named", f"{name} should have identity 'named'"


def test_named_people_appear_in_the_chapter_as_spelled(data, chapter):
    for person in data["people"]:
        if person["identity"] == "named":
            assert person["name"] in chapter, f"{person['name']!r} is not spelled as in the report"


def test_heads_of_state_are_not_people(data):
    names = " ".join(person["name"] for person in data["people"])
    for head in ("Nazarbaev", "Trump"):
        assert head not in names


def test_every_person_has_a_case(data):
    in_cases = {slug for case in data["cases"] for slug in case.get("people") or []}
    without = [p["slug"] for p in data["people"] if p["slug"] not in in_cases]
    assert not without, f"people in no case: {without}"


def test_someone_the_chapter_only_mentions_is_no_person_but_a_mention_in_whom_it_concerns(data, chapter):
    people = {person["slug"]: person for person in data["people"]}
    everyone = " ".join(person["name"] for person in data["people"])
    for name, concerns in MENTIONED_ONLY.items():
        assert name in chapter
        assert name.split()[-1] not in everyone, f"{name} is counted among the people followed"
        assert name in people[concerns]["summary"], f"the mention of {name} is lost from {concerns}"


def test_every_named_person_has_the_russian_and_the_kazakh_cyrillic_spellings_of_their_name(data):
    # Where the report romanises a Russian form (Baurzhan, Бауржан) readers also search the Kazakh
    # one (Bauyrzhan, Бауыржан); a note names the language, as the one variant kind is "cyrillic".
    problems = []
    for person in data["people"]:
        if person["identity"] != "named":
            continue
        notes = [v["note"] for v in person.get("variants") or [] if v["kind"] == "cyrillic"]
        for language in ("Russian", "Kazakh"):
            if not any(language in note for note in notes):
                problems.append(f"{person['name']}: no Cyrillic spelling noted as {language}")
    assert not problems, "\n".join(problems)
