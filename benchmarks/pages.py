"""Server time of every public page, feed, API list and detail, export and admin list at scale.

`make bench` runs it on PostgreSQL at 1,000, 10,000 and 100,000 people. Each size has its own
database, `casetracker_bench_<N>` on the server DATABASE_URL names (default the local one),
created, migrated, given the report and filled by `manage.py generate_demo_data` the first time
and reused after while its demo world has the same parameters. Nothing touches other databases.
`BENCH_DATABASE_PREFIX=mine` uses `mine_<N>` instead (a copy of one, to try a change beside it).

    .venv/bin/python benchmarks/pages.py                       # the report alone, 1,000, 10,000 and 100,000 people
    .venv/bin/python benchmarks/pages.py --sizes 1000 --repeat 10

Size 0 is the report's data alone (casetracker_bench_0, no demo world): the baseline the growth
is measured from. After the sizes it prints, per page, the growth of p95 from the smallest size to
the largest (the target: at most 1.5×) and whether the number of queries stayed the same.

For each page: median and p95 server time (Django's test client through the whole middleware
stack, DEBUG off, no cache), its number of queries, and the ratio to the floor (`robots.txt`, a
trivial view through the same middleware). A page over its target gets the EXPLAIN ANALYZE of
its slowest queries. Everything printed is also written to benchmarks/results.json.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/casetracker"
SEED = 1
COUNTRIES = 5
# Targets in ms (server time, p95); exports are judged by rows/s and time to the first row.
PAGE, SEARCH, STATISTICS, ADMIN = 50, 100, 150, 200
EXPORT_ROWS_PER_SECOND, EXPORT_FIRST_ROW_MS = 50_000, 200
# A query worth explaining: a good share of the target on its own.
EXPLAIN_SHARE = 0.2
# How much slower a page may be at the largest size than at the smallest.
GROWTH_LIMIT = 1.5


def database_url(people: int) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "casetracker_bench")
    return urlunsplit(parts._replace(path=f"/{prefix}_{people}"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=20, help="Runs per page (fewer for a slow page).")
    parser.add_argument("--only", default="", help="Measure only pages whose label contains one of these (a,b).")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size, in a child process
    options = parser.parse_args()
    if options.size is not None:
        measure_size(options)
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for people in options.sizes:
        env = {**os.environ, "DATABASE_URL": database_url(people)}
        command = [sys.executable, __file__, "--size", str(people), "--repeat", str(options.repeat)]
        if options.only:
            command += ["--only", options.only]
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        size_file = RESULTS.with_name(f"results-{people}.json")
        results[str(people)] = json.loads(size_file.read_text())
        size_file.unlink()
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    measured = sorted(int(size) for size in results)
    if len(measured) > 1:
        print_growth(results, str(measured[0]), str(measured[-1]))
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


def print_growth(results: dict, smallest: str, largest: str) -> None:
    """Per page: p95 at the largest size over p95 at the smallest, the same of the medians, and whether
    the queries stayed the same. A page is over when its p95 grew past the limit; the medians' growth
    says how much of that is one slow run in twenty, which on these shared machines p95 often is.

    Each time is first floored at the trivial view's, so that a page too quick to time does not
    make a ratio of noise."""
    small, large = results[smallest], results[largest]
    print(f"\n  growth from {int(smallest):,} to {int(largest):,} people (limit {GROWTH_LIMIT}×)")
    print(f"  {'page':<32} {'p95 from':>9} {'p95 to':>9} {'growth':>7} {'median':>7} {'queries':>9}")

    def growth(row: dict, before: dict, statistic: str) -> float:
        floor_small, floor_large = small["floor"][statistic], large["floor"][statistic]
        return max(row[statistic], floor_large) / max(before[statistic], floor_small)

    for label, row in large["pages"].items():
        before = small["pages"].get(label)
        if before is None:
            continue
        at_p95, at_median = growth(row, before, "p95_ms"), growth(row, before, "median_ms")
        queries = "same" if row["queries"] == before["queries"] else f"{before['queries']}→{row['queries']}"
        mark = "  OVER" if at_p95 > GROWTH_LIMIT or queries != "same" else ""
        print(
            f"  {label:<32} {before['p95_ms']:9.1f} {row['p95_ms']:9.1f} {at_p95:6.1f}× {at_median:6.1f}× "
            f"{queries:>9}{mark}"
        )


def prepare(people: int):
    """Create, migrate and fill the size's database unless it already holds this demo world."""
    from databases import create_database
    from django.conf import settings
    from django.core.management import call_command

    params = settings.DATABASES["default"]
    create_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from cases import demo

    wanted = demo.parameters_key(people, SEED, COUNTRIES) if people else None
    if demo.existing_parameters() != wanted:
        print(f"Building the demo world of {people:,} people in {params['NAME']} …", flush=True)
        if people:
            call_command("generate_demo_data", people=people, seed=SEED, countries=COUNTRIES, delete=True)
        else:
            call_command("generate_demo_data", delete=True)
    call_command("load_report", verbosity=0)


def pages() -> list[tuple[str, str, int]]:
    """(label, address, target ms) of every page measured; exports apart (see `measure_export`)."""
    from django.urls import reverse

    from cases.models import Case, Charge, Organization, Person, Source, Theme

    def first(records):
        """A demo record when there is a demo world, else (the report alone) one of the report's."""
        demo = records.filter(slug__startswith="demo-")
        return (demo if demo.exists() else records).order_by("pk")[0]

    person = first(Person.objects.published().filter(cases__is_published=True))
    case = first(Case.objects.published())
    organization = first(Organization.objects.published())
    charge = first(Charge.objects.public())
    theme = first(Theme.objects.public())
    source = first(Source.objects.published())
    # The report's own records among the demo world: few facts, all of 2018, where a plan that suits
    # a demo record (walking every event newest first until it has a page) takes seconds.
    report = {
        "source": Source.objects.published().exclude(slug__startswith="demo-").order_by("pk").first(),
        "theme": Theme.objects.public().exclude(slug__startswith="demo-").order_by("pk").first(),
        "organization": Organization.objects.published().exclude(slug__startswith="demo-").order_by("pk").first(),
    }
    measured = {"source": source, "theme": theme, "organization": organization}
    report_pages = [
        (f"report's {name}", record.get_absolute_url(), PAGE)
        for name, record in report.items()
        if record is not None and record != measured[name]
    ]
    if report["theme"] is not None and report["theme"] != theme:
        report_pages.append(("feed report's theme", reverse("cases:feed-theme", args=[report["theme"].slug]), PAGE))
    as_of = "as_of=2018-06-30"
    from cases.paging import MAX_ROWS
    from cases.views.lists import PAGE_SIZE

    # The last page a list offers: a long list stops at MAX_ROWS rows (cases.paging).
    people_pages = min(Person.objects.published().count() // PAGE_SIZE + 1, MAX_ROWS // PAGE_SIZE)
    return [
        ("home", reverse("cases:home"), PAGE),
        ("people", reverse("cases:person-list"), PAGE),
        ("people ?as_of&in_custody", f"{reverse('cases:person-list')}?{as_of}&in_custody=true", PAGE),
        ("people ?sort=latest", f"{reverse('cases:person-list')}?sort=latest", PAGE),
        ("people ?as_of&sort=latest", f"{reverse('cases:person-list')}?{as_of}&sort=latest", PAGE),
        ("people ?sort=expected_end", f"{reverse('cases:person-list')}?sort=expected_end", PAGE),
        ("people ?as_of&sort=expected_end", f"{reverse('cases:person-list')}?{as_of}&sort=expected_end", PAGE),
        ("people ?country&role&group", f"{reverse('cases:person-list')}?country=KZ&role=journalist&group=false", PAGE),
        ("people ?page=middle", f"{reverse('cases:person-list')}?page={people_pages // 2}", PAGE),
        ("people ?page=last", f"{reverse('cases:person-list')}?page={people_pages}", PAGE),
        ("people ?since&until", f"{reverse('cases:person-list')}?since=2018-01-01&until=2018-03-01", PAGE),
        ("people ?search=Bokayev", f"{reverse('cases:person-list')}?search=Bokayev", SEARCH),
        ("people ?search=a", f"{reverse('cases:person-list')}?search=a", SEARCH),
        ("people ?search&sort=latest", f"{reverse('cases:person-list')}?search=Bokayev&sort=latest", SEARCH),
        # A first name thousands of people share, sorted: walking the sort's index tested every name.
        ("people ?search=Ardak&sort=latest", f"{reverse('cases:person-list')}?search=Ardak&sort=latest", SEARCH),
        # The same on a date: each match's span then, joined.
        (
            "people ?search=Ardak&as_of&sort=latest",
            f"{reverse('cases:person-list')}?search=Ardak&{as_of}&sort=latest",
            SEARCH,
        ),
        ("people (ru)", "/ru" + reverse("cases:person-list"), PAGE),
        ("search ?q=Bokayev", f"{reverse('cases:search')}?q=Bokayev", SEARCH),
        ("search ?q=a", f"{reverse('cases:search')}?q=a", SEARCH),
        ("cases", reverse("cases:case-list"), PAGE),
        ("cases ?sort=latest", f"{reverse('cases:case-list')}?sort=latest", PAGE),
        ("cases ?as_of&in_custody", f"{reverse('cases:case-list')}?{as_of}&in_custody=true", PAGE),
        ("cases ?search&sort=latest", f"{reverse('cases:case-list')}?search=Bokayev&sort=latest", SEARCH),
        # Part of a surname a fifth of the cases hold, ranked by closeness.
        ("cases ?search=baev", f"{reverse('cases:case-list')}?search=baev", SEARCH),
        ("organizations", reverse("cases:organization-list"), PAGE),
        ("organizations ?sort=latest", f"{reverse('cases:organization-list')}?sort=latest", PAGE),
        ("events", reverse("cases:event-list"), PAGE),
        ("events ?since&until", f"{reverse('cases:event-list')}?since=2018-01-01&until=2018-12-31", PAGE),
        # A name few events concern, a letter most do, and a word none has (a walk would read them all).
        ("events ?search=Bokayev", f"{reverse('cases:event-list')}?search=Bokayev", SEARCH),
        ("events ?search=a", f"{reverse('cases:event-list')}?search=a", SEARCH),
        ("events ?search=Zzyzx", f"{reverse('cases:event-list')}?search=Zzyzx", SEARCH),
        ("sources", reverse("cases:source-list"), PAGE),
        ("person", person.get_absolute_url(), PAGE),
        ("case", case.get_absolute_url(), PAGE),
        ("organization", organization.get_absolute_url(), PAGE),
        ("charge", charge.get_absolute_url(), PAGE),
        ("theme", theme.get_absolute_url(), PAGE),
        ("source", source.get_absolute_url(), PAGE),
        *report_pages,
        ("statistics", reverse("cases:statistics"), STATISTICS),
        ("statistics ?as_of&in_custody", f"{reverse('cases:statistics')}?{as_of}&in_custody=true", STATISTICS),
        ("statistics ?country", f"{reverse('cases:statistics')}?country=KZ", STATISTICS),
        ("statistics ?charge", f"{reverse('cases:statistics')}?charge={charge.slug}", STATISTICS),
        ("statistics ?role", f"{reverse('cases:statistics')}?role=journalist", STATISTICS),
        ("feed updates", reverse("cases:feed-updates"), PAGE),
        ("feed person", reverse("cases:feed-person", args=[person.slug]), PAGE),
        ("feed charge", reverse("cases:feed-charge", args=[charge.slug]), PAGE),
        ("feed theme", reverse("cases:feed-theme", args=[theme.slug]), PAGE),
        ("sitemap", reverse("sitemap"), PAGE),
        ("api people", reverse("api:person-list"), PAGE),
        ("api people ?as_of&in_custody", f"{reverse('api:person-list')}?{as_of}&in_custody=true", PAGE),
        ("api people ?page=last", f"{reverse('api:person-list')}?page=last", PAGE),
        ("api people ?search", f"{reverse('api:person-list')}?search=Bokayev", SEARCH),
        ("api person", reverse("api:person-detail", args=[person.slug]), PAGE),
        ("api cases", reverse("api:case-list"), PAGE),
        ("api case", reverse("api:case-detail", args=[case.slug]), PAGE),
        ("api organizations", reverse("api:organization-list"), PAGE),
        ("api events", reverse("api:event-list"), PAGE),
        ("admin people", reverse("admin:cases_person_changelist"), ADMIN),
        (
            "admin people ?q&filter",
            f"{reverse('admin:cases_person_changelist')}?q=Bokayev&is_published__exact=1",
            ADMIN,
        ),
        ("admin cases", reverse("admin:cases_case_changelist"), ADMIN),
        ("admin cases ?q", f"{reverse('admin:cases_case_changelist')}?q=Bokayev", ADMIN),
        ("admin events", reverse("admin:cases_event_changelist"), ADMIN),
        ("admin events ?q&filter", f"{reverse('admin:cases_event_changelist')}?q=Bokayev&type__exact=convicted", ADMIN),
        ("admin case form", reverse("admin:cases_case_change", args=[case.pk]), ADMIN),
    ]


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = get_user_model().objects.get_or_create(
        username="benchmark", defaults={"is_staff": True, "is_superuser": True, "email": "benchmark@example.org"}
    )
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed_get(client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url, secure=True)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018
    return (time.perf_counter() - started) * 1000, response.status_code


class QueryLog:
    """Every query a request makes, with its time: Django's own log is emptied when a request starts."""

    def __init__(self):
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append({"ms": (time.perf_counter() - started) * 1000, "sql": sql, "params": params})


def measure(client, url: str, repeat: int, budget_seconds: float = 4.0) -> dict:
    from django.db import connection

    log = QueryLog()
    with connection.execute_wrapper(log):
        first, status = timed_get(client, url)  # also warms the database's and the process's caches
    # A page slower than the whole budget is timed once, by its first run.
    if first > budget_seconds * 1000:
        runs = [first]
    else:
        runs = []
        deadline = time.perf_counter() + budget_seconds
        while len(runs) < repeat and (len(runs) < 3 or time.perf_counter() < deadline):
            runs.append(timed_get(client, url)[0])
    runs.sort()
    return {
        "status": status,
        "median_ms": round(statistics.median(runs), 1),
        "p95_ms": round(runs[min(len(runs) - 1, int(len(runs) * 0.95))], 1),
        "runs": len(runs),
        "queries": len(log.queries),
        "database_ms": round(sum(q["ms"] for q in log.queries), 1),
        "slow_queries": sorted(log.queries, key=lambda q: -q["ms"])[:3],
    }


def measure_export(client, url: str) -> dict:
    import resource

    started = time.perf_counter()
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = client.get(url, secure=True)
    rows, first_ms = 0, None
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        # The first record, not the header or the JSON's opening, which are sent before any is read.
        if first_ms is None and rows >= 2:
            first_ms = (time.perf_counter() - started) * 1000
    seconds = time.perf_counter() - started
    return {
        "first_row_ms": round(first_ms or 0, 1),
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "peak_memory_growth_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before) / 1024, 1),
    }


def wanted(label: str, only: str) -> bool:
    return not only or any(part in label for part in only.split(","))


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_size(options):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Not setup_test_environment(): it instruments template rendering for the test client (a signal
    # and a copy of the context for every template rendered, some two hundred on a list page), which
    # a server does not do.
    # Uncached and without the collected-static manifest: the server time of the page itself.
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    prepare(options.size)
    from django.db import connection
    from django.test import Client

    from cases.models import CustodySpan, Event, Person

    load = os.getloadavg()
    print(
        f"\n{options.size:,} people ({Person.objects.count():,} people, {Event.objects.count():,} events, "
        f"{CustodySpan.objects.count():,} custody spans) on {connection.settings_dict['NAME']}; "
        f"load average {load[0]:.1f}",
        flush=True,
    )
    public, staff = Client(), staff_client()
    # The first request of a process loads the URLs, templates and translations: not the floor.
    for client in (public, staff):
        timed_get(client, "/robots.txt")
    # As gunicorn's master does before it forks a worker (gunicorn.conf.py).
    gc.freeze()
    floor = measure(public, "/robots.txt", options.repeat)
    print(f"  floor (robots.txt): median {floor['median_ms']} ms, p95 {floor['p95_ms']} ms\n")
    print(f"  {'page':<32} {'median':>8} {'p95':>8} {'target':>7} {'queries':>8} {'db ms':>7} {'× floor':>8}")
    rows = {}
    for label, url, target in pages():
        if not wanted(label, options.only):
            continue
        client = staff if label.startswith("admin") else public
        row = measure(client, url, options.repeat)
        row.update(url=url, target_ms=target, floor_ratio=round(row["median_ms"] / floor["median_ms"], 1))
        over = row["p95_ms"] > target or row["status"] != 200
        mark = ("  OVER" if over else "") + ("" if row["status"] == 200 else f"  HTTP {row['status']}")
        print(
            f"  {label:<32} {row['median_ms']:8.1f} {row['p95_ms']:8.1f} {target:7d} {row['queries']:8d} "
            f"{row['database_ms']:7.1f} "
            f"{row['floor_ratio']:8.1f}{mark}",
            flush=True,
        )
        worth = [q for q in row.pop("slow_queries") if q["ms"] > target * EXPLAIN_SHARE]
        if over and worth:
            row["explain"] = [
                {"ms": round(q["ms"], 1), "sql": q["sql"], "plan": explain(q["sql"], q["params"])} for q in worth
            ]
            for query in row["explain"]:
                print(f"\n    {query['ms']:.1f} ms: {query['sql'][:300]}\n")
                print("".join(f"      {line[:160]}\n" for line in query["plan"].splitlines()))
        rows[label] = row
    exports = {}
    for fmt in ("csv", "json"):
        label = f"export people.{fmt}"
        if not wanted(label, options.only):
            continue
        from django.urls import reverse

        result = measure_export(public, reverse("cases:person-export", kwargs={"fmt": fmt}))
        exports[label] = result
        print(
            f"  {label:<32} first row {result['first_row_ms']} ms, {result['rows']:,} rows in {result['seconds']} s "
            f"= {result['rows_per_second']:,} rows/s, peak memory +{result['peak_memory_growth_mb']} MB",
            flush=True,
        )
    out = {
        "load_average": round(load[0], 1),
        "floor": floor | {"slow_queries": None},
        "pages": rows,
        "exports": exports,
    }
    RESULTS.with_name(f"results-{options.size}.json").write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
