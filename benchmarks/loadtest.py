"""The load test behind `make loadtest`: 50 anonymous visitors for 60 s against the production stack.

    python benchmarks/loadtest.py [--people 100000] [--users 50] [--time 60s] [--database URL]

It fills its own PostgreSQL database once (`generate_demo_data --people N` when the database has no
people; the report's data where that command is missing), serves it as `make serve` does (gunicorn
with gunicorn.conf.py, DEBUG off) on a free loopback port, runs benchmarks/locustfile.py with
locust, headless and bounded, stops the server and writes benchmarks/results/loadtest.md:
requests/s, median and 95th percentile, and errors, overall and per page. It exits non-zero when
any request failed. Set REDIS_URL to share one cache between the workers.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from databases import create_database

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = PROJECT / "benchmarks" / "results" / "loadtest.md"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/casetracker_loadtest"


def manage(environment: dict, *args: str, capture: bool = False) -> str:
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=PROJECT, env=environment, check=True, text=True, capture_output=capture)
    return result.stdout if capture else ""


def fill(environment: dict, people: int) -> int:
    manage(environment, "migrate", "--no-input", "-v0")
    count = "from cases.models import Person; print(Person.objects.published().count())"
    if int(manage(environment, "shell", "--no-imports", "-c", count, capture=True)) == 0:
        print(f"Building {people:,} demo people (a few minutes) …", flush=True)
        manage(environment, "load_report")
        manage(environment, "generate_demo_data", "--people", str(people))
    return int(manage(environment, "shell", "--no-imports", "-c", count, capture=True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=5).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within two minutes")


def percentile(response_times: dict, share: float) -> int:
    """The response time (ms) below which `share` of the requests fell, from locust's rounded histogram."""
    times = sorted((int(float(ms)), count) for ms, count in response_times.items())
    wanted, seen = share * sum(count for _ms, count in times), 0
    for ms, count in times:
        seen += count
        if seen >= wanted:
            return ms
    return 0


def summarize(entries: list[dict]) -> list[dict]:
    """Per page and for all: requests, requests/s, p50, p95 and errors, from locust's final JSON stats."""
    start = min(entry["start_time"] for entry in entries)
    end = max(entry["last_request_timestamp"] or start for entry in entries)
    everything: dict = {}
    rows = []
    for entry in entries:
        for ms, count in entry["response_times"].items():
            everything[ms] = everything.get(ms, 0) + count
        rows.append(
            row(entry["name"], entry["num_requests"], entry["num_failures"], entry["response_times"], end - start)
        )
    total = row(
        "all", sum(e["num_requests"] for e in entries), sum(e["num_failures"] for e in entries), everything, end - start
    )
    return sorted(rows, key=lambda r: r["name"]) + [total]


def row(name: str, requests: int, failures: int, response_times: dict, seconds: float) -> dict:
    return {
        "name": name,
        "requests": requests,
        "per_second": requests / seconds if seconds else 0.0,
        "p50": percentile(response_times, 0.50),
        "p95": percentile(response_times, 0.95),
        "errors": failures,
    }


def write_results(rows: list[dict], *, people: int, users: int, duration: str, workers: str, cache: str, load) -> None:
    lines = [
        "# Load test",
        "",
        f"`make loadtest`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {users} anonymous visitors for {duration} "
        f"(locust, benchmarks/locustfile.py) against gunicorn ({workers} workers, DEBUG off, cache: {cache}) "
        f"on PostgreSQL with {people:,} published people, on this machine: {os.cpu_count()} cores, shared with "
        f"the load generator; load average {load[0]:.1f} before the run, {load[1]:.1f} after.",
        "",
        "| | requests | requests/s | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = "**all**" if r is rows[-1] else r["name"]
        lines.append(f"| {name} | {r['requests']} | {r['per_second']:.1f} | {r['p50']} | {r['p95']} | {r['errors']} |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--time", default="60s", help="how long visitors keep coming (locust --run-time)")
    parser.add_argument("--database", default=os.getenv("LOADTEST_DATABASE_URL", DEFAULT_DATABASE))
    options = parser.parse_args()

    create_database(options.database)
    secret_file = PROJECT / ".secret-key"
    environment = {
        **os.environ,
        "DATABASE_URL": options.database,
        "DEBUG": "false",
        # Plain HTTP on the loopback, as `make serve` does.
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": os.getenv("SECRET_KEY")
        or (secret_file.read_text().strip() if secret_file.exists() else secrets.token_urlsafe(50)),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    people = fill(environment, options.people)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn = [BIN / "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(gunicorn, cwd=PROJECT, env=environment)
    try:
        wait_until_up(url, server)
        load_before = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as folder:
            stats = Path(folder) / "stats"  # locust adds .json
            locust = [
                BIN / "locust", "-f", "benchmarks/locustfile.py", "--headless", "--only-summary",
                "--users", str(options.users), "--spawn-rate", str(max(1, options.users // 5)),
                "--run-time", options.time, "--stop-timeout", "10", "--host", url, "--json-file", str(stats),
            ]  # fmt: skip
            subprocess.run(locust, cwd=PROJECT, env={**os.environ}, check=False)
            rows = summarize(json.loads(stats.with_suffix(".json").read_text()))
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=60)

    workers = environment.get("WEB_CONCURRENCY") or f"{(os.cpu_count() or 1) * 2 + 1}"
    cache = "Redis" if environment.get("REDIS_URL") else "local memory per worker"
    load = (load_before, load_after)
    write_results(
        rows, people=people, users=options.users, duration=options.time, workers=workers, cache=cache, load=load
    )
    total = rows[-1]
    print(
        f"\n{total['per_second']:.1f} requests/s, p50 {total['p50']} ms, p95 {total['p95']} ms, "
        f"{total['errors']} errors of {total['requests']} requests; written to {RESULTS.relative_to(PROJECT)}"
    )
    if total["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
