"""A demo world anyone can build: synthetic people, cases, events and sources, clearly marked.

`manage.py generate_demo_data --people N` fills the database for trying the tracker out and for
the benchmarks; `--delete` removes exactly what it made. Every demo record has a slug starting
`demo-` and (where the model has them) internal notes or a description saying it is demo data;
the parameters of the world are kept as an ImportedItem of the dataset `demo`. Records are made
with bulk inserts (COPY on PostgreSQL, into big tables whose secondary indexes and foreign keys
are built after the rows), and the derived data (custody spans, each person's custody now, each
case's latest event, search text) is computed in memory by the same code that keeps it in step
(cases.custody, cases.search), so it equals a rebuild.
"""

import io
import random
from bisect import bisect
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, islice
from operator import attrgetter

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import dates
from .choices import (
    CaseKind,
    CaseStage,
    CustodyState,
    DatePrecision,
    EventType,
    Identity,
    NameLanguage,
    OrganizationKind,
    Role,
    VariantKind,
)
from .custody import Report, _spans_from, copied_custody, rebuild_custody_tally
from .dates import FuzzyDate
from .models import (
    Case,
    CategoryTally,
    Charge,
    ChargePeople,
    Citation,
    CustodyDayTally,
    CustodyMonthTally,
    CustodySpan,
    CustodyTally,
    Event,
    ImportedItem,
    NameVariant,
    Organization,
    Person,
    PersonCategory,
    PersonEventPeriod,
    SharedCaseLink,
    Source,
    Theme,
)
from .models.base import slug_from
from .models.people import COPIED_CUSTODY
from .search import build_search_text, fold_by_words

DATASET = "demo"
SLUG_PREFIX = "demo-"
NOTE = "Demo record made by manage.py generate_demo_data: not a real person, case or source."
BATCH = 5000
YEARS = 30

# (Latin, Cyrillic) parts: names and their Cyrillic spellings are built in step.
GIVEN = [
    ("Maks", "Макс"), ("Talgat", "Талгат"), ("Yelena", "Елена"), ("Aset", "Асет"), ("Nurbek", "Нурбек"),
    ("Zhanar", "Жанар"), ("Iskander", "Искандер"), ("Vadim", "Вадим"), ("Ardak", "Ардак"), ("Larisa", "Лариса"),
    ("Yerlan", "Ерлан"), ("Aigul", "Айгуль"), ("Murat", "Мурат"), ("Natalya", "Наталья"), ("Teimur", "Теймур"),
    ("Dina", "Дина"), ("Serik", "Серик"), ("Olga", "Ольга"), ("Bakhyt", "Бахыт"), ("Svetlana", "Светлана"),
    ("Ruslan", "Руслан"), ("Gulnara", "Гульнара"), ("Dmitriy", "Дмитрий"), ("Aizhan", "Айжан"),
]  # fmt: skip
ROOTS = [
    ("Bok", "Бок"), ("Sem", "Сем"), ("Kush", "Куш"), ("Tung", "Тунг"), ("Ab", "Аб"), ("Yerim", "Ерим"),
    ("Sek", "Сек"), ("Kur", "Кур"), ("Mat", "Мат"), ("Az", "Аз"), ("Balt", "Балт"), ("Khar", "Хар"),
    ("Ul", "Ул"), ("Zhan", "Жан"), ("Tok", "Ток"), ("Ser", "Сер"), ("Dos", "Дос"), ("Nur", "Нур"),
    ("Kas", "Кас"), ("Ibr", "Ибр"), ("Shal", "Шал"), ("Mukh", "Мух"),
]  # fmt: skip
MIDDLES = [("a", "а"), ("er", "ер"), ("ish", "иш"), ("ak", "ак"), ("im", "им"), ("an", "ан"), ("", "")]
# Each ending with the other way journalists spell it.
ENDINGS = [
    ("ayev", "аев", "aev"), ("ov", "ов", "off"), ("enova", "енова", "yonova"), ("bayeva", "баева", "baeva"),
    ("etov", "етов", "etoff"), ("in", "ин", "yn"), ("yeva", "ева", "eva"),
]  # fmt: skip
COUNTRIES = {
    "KZ": ["Almaty", "Astana", "Shymkent", "Aktobe", "Atyrau", "Oral", "Zhanaozen", "Taldykorgan"],
    "RU": ["Moscow", "Saint Petersburg", "Kazan", "Ufa", "Novosibirsk", "Krasnodar"],
    "BY": ["Minsk", "Brest", "Grodno", "Gomel", "Vitebsk"],
    "UZ": ["Tashkent", "Samarkand", "Bukhara", "Nukus", "Andijan"],
    "KG": ["Bishkek", "Osh", "Karakol", "Jalal-Abad"],
    "TJ": ["Dushanbe", "Khujand", "Khorog"],
    "AZ": ["Baku", "Ganja", "Sumgait"],
    "TM": ["Ashgabat", "Turkmenabat", "Dashoguz"],
    "GE": ["Tbilisi", "Batumi", "Kutaisi"],
    "AM": ["Yerevan", "Gyumri"],
}
OFFENCES = [
    ("Inciting social discord", "174"), ("Spreading false information", "274"), ("Extremism", "182"),
    ("Organising an unsanctioned rally", "488"), ("Participating in a banned organisation", "405"),
    ("Insulting a public official", "378"), ("Fraud", "190"), ("Tax evasion", "245"), ("Treason", "175"),
    ("Hooliganism", "293"), ("Calling for separatism", "180"), ("Terrorism propaganda", "256"),
]  # fmt: skip
THEMES = ["Freedom of expression", "Freedom of assembly", "Freedom of religion", "Labour rights", "Torture"]
PUBLISHERS = ["Demo Rights Monitor", "Demo Bureau for Human Rights", "Demo Defenders Network", "Demo Press Agency"]
# How often a date is given to each precision; a range gets its end separately.
PRECISION_WEIGHTS = {
    DatePrecision.DAY: 50,
    DatePrecision.MONTH: 20,
    DatePrecision.EARLY: 4,
    DatePrecision.MID: 4,
    DatePrecision.LATE: 4,
    DatePrecision.FIRST_HALF: 4,
    DatePrecision.SECOND_HALF: 4,
    DatePrecision.YEAR: 5,
    DatePrecision.RANGE: 5,
}
# Events a story is padded with between its steps; (type, custody) where custody only reports.
FILLERS = [
    (EventType.STATEMENT, ""),
    (EventType.ALLEGATION, ""),
    (EventType.STATUS_REPORTED, "held"),
    (EventType.TRANSFERRED, "held"),
    (EventType.PAROLE_DENIED, "held"),
    (EventType.OTHER, ""),
]


def demo_filter() -> Q:
    """Records this command made: a demo slug and its note (internal notes, or a charge's or theme's
    description), so a real record whose slug happens to start `demo-` is never taken for one."""
    return Q(slug__startswith=SLUG_PREFIX, internal_notes=NOTE)


def demo_vocabulary_filter() -> Q:
    return Q(slug__startswith=SLUG_PREFIX, description=NOTE)


@dataclass
class World:
    """What one run makes, in memory until written."""

    rng: random.Random
    today: date
    countries: list[str]
    people: list[Person] = field(default_factory=list)
    # Each person's country code: a model's country field makes a Country object at each read.
    person_countries: list[str] = field(default_factory=list)
    variants: list[NameVariant] = field(default_factory=list)
    russian_names: dict[int, str] = field(default_factory=dict)  # by index into people
    organizations: list[Organization] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    case_people: list[list[int]] = field(default_factory=list)  # indexes into people
    case_organizations: list[list[int]] = field(default_factory=list)
    case_charges: list[list[int]] = field(default_factory=list)
    case_themes: list[list[int]] = field(default_factory=list)
    events: list["PlannedEvent"] = field(default_factory=list)
    citations: list[tuple[int, int, str]] = field(default_factory=list)  # (event index, source index, quote)
    folded_words: dict[str, str] = field(default_factory=dict)

    def search_text(self, names: Iterable[str]) -> str:
        """`build_search_text(names)`, each word folded once: the same few thousand words recur
        across a hundred thousand people and their cases, and a million events."""
        return build_search_text(names, fold=lambda text: fold_by_words(text, self.folded_words))


def parameters_key(people: int, seed: int, countries: int) -> str:
    return f"people={people} seed={seed} countries={countries}"


def existing_parameters() -> str | None:
    """The parameters of the demo world in the database, if there is one."""
    return ImportedItem.objects.filter(dataset=DATASET).values_list("key", flat=True).first()


def generate(people: int, seed: int = 1, countries: int = 5, log=lambda message: None) -> dict[str, int]:
    """Make a demo world of `people` people; returns how many records of each kind it wrote."""
    rng = random.Random(seed)
    world = World(rng=rng, today=dates.today(), countries=list(COUNTRIES)[: max(1, min(countries, len(COUNTRIES)))])
    _make_people(world, people)
    _make_organizations(world, max(1, people // 100))
    charges, themes, sources = _vocabularies(world, max(20, people // 50))
    _make_cases(world, len(charges), len(themes))
    _make_events(world, sources)
    log(f"planned {len(world.people):,} people, {len(world.cases):,} cases, {len(world.events):,} events")
    with transaction.atomic():
        counts = _write(world, charges, themes, sources, log)
        ImportedItem.objects.create(dataset=DATASET, key=parameters_key(people, seed, countries))
    return counts


# Planning ---------------------------------------------------------------------------------------


def _name(rng: random.Random) -> tuple[str, str, str]:
    """A Latin name, its Cyrillic spelling and another Latin spelling."""
    given, root, middle = rng.choice(GIVEN), rng.choice(ROOTS), rng.choice(MIDDLES)
    ending = rng.choice(ENDINGS)
    surname = f"{root[0]}{middle[0]}"
    return (
        f"{given[0]} {surname}{ending[0]}",
        f"{given[1]} {root[1]}{middle[1]}{ending[1]}",
        f"{given[0]} {surname}{ending[2]}",
    )


def _make_people(world: World, count: int) -> None:
    rng = world.rng
    roles = [role for role in Role.values if role != Role.OTHER] + [Role.OTHER]
    for index in range(count):
        country = rng.choice(world.countries)
        location = rng.choice(COUNTRIES[country])
        role = rng.choice(roles)
        draw = rng.random()
        latin, cyrillic, other = _name(rng)
        fields = {
            "country": country,
            "location": location,
            "role": role,
            "is_published": rng.random() >= 0.05,
            "internal_notes": NOTE,
            "birth_year": rng.randint(1940, 2000) if rng.random() < 0.6 else None,
        }
        role_label = str(Role(role).label).lower()
        variants: list[tuple[str, str, str]] = []
        if draw < 0.03:
            size = rng.choice([None, rng.randint(3, 300)])
            fields.update(
                identity=Identity.GROUP, group_size=size, group_size_is_minimum=size is not None and rng.random() < 0.3
            )
            name = f"{size} protesters in {location}" if size else f"Protesters in {location}"
            slug = f"{SLUG_PREFIX}{slug_from(name)}-{index}"
            summary = "A group the demo source counts together."
        elif draw < 0.06:
            fields["identity"] = Identity.UNNAMED
            name = f"Unnamed {role_label} in {location}"
            slug = f"{SLUG_PREFIX}{slug_from(name)}-{index}"
            summary = "Someone the demo source does not name."
        else:
            name = latin
            variants = [(cyrillic, VariantKind.CYRILLIC, NameLanguage.RUSSIAN)]
            world.russian_names[index] = cyrillic
            if rng.random() < 0.5:
                variants.append((other, VariantKind.TRANSLITERATION, ""))
            if draw < 0.08:
                fields.update(name_withheld=True, public_alias=f"Name withheld — a {role_label} from {location}")
                slug = f"{SLUG_PREFIX}withheld-{index}"
            else:
                slug = f"{SLUG_PREFIX}{slug_from(name)}-{index}"
            summary = f"A {role_label} from {location} (demo data)."
        person = Person(name=name, slug=slug, summary=summary, **fields)
        person.search_text = world.search_text(
            (person.public_alias,) if person.name_withheld else (name, *(v[0] for v in variants))
        )
        world.people.append(person)
        world.person_countries.append(country)
        world.variants.extend(
            NameVariant(person=person, name=text, kind=kind, language=language) for text, kind, language in variants
        )


def _make_organizations(world: World, count: int) -> None:
    kinds = OrganizationKind.values
    for index in range(count):
        root, middle = world.rng.choice(ROOTS), world.rng.choice(MIDDLES)
        name = f"{root[0]}{middle[0]} Demo Association"
        organization = Organization(
            name=name,
            slug=f"{SLUG_PREFIX}{slug_from(name)}-{index}",
            kind=world.rng.choice(kinds),
            location=world.rng.choice(COUNTRIES[world.rng.choice(world.countries)]),
            summary="An organisation of the demo world.",
            is_published=world.rng.random() >= 0.05,
            internal_notes=NOTE,
        )
        organization.search_text = world.search_text((name,))
        world.organizations.append(organization)


def _vocabularies(world: World, source_count: int) -> tuple[list[Charge], list[Theme], list[Source]]:
    charges = [
        Charge(
            name=f"{offence} ({country}, demo)",
            slug=f"{SLUG_PREFIX}{slug_from(offence)}-{country.lower()}",
            article=f"Article {article}",
            description=NOTE,
        )
        for country in world.countries
        for offence, article in OFFENCES
    ]
    themes = [Theme(name=f"{name} (demo)", slug=f"{SLUG_PREFIX}{slug_from(name)}", description=NOTE) for name in THEMES]
    sources = []
    for index in range(source_count):
        publisher = world.rng.choice(PUBLISHERS)
        day = world.today - timedelta(days=world.rng.randrange(0, 365 * YEARS))
        sources.append(
            Source(
                title=f"Demo report no. {index + 1}",
                slug=f"{SLUG_PREFIX}report-{index + 1}",
                publisher=publisher,
                url=f"https://example.org/demo/report-{index + 1}",
                published=day.isoformat(),
                language=world.rng.choice(["en", "ru"]),
                # A few unpublished sources: events cite them besides a published one.
                is_published=index % 25 != 24,
                internal_notes=NOTE,
            )
        )
    return charges, themes, sources


def _make_cases(world: World, charge_count: int, theme_count: int) -> None:
    rng = world.rng
    per_country: dict[str, list[int]] = {}
    for index, country in enumerate(world.person_countries):
        per_country.setdefault(country, []).append(index)
    charges_per_country = charge_count // len(world.countries)
    kinds = CaseKind.values
    for index, (person, country) in enumerate(zip(world.people, world.person_countries, strict=True)):
        for _ in range(1 if rng.random() < 0.5 else 2):
            subjects = [index]
            if rng.random() < 0.1:
                other = rng.choice(per_country[country])
                if other != index:
                    subjects.append(other)
            number = len(world.cases) + 1
            first = world.people[subjects[0]]
            named = not first.name_withheld and first.identity == Identity.NAMED
            title = f"Prosecution of {first.name}" if named else f"Case no. {number} in {first.location}"
            variant = world.russian_names.get(subjects[0], "") if named else ""
            case = Case(
                title=title,
                title_ru=f"Дело: {variant}" if variant and rng.random() < 0.5 else "",
                slug=f"{SLUG_PREFIX}case-{number}",
                kind=rng.choice(kinds),
                country=country,
                location=person.location,
                summary="A case of the demo world.",
                is_published=rng.random() >= 0.03,
                internal_notes=NOTE,
            )
            case.search_text = world.search_text(case.search_names())
            country_index = world.countries.index(country)
            base = country_index * charges_per_country
            world.cases.append(case)
            world.case_people.append(subjects)
            world.case_charges.append(
                sorted({base + rng.randrange(charges_per_country) for _ in range(rng.randint(1, 3))})
            )
            world.case_themes.append([rng.randrange(theme_count)])
            world.case_organizations.append([rng.randrange(len(world.organizations))] if rng.random() < 0.05 else [])


PRECISIONS = list(PRECISION_WEIGHTS)
CUMULATIVE_WEIGHTS = list(accumulate(PRECISION_WEIGHTS.values()))
TOTAL_WEIGHT = float(CUMULATIVE_WEIGHTS[-1])
HELD = frozenset({CustodyState.DETAINED, CustodyState.IMPRISONED, CustodyState.HOUSE_ARREST})


def _date(rng: random.Random, day: date, today: date) -> FuzzyDate:
    # What rng.choices(PRECISIONS, cum_weights=CUMULATIVE_WEIGHTS)[0] draws, from the same random
    # number, without building its list a million times.
    precision = PRECISIONS[bisect(CUMULATIVE_WEIGHTS, rng.random() * TOTAL_WEIGHT, 0, len(PRECISIONS) - 1)]
    end = day + timedelta(days=rng.randint(20, 200)) if precision == DatePrecision.RANGE else None
    fuzzy = FuzzyDate.from_precision(precision, day, end)
    # Nothing may be reported as over after today.
    return fuzzy if fuzzy.end <= today else FuzzyDate(day, day, DatePrecision.DAY)


def _story(rng: random.Random) -> list[tuple[str, str, str, int | None]]:
    """A case's steps: (event type, custody afterwards or "held", stage afterwards, sentence months)."""
    steps: list[tuple[str, str, str, int | None]] = [
        (EventType.INVESTIGATION_OPENED, "", CaseStage.INVESTIGATION, None)
    ]
    custody = rng.random()
    if custody < 0.6:
        steps.append((EventType.DETAINED, CustodyState.DETAINED, "", None))
    elif custody < 0.7:
        steps.append((EventType.HOUSE_ARREST, CustodyState.HOUSE_ARREST, "", None))
    steps.append((EventType.CHARGED, "", CaseStage.CHARGED, None))
    steps.append((EventType.TRIAL, "", CaseStage.ON_TRIAL, None))
    verdict = rng.random()
    if verdict < 0.65:
        steps.append(
            (EventType.CONVICTED, CustodyState.IMPRISONED, CaseStage.CONVICTED, rng.choice([12, 24, 36, 60, 84, 120]))
        )
    elif verdict < 0.75:
        steps.append(
            (EventType.CONVICTED, CustodyState.CONDITIONAL_RELEASE, CaseStage.CONVICTED, rng.choice([12, 24, 36]))
        )
    elif verdict < 0.85:
        steps.append((EventType.ACQUITTED, CustodyState.AT_LIBERTY, CaseStage.ACQUITTED, None))
    elif verdict < 0.88:
        steps.append((EventType.PSYCHIATRIC_DETENTION, CustodyState.PSYCHIATRIC_DETENTION, "", None))
    wanted = rng.randint(5, 15)
    ending = []
    if steps[-1][1] == CustodyState.IMPRISONED and rng.random() < 0.5:
        ending = [rng.choice([(EventType.RELEASED, CustodyState.AT_LIBERTY, "", None),
                              (EventType.RELEASED_ON_PAROLE, CustodyState.CONDITIONAL_RELEASE, "", None),
                              (EventType.PARDONED, CustodyState.AT_LIBERTY, CaseStage.PARDONED, None)])]  # fmt: skip
    while len(steps) + len(ending) < wanted:
        kind, custody_code = rng.choice(FILLERS)
        steps.append((kind, custody_code, "", None))
    return steps + ending


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    case: int  # index into World.cases
    person: int | None  # index into World.people, or None for the whole case
    type: str
    date: FuzzyDate
    custody: str
    stage: str
    sentence_months: int | None
    is_published: bool


def _make_events(world: World, sources: list[Source]) -> None:
    rng, today = world.rng, world.today
    labels = {kind: str(EventType(kind).label) for kind in EventType.values}
    published_sources = [index for index, source in enumerate(sources) if source.is_published]
    first_day = today - timedelta(days=365 * YEARS)
    for case_index, subjects in enumerate(world.case_people):
        steps = _story(rng)
        day = first_day + timedelta(days=rng.randrange(0, 365 * YEARS - 60))
        room = (today - day).days
        gaps = sorted(rng.random() for _ in steps)
        state = ""
        for (kind, custody, stage, sentence), gap in zip(steps, gaps, strict=True):
            when = _date(rng, day + timedelta(days=int(gap * room * rng.uniform(0.3, 1.0))), today)
            if custody == "held":
                # A report repeats the state held, if any, rather than changing it.
                custody = state if state in HELD else ""
            if kind in {EventType.TRANSFERRED, EventType.PAROLE_DENIED} and not custody:
                kind = EventType.STATEMENT
            state = custody or state
            person = subjects[-1] if len(subjects) > 1 and rng.random() < 0.3 else None
            number = len(world.events)
            world.events.append(
                PlannedEvent(case_index, person, kind, when, custody, stage, sentence, rng.random() >= 0.02)
            )
            label = labels[kind].lower()
            world.citations.append((number, rng.choice(published_sources), f"Demo report text: {label}."))
            if rng.random() < 0.1:
                world.citations.append((number, rng.randrange(len(sources)), "A second demo report says the same."))


# Writing ----------------------------------------------------------------------------------------


def _write(world: World, charges, themes, sources, log) -> dict[str, int]:
    # Roughly how many rows each big table gets; custody spans are derived later, about three a person.
    bulk = {
        Person: len(world.people),
        NameVariant: len(world.variants),
        Case: len(world.cases),
        Case.people.through: len(world.cases),
        Case.charges.through: len(world.cases),
        Case.themes.through: len(world.cases),
        Event: len(world.events),
        Citation: len(world.citations),
        CustodySpan: len(world.people),
        PersonEventPeriod: len(world.events),
    }
    with _indexes_built_after(bulk, log):
        counts = _write_rows(world, charges, themes, sources, log)
        PersonEventPeriod.objects.rewrite()
        log("periods of people's events derived")
    Source.objects.filter(demo_filter()).refresh_support()
    log("sources' support counted")
    Organization.objects.filter(demo_filter()).refresh_latest_event()
    log("organisations' latest events stored")
    rebuild_custody_tally()
    log("headcount and statistics tallies counted")
    if connection.vendor == "postgresql":
        tables = {model._meta.db_table for model in bulk} | {
            model._meta.db_table
            for model in (
                Organization,
                Source,
                CustodyTally,
                CustodyDayTally,
                CustodyMonthTally,
                CategoryTally,
                ChargePeople,
                PersonCategory,
                SharedCaseLink,
            )
        }
        with connection.cursor() as cursor:
            # Planner statistics for the new rows, as a live database would have them.
            cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, sorted(tables))))
        log("planner statistics gathered")
    return counts


def _write_rows(world: World, charges, themes, sources, log) -> dict[str, int]:
    # Keys first, so that what people and cases store of their events is derived before they are written.
    person_ids = _new_ids(Person, len(world.people))
    case_ids = _new_ids(Case, len(world.cases))
    event_ids = _new_ids(Event, len(world.events))
    custody_spans = _custody_spans(world, person_ids, event_ids)
    _set_latest_events(world, event_ids)
    for objects, ids in ((world.people, person_ids), (world.cases, case_ids)):
        for instance, pk in zip(objects, ids, strict=True):
            instance.pk = pk
    log("custody spans, custody now and latest events derived")
    people = _insert_objects(Person, world.people)
    _insert_objects(NameVariant, world.variants)
    organizations = Organization.objects.bulk_create(world.organizations, batch_size=BATCH)
    charges = Charge.objects.bulk_create(charges)
    themes = Theme.objects.bulk_create(themes)
    sources = Source.objects.bulk_create(sources)
    log("people, organisations, charges, themes and sources written")
    cases = _insert_objects(Case, world.cases)
    links = (
        (Case.people.through, "person_id", world.case_people, people),
        (Case.organizations.through, "organization_id", world.case_organizations, organizations),
        (Case.charges.through, "charge_id", world.case_charges, charges),
        (Case.themes.through, "theme_id", world.case_themes, themes),
    )
    for through, column, linked, targets in links:
        _insert(
            through,
            ["case_id", column],
            ((case.pk, targets[index].pk) for case, indexes in zip(cases, linked, strict=True) for index in indexes),
        )
    log("cases written")
    now = timezone.now()
    labels = {kind: str(EventType(kind).label) for kind in EventType.values}
    names = [person.public_name for person in people]

    def description_and_search_text(event) -> tuple[str, str]:
        subject = names[event.person if event.person is not None else world.case_people[event.case][0]]
        description = f"{labels[event.type]}: a development in the demo case of {subject}."
        return description, world.search_text((description,))

    _insert(
        Event,
        ["id", "case_id", "person_id", "type", "date_start", "date_end", "date_precision", "custody", "stage",
         "sentence_months", "sentence_served", "description", "search_text", "is_published", "internal_notes",
         "created_at", "updated_at", "version"],
        (
            (
                pk, cases[event.case].pk, people[event.person].pk if event.person is not None else None, event.type,
                event.date.start, event.date.end, event.date.precision, event.custody, event.stage,
                event.sentence_months, "", *description_and_search_text(event),
                event.is_published, NOTE, now, now, 1,
            )
            for pk, event in zip(event_ids, world.events, strict=True)
        ),
    )  # fmt: skip
    log(f"{len(event_ids):,} events written")
    _insert(
        Citation,
        ["event_id", "source_id", "quote", "location"],
        ((event_ids[event], sources[source].pk, quote, "") for event, source, quote in world.citations),
    )
    log(f"{len(world.citations):,} citations written")
    spans = _insert(
        CustodySpan,
        ["person_id", "state", "valid_from", "valid_until", "event_id", "since_end", "began", "sentence_event_id",
         "expected_end_start", "expected_end_end", "expected_end_precision", "last_report_id", "began_by_start",
         "began_by_end", "began_by_precision", "began_by_event_id"],
        (
            (span.person_id, span.state, span.valid_from, span.valid_until, span.event_id, span.since_end, span.began,
             span.sentence_event_id, span.expected_end_start, span.expected_end_end, span.expected_end_precision,
             span.last_report_id, span.began_by_start, span.began_by_end, span.began_by_precision,
             span.began_by_event_id)
            for span in custody_spans
        ),
    )  # fmt: skip
    log(f"{spans:,} custody spans written")
    counts = {
        "people": len(people),
        "organizations": len(organizations),
        "cases": len(cases),
        "events": len(event_ids),
        "citations": len(world.citations),
        "custody spans": spans,
        "sources": len(sources),
    }
    return counts


@contextmanager
def _indexes_built_after(rows: dict, log) -> Iterator[None]:
    """On PostgreSQL, write the tables of `rows` (model: about how many rows it gets) without their
    secondary indexes and foreign keys, and build these anew from their stored definitions afterwards,
    in the same transaction: building an index once over a million rows is far cheaper than adding
    each row to it (trigram GIN indexes most of all), and one join checks a foreign key instead of a
    trigger a row. Only for a table that holds fewer rows than it is about to get: rebuilding a big
    table's indexes for a few rows would cost more. Indexes that back a constraint (primary keys,
    unique constraints) stay, and so do the foreign keys of other tables."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # A table cannot be altered while checks of this transaction's earlier writes to it wait for
        # the commit: check them now, then put every constraint back in its initial mode.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT quote_ident(nspname) || '.' || quote_ident(conname) FROM pg_constraint"
            " JOIN pg_namespace ON pg_namespace.oid = connamespace WHERE condeferrable AND NOT condeferred"
        )
        if immediate := [name for (name,) in cursor.fetchall()]:
            cursor.execute(f"SET CONSTRAINTS {', '.join(immediate)} IMMEDIATE")
        tables = []
        for model, count in rows.items():
            table = model._meta.db_table
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT %s) AS held", [count]
            )  # noqa: S608 (a table name)
            if cursor.fetchone()[0] < count:
                tables.append(table)
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index WHERE indrelid = ANY(%s::regclass[])
            AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Enough memory to sort the biggest index in one pass; only for this transaction.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    log(f"{len(indexes)} indexes and {len(foreign_keys)} foreign keys of {len(tables)} tables built")


def _new_ids(model, count: int) -> list[int]:
    """`count` primary keys no row has or will be given, for rows that others refer to before they are written."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (a table name, not input)
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if value.__class__ is int:
        return str(value)
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _batches(rows: Iterable[tuple], size: int):
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _insert_objects(model, objects: list) -> list:
    """`model.objects.bulk_create(objects)`, by `_insert`: every concrete field prepared as bulk_create
    prepares it (auto_now dates set, related objects' keys read), without its SQL built a row at a time.
    The keys are given beforehand (`_new_ids`), or left to the database when none is. (No JSON
    fields: COPY would be given their adapters.)"""
    fields = [field for field in model._meta.concrete_fields if not (field.primary_key and objects[0].pk is None)]
    for instance in objects:
        instance._prepare_related_fields_for_save(operation_name="bulk_create")
    _insert(
        model,
        [field.column for field in fields],
        (
            tuple(field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields)
            for instance in objects
        ),
    )
    for instance in objects:
        instance._state.adding = False
    return objects


def _insert(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain rows, by COPY on PostgreSQL: model instances and INSERT statements would take most
    of the time at 100,000 people. Returns how many rows."""
    # Columns added since a caller was written take their defaults ("" for text), as Model.save gives them.
    defaults = [
        field
        for field in model._meta.concrete_fields
        if field.column not in columns and not field.primary_key and (field.has_default() or not field.null)
    ]
    columns = [*columns, *(field.column for field in defaults)]
    fixed = tuple(field.get_db_prep_save(field.get_default(), connection) for field in defaults)
    # The defaults, the same on every row, are written out once.
    copied_fixed = "".join("\t" + _copy_value(value) for value in fixed) + "\n"
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, 50_000):
            if connection.vendor == "postgresql":
                text = "".join("\t".join(map(_copy_value, row)) + copied_fixed for row in batch)
                cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", io.StringIO(text))
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    [row + fixed for row in batch],
                )
            written += len(batch)
    return written


def _custody_spans(world: World, person_ids: list[int], event_ids: list[int]) -> list[CustodySpan]:
    """Every person's spans, derived as cases.custody derives them, from the events in memory; each
    person is given the custody now that `sync_custody_spans` copies from their spans."""
    timelines: dict[int, list[Report]] = {}
    for pk, event in zip(event_ids, world.events, strict=True):
        if not (event.custody and event.is_published and world.cases[event.case].is_published):
            continue
        report = Report(
            event.date.end, event.date.start, pk, event.custody, event.type, event.date.precision,
            event.sentence_months, None, "",
        )  # fmt: skip
        if event.person is not None:
            # A person's own event counts only while the person is published (Event.objects.published).
            if world.people[event.person].is_published:
                timelines.setdefault(event.person, []).append(report)
        else:
            for subject in world.case_people[event.case]:
                timelines.setdefault(subject, []).append(report)
    spans = []
    for index in sorted(timelines):
        timeline = sorted(timelines[index], key=attrgetter("order"))
        own = _spans_from(person_ids[index], timeline)
        # Someone without spans keeps the defaults, which are what is copied for no spans.
        for name, value in zip(COPIED_CUSTODY, copied_custody(own, timeline), strict=True):
            setattr(world.people[index], name, value)
        spans.extend(own)
    return spans


def _set_latest_events(world: World, event_ids: list[int]) -> None:
    """Give each case the date of its newest published event, as `CaseQuerySet.refresh_latest_event`
    stores it: an event naming one person counts while that person is published; newest by end,
    then start, then key (`EventQuerySet.newest_first`)."""
    newest: dict[int, tuple[date, date, int, FuzzyDate]] = {}
    for pk, event in zip(event_ids, world.events, strict=True):
        if not event.is_published or (event.person is not None and not world.people[event.person].is_published):
            continue
        key = (event.date.end, event.date.start, pk, event.date)
        if event.case not in newest or key[:3] > newest[event.case][:3]:
            newest[event.case] = key
    for index, (*_, when) in newest.items():
        case = world.cases[index]
        case.latest_event_start, case.latest_event_end, case.latest_event_precision = (
            when.start,
            when.end,
            when.precision,
        )


# Deleting ---------------------------------------------------------------------------------------


@transaction.atomic
def delete() -> dict[str, int]:
    """Remove every demo record and nothing else; returns how many of each kind went."""
    from .custody import sync_custody_spans

    demo_cases = Case.objects.filter(demo_filter())
    demo_people = Person.objects.filter(demo_filter())
    demo_events = Event.objects.filter(case__in=demo_cases)
    # Someone a researcher added to a demo case keeps their record; their spans are derived anew.
    others = set(
        Case.people.through.objects.filter(case__in=demo_cases)
        .exclude(person__in=demo_people)
        .values_list("person_id", flat=True)
    )
    deleted = {}
    # Raw deletes: per-object signals would load a million events to keep in step what goes anyway.
    steps = [
        ("citations", Citation.objects.filter(event__in=demo_events)),
        ("custody spans", CustodySpan.objects.filter(person__in=demo_people)),
        ("", PersonEventPeriod.objects.filter(person__in=demo_people)),
        ("events", demo_events),
        ("case links", Case.people.through.objects.filter(case__in=demo_cases)),
        ("", Case.organizations.through.objects.filter(case__in=demo_cases)),
        ("", Case.charges.through.objects.filter(case__in=demo_cases)),
        ("", Case.themes.through.objects.filter(case__in=demo_cases)),
        (
            "name variants",
            NameVariant.objects.filter(
                Q(person__in=demo_people) | Q(organization__in=Organization.objects.filter(demo_filter()))
            ),
        ),
        ("people", demo_people),
        ("organizations", Organization.objects.filter(demo_filter())),
        ("cases", demo_cases),
        ("sources", Source.objects.filter(demo_filter())),
        ("", ChargePeople.objects.filter(charge__in=Charge.objects.filter(demo_vocabulary_filter()))),
        ("charges", Charge.objects.filter(demo_vocabulary_filter())),
        ("themes", Theme.objects.filter(demo_vocabulary_filter())),
        ("", ImportedItem.objects.filter(dataset=DATASET)),
    ]
    for label, queryset in steps:
        count = queryset._raw_delete(queryset.db)
        if label:
            deleted[label] = count
    sync_custody_spans(others, tally=False)
    # The tallies counted the demo people, their cases' charges and themes: recounted without them.
    rebuild_custody_tally()
    return deleted
