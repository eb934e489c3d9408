"""Timings for search, the people list (with as_of) and the statistics on a large synthetic database.

Creates a throwaway test database (Django's test-database machinery: an in-memory SQLite database,
or `test_<name>` next to the PostgreSQL database DATABASE_URL names), fills it with synthetic
people, cases and events, prints timings, and drops it again. Nothing touches real data.

Run from the project folder:

    .venv/bin/python benchmarks/search_and_lists.py                      # SQLite, 10,000 people / 100,000 events
    .venv/bin/python benchmarks/search_and_lists.py --people 1000 --events 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb .venv/bin/python benchmarks/search_and_lists.py

Figures are the median of --repeat runs (default 5), in milliseconds, after one warm-up run.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
# The benchmark signs nothing; a key only keeps Django from refusing to start.
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

# (Latin, Cyrillic) syllables: names and their Cyrillic variants are built in step.
GIVEN = [
    ("Maks", "Макс"),
    ("Talgat", "Талгат"),
    ("Elena", "Елена"),
    ("Aset", "Асет"),
    ("Nurbek", "Нурбек"),
    ("Zhanar", "Жанар"),
    ("Iskander", "Искандер"),
    ("Vadim", "Вадим"),
    ("Ardak", "Ардак"),
    ("Larisa", "Лариса"),
    ("Erlan", "Ерлан"),
    ("Aigul", "Айгуль"),
    ("Murat", "Мурат"),
    ("Natalya", "Наталья"),
    ("Teimur", "Теймур"),
]
ROOTS = [
    ("Bok", "Бок"),
    ("Sem", "Сем"),
    ("Kush", "Куш"),
    ("Tung", "Тунг"),
    ("Ab", "Аб"),
    ("Yerim", "Ерим"),
    ("Sek", "Сек"),
    ("Kur", "Кур"),
    ("Mat", "Мат"),
    ("Az", "Аз"),
    ("Balt", "Балт"),
    ("Khar", "Хар"),
    ("Ul", "Ул"),
    ("Zhan", "Жан"),
    ("Ys", "Ыс"),
    ("Tok", "Ток"),
    ("Ser", "Сер"),
    ("Dos", "Дос"),
]
MIDDLES = [("a", "а"), ("er", "ер"), ("ish", "иш"), ("ak", "ак"), ("ly", "ля"), ("an", "ан"), ("im", "им"), ("", "")]
ENDINGS = [("ayev", "аев"), ("ov", "ов"), ("enova", "енова"), ("bayeva", "баева"), ("etov", "етов"), ("in", "ин")]
STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
QUERIES = ["Bokayev", "Бокаев", "bok", "Semyonova", "Kharlamov", "zzzz", "a"]  # fmt: skip


def synthetic_names(rng: random.Random, count: int):
    seen = set()
    while len(seen) < count:
        given, root, middle, ending = (rng.choice(part) for part in (GIVEN, ROOTS, MIDDLES, ENDINGS))
        latin = f"{given[0]} {root[0]}{middle[0]}{ending[0]}"
        if latin in seen:
            latin = f"{latin} {len(seen)}"
        seen.add(latin)
        yield latin, f"{given[1]} {root[1]}{middle[1]}{ending[1]}"


def populate(people_count: int, event_count: int, seed: int = 2018) -> dict:
    from cases.choices import CaseKind, CustodyState, EventType
    from cases.models import Case, Charge, CustodySpan, Event, NameVariant, Person, Theme
    from cases.search import rebuild_search_text

    rng = random.Random(seed)
    timings = {}
    started = time.perf_counter()
    charges = Charge.objects.bulk_create(Charge(name=f"charge {n}", slug=f"charge-{n}") for n in range(20))
    themes = Theme.objects.bulk_create(Theme(name=f"Theme {n}", slug=f"theme-{n}") for n in range(10))
    people, variants = [], []
    for index, (latin, cyrillic) in enumerate(synthetic_names(rng, people_count)):
        people.append(Person(name=latin, slug=f"person-{index}", is_published=rng.random() > 0.02,
                             location=rng.choice(["Almaty", "Astana", "Atyrau", "Shymkent", ""])))  # fmt: skip
        variants.append(cyrillic)
    people = Person.objects.bulk_create(people, batch_size=2000)
    NameVariant.objects.bulk_create(
        (NameVariant(person=person, name=name, kind="cyrillic") for person, name in zip(people, variants, strict=True)),
        batch_size=2000,
    )
    # One case for every one or two people.
    cases, case_people = [], []
    index = 0
    while index < len(people):
        group = people[index : index + rng.choice([1, 1, 1, 2])]
        index += len(group)
        cases.append(Case(title=f"Prosecution of {' and '.join(p.name for p in group)}", slug=f"case-{len(cases)}",
                          kind=rng.choice(CaseKind.values), is_published=rng.random() > 0.02))  # fmt: skip
        case_people.append(group)
    cases = Case.objects.bulk_create(cases, batch_size=2000)
    Case.people.through.objects.bulk_create(
        (
            Case.people.through(case=case, person=p)
            for case, group in zip(cases, case_people, strict=True)
            for p in group
        ),
        batch_size=5000,
    )
    Case.charges.through.objects.bulk_create(
        (Case.charges.through(case=case, charge=rng.choice(charges)) for case in cases), batch_size=5000
    )
    Case.themes.through.objects.bulk_create(
        (Case.themes.through(case=case, theme=rng.choice(themes)) for case in cases), batch_size=5000
    )
    # Events: a custody story per case, spread from 2012 to 2019, some dated only to the month.
    states = [CustodyState.DETAINED, CustodyState.IMPRISONED, CustodyState.HOUSE_ARREST,
              CustodyState.CONDITIONAL_RELEASE, CustodyState.AT_LIBERTY, ""]  # fmt: skip
    per_case = max(1, event_count // len(cases))
    events = []
    for case in cases:
        day = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 2000))
        for _ in range(per_case):
            day += timedelta(days=rng.randrange(1, 120))
            month_only = rng.random() < 0.3
            start = day.replace(day=1) if month_only else day
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1) if month_only else day
            events.append(Event(case=case, type=EventType.OTHER, date_start=start, date_end=end,
                                date_precision="month" if month_only else "day", custody=rng.choice(states),
                                description="Synthetic event.", is_published=rng.random() > 0.02))  # fmt: skip
    events = Event.objects.bulk_create(events, batch_size=5000)
    timings["create records"] = time.perf_counter() - started

    # Custody spans as custody.derive_custody_spans makes them, built here in one pass: rebuilding
    # them person by person takes a query per person (timed below on a sample, and checked).
    started = time.perf_counter()
    spans = []
    events_by_case = {}
    for event in events:
        events_by_case.setdefault(event.case_id, []).append(event)
    for case, group in zip(cases, case_people, strict=True):
        if not case.is_published:
            continue
        for person in group:
            spans.extend(derive_spans(person, events_by_case.get(case.pk, [])))
    CustodySpan.objects.bulk_create(spans, batch_size=5000)
    timings["create custody spans"] = time.perf_counter() - started
    started = time.perf_counter()
    for model in (Person, Case, Event):
        rebuild_search_text(model.objects.all())
    timings["rebuild search text"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a live database has them
    return timings


def derive_spans(person, events) -> list:
    """The spans derive_custody_spans gives for `person`, from their case's events in date order."""
    from cases.models import CustodySpan

    last_per_day = {}
    for event in sorted(events, key=lambda e: (e.date_end, e.date_start, e.pk)):
        if event.is_published and event.custody:
            last_per_day[event.date_end] = event
    spans = []
    for day, event in last_per_day.items():
        if spans and spans[-1].state == event.custody:
            continue
        if spans:
            spans[-1].valid_until = day
        spans.append(
            CustodySpan(person=person, state=event.custody, valid_from=day, event=event, since_end=event.date_end)
        )
    return spans


def check_spans(sample: int, seed: int = 7) -> float:
    """Compare a sample with custody.derive_custody_spans; return the ms one person's rebuild takes."""
    from cases.custody import derive_custody_spans, sync_custody_spans
    from cases.models import CustodySpan, Person

    people = random.Random(seed).sample(list(Person.objects.all()), sample)
    for person in people:
        stored = CustodySpan.objects.filter(person=person).order_by("valid_from")
        expected = derive_custody_spans(person)
        key = ("state", "valid_from", "valid_until", "event_id")
        assert [[getattr(s, k) for k in key] for s in stored] == [[getattr(s, k) for k in key] for s in expected]
    started = time.perf_counter()
    sync_custody_spans(people)
    return (time.perf_counter() - started) / sample * 1000


def measure(function, repeat: int) -> float:
    function()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    setup_test_environment()
    # Static files from the app folders, as in development: no collected manifest needed.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BACKEND}}).enable()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(options)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(options):
    from cases.models import CustodySpan, Event, Person
    from cases.statistics import counts_by_charge, counts_by_theme, custody_by_month

    print(f"Database: {connection.vendor} (throwaway {connection.settings_dict['NAME']})")
    print(f"Creating {options.people:,} people and about {options.events:,} events …", flush=True)
    for step, seconds in populate(options.people, options.events).items():
        print(f"  {step:<28} {seconds:8.1f} s")
    print(f"  {Person.objects.count():,} people, {Event.objects.count():,} events, "
          f"{CustodySpan.objects.count():,} custody spans")  # fmt: skip
    per_person = check_spans(min(50, options.people))
    print(f"  spans match custody.derive_custody_spans; sync_custody_spans takes {per_person:.1f} ms per person")

    client = Client()
    people = Person.objects.published()
    rows = []
    for query in QUERIES:
        found = people.search(query).count()
        rows.append((f"search {query!r} (first 25; {found:,} found)",
                     measure(lambda q=query: list(people.search(q)[:25]), options.repeat)))  # fmt: skip
    as_of = date(2018, 6, 30)
    rows.append(("people in custody on 2018-06-30 (count)",
                 measure(lambda: people.in_custody_on(as_of).count(), options.repeat)))  # fmt: skip
    pages = [
        ("page /people/", {}),
        ("page /people/?as_of&in_custody", {"as_of": "2018-06-30", "in_custody": "true"}),
        ("page /people/?as_of&sort=latest", {"as_of": "2018-06-30", "sort": "latest"}),
        ("page /people/?search=Bokayev", {"search": "Bokayev"}),
        ("page /people/?as_of&page=(middle)", {"as_of": "2018-06-30", "page": str(max(1, options.people // 50))}),
        ("page /cases/?as_of&in_custody", {"as_of": "2018-06-30", "in_custody": "true"}),
        ("page /cases/?sort=latest", {"sort": "latest"}),
        ("page /events/?since&until", {"since": "2018-01-01", "until": "2018-12-31"}),
        ("page /events/?search=Bokayev", {"search": "Bokayev"}),
        ("page /search/?q=Bokayev", {"q": "Bokayev"}),
        ("page /search/?q=(nothing; suggestions)", {"q": "Zhakypbekovna"}),
    ]
    for label, params in pages:
        url = reverse({"people": "cases:person-list", "cases": "cases:case-list", "events": "cases:event-list",
                       "search": "cases:search"}[label.split("/")[1]])  # fmt: skip
        rows.append((label, measure(lambda u=url, p=params: client.get(u, p), options.repeat)))
    rows.append(("statistics: custody by month", measure(lambda: custody_by_month(people), options.repeat)))
    rows.append(("statistics: counts by charge and theme",
                 measure(lambda: (counts_by_charge(people), counts_by_theme(people)), options.repeat)))  # fmt: skip
    stats = reverse("cases:statistics")
    rows.append(("page /statistics/", measure(lambda: client.get(stats), options.repeat)))
    in_custody = {"as_of": "2018-06-30", "in_custody": "true"}
    rows.append(("page /statistics/?as_of&in_custody", measure(lambda: client.get(stats, in_custody), options.repeat)))
    export = reverse("cases:person-export", kwargs={"fmt": "csv"})
    rows.append(("export /people/export.csv (all)",
                 measure(lambda: b"".join(client.get(export).streaming_content), 1)))  # fmt: skip

    print(f"\nMedian of {options.repeat} runs:")
    for label, milliseconds in rows:
        print(f"  {label:<52} {milliseconds:9.1f} ms")


if __name__ == "__main__":
    main()
