"""How fast "who was in custody on date D" answers as the data grows.

Builds a synthetic database of N people with about ten dated events each, derives their
custody spans, then times the reads the API and pages make. Run it against a throwaway
database, never a real one:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/custody_status.py --people 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/custody_status.py

It migrates the database, deletes every case, event and person in it (unless --reuse finds
a previous run's data), and prints timings.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from cases.choices import CustodyState, DatePrecision, EventType  # noqa: E402
from cases.custody import rebuild_all_custody_spans  # noqa: E402
from cases.models import Case, CustodySpan, Event, Person, Source  # noqa: E402
from cases.services import record_event  # noqa: E402


def timed(label: str, function, repeat: int = 5):
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<58} {best * 1000:9.1f} ms  ({result})")
    return result


def build(people_count: int, events_per_person: int, rng: random.Random):
    Event.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()
    states = CustodyState.values
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(name=f"Person {i}", slug=f"person-{i}", is_published=True) for i in range(people_count)
        )
        cases = Case.objects.bulk_create(
            Case(title=f"Case {i}", slug=f"case-{i}", is_published=True) for i in range(people_count)
        )
        Case.people.through.objects.bulk_create(
            Case.people.through(case_id=c.pk, person_id=p.pk) for c, p in zip(cases, people, strict=True)
        )
        events = []
        for case in cases:
            day = date(2010, 1, 1) + timedelta(days=rng.randint(0, 365))
            for _ in range(events_per_person):
                day += timedelta(days=rng.randint(20, 300))
                events.append(
                    Event(
                        case=case,
                        type=EventType.OTHER,
                        date_start=day,
                        date_end=day,
                        date_precision=DatePrecision.DAY,
                        custody=rng.choice(states),
                        description="Synthetic.",
                        is_published=True,
                    )
                )
            if len(events) > 50_000:
                Event.objects.bulk_create(events)
                events = []
        Event.objects.bulk_create(events)
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--events-per-person", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the data a previous run built")
    args = parser.parse_args()
    rng = random.Random(2018)

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {args.people} people × {args.events_per_person} events")
    start = time.perf_counter()
    if args.reuse and Person.objects.count() >= args.people:
        cases = list(Case.objects.order_by("pk")[:1000])
    else:
        cases = build(args.people, args.events_per_person, rng)
    print(f"{'build (bulk insert)':<58} {(time.perf_counter() - start) * 1000:9.1f} ms")
    with connection.cursor() as cursor:
        # Fresh planner statistics, as autovacuum would gather them on a live database.
        cursor.execute("ANALYZE")
    start = time.perf_counter()
    rebuild_all_custody_spans()
    print(f"{'rebuild every custody span':<58} {(time.perf_counter() - start) * 1000:9.1f} ms")
    print(f"custody spans: {CustodySpan.objects.count()}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    day = date(2014, 6, 30)
    published = Person.objects.published()
    timed("count in custody on a date", lambda: published.in_custody_on(day).count())
    timed("count in custody now", lambda: published.in_custody_on().count())
    timed("first API page (50 people) with status on a date", lambda: len(list(published.with_custody(day)[:50])))
    timed(
        "last API page (50 people) with status on a date",
        lambda: len(list(published.with_custody(day)[args.people - 50 : args.people])),
    )
    person = published.first()
    timed("one person's status on a date", lambda: published.with_custody(day).get(pk=person.pk).custody)
    case = rng.choice(cases)
    source, _ = Source.objects.get_or_create(slug="benchmark", defaults={"title": "Benchmark", "is_published": True})
    timed(
        "record an event and update the spans (one transaction)",
        lambda: (
            record_event(
                citations=[(source, "Benchmark quote.")],
                case=case,
                type=EventType.DETAINED,
                date_start=date(2020, 1, 1),
                date_end=date(2020, 1, 1),
                date_precision=DatePrecision.DAY,
                custody=CustodyState.DETAINED,
                description="Benchmark.",
                is_published=True,
            ).pk
        ),
    )


if __name__ == "__main__":
    main()
