"""The public's mix of pages for the load test (`make loadtest`, which runs benchmarks/loadtest.py).

Anonymous visitors only, on the loopback: the home page, the lists with filters, `as_of`, sorts and
deep pages, search, person and case pages, feeds, the API, statistics and a filtered export, in
English and in Russian. Which people and cases exist is read once from the API at the start.
"""

import json
import random
import urllib.request
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

SLUGS: dict[str, list[str]] = {"people": [], "cases": []}
NAMES: list[str] = []
PAGES = {"people": 1, "cases": 1}


def _get_json(host: str, path: str) -> dict:
    with urllib.request.urlopen(host + path, timeout=60) as response:
        return json.load(response)


@events.test_start.add_listener
def read_the_records(environment, **kwargs):
    host = environment.host or environment.parsed_options.host
    if urlsplit(host).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"The load test runs on the loopback only, not on {host}")
    for kind in ("people", "cases"):
        first = _get_json(host, f"/api/{kind}/?page_size=200")
        # A long list serves its first rows only, and counts one more to say so (cases.paging).
        served = first["count"] - 1 if first.get("count_is_minimum") else first["count"]
        PAGES[kind] = max(1, -(-served // 25))  # pages of the public list, 25 a page
        pages = [first]
        last_api_page = max(1, -(-served // 200))
        for page in sorted(random.sample(range(2, last_api_page + 1), min(4, last_api_page - 1))):
            pages.append(_get_json(host, f"/api/{kind}/?page_size=200&page={page}"))
        SLUGS[kind] = [record["slug"] for page in pages for record in page["results"]]
        if kind == "people":
            NAMES.extend(record["name"] for page in pages for record in page["results"])
    if not SLUGS["people"] or not SLUGS["cases"]:
        raise SystemExit("The database has no published people or cases: load data first.")


def language() -> str:
    # About one visit in five reads the Russian pages.
    return "/ru" if random.random() < 0.2 else ""


def a_search_term() -> str:
    words = random.choice(NAMES).split()
    word = words[-1] if words else "a"
    return word[: random.randint(3, max(3, len(word)))]


class Visitor(HttpUser):
    wait_time = between(0.5, 1.5)

    @task(10)
    def home(self):
        self.client.get(f"{language()}/", name="home")

    @task(6)
    def people_list(self):
        self.client.get(f"{language()}/people/", name="people list")

    @task(4)
    def people_filtered(self):
        query = random.choice(
            [
                "in_custody=true",
                "as_of=2018-06-30&in_custody=true",
                "as_of=2015-01-01&sort=latest",
                "sort=latest",
                "sort=-name&country=KZ",
                "custody=imprisoned",
                "group=true",
            ]
        )
        self.client.get(f"{language()}/people/?{query}", name="people list, filtered")

    @task(2)
    def people_deep_page(self):
        page = random.randint(1, PAGES["people"])
        self.client.get(f"/people/?page={page}", name="people list, any page")

    @task(8)
    def search(self):
        self.client.get(f"{language()}/people/?search={a_search_term()}", name="search")

    @task(15)
    def person(self):
        self.client.get(f"{language()}/people/{random.choice(SLUGS['people'])}/", name="person page")

    @task(8)
    def case(self):
        self.client.get(f"{language()}/cases/{random.choice(SLUGS['cases'])}/", name="case page")

    @task(4)
    def cases_list(self):
        query = random.choice(["", "?sort=latest", "?as_of=2018-06-30", f"?page={random.randint(1, PAGES['cases'])}"])
        self.client.get(f"{language()}/cases/{query}", name="cases list")

    @task(3)
    def events_list(self):
        self.client.get(f"{language()}/events/?since=2018-01-01&until=2018-12-31", name="events list, since/until")

    @task(1)
    def organizations(self):
        self.client.get(f"{language()}/organizations/", name="organizations list")

    @task(3)
    def feeds(self):
        if random.random() < 0.5:
            self.client.get("/feeds/updates/", name="feed, updates")
        else:
            self.client.get(f"/feeds/people/{random.choice(SLUGS['people'])}/", name="feed, person")

    @task(4)
    def api_list(self):
        query = random.choice(["", "?in_custody=true", "?as_of=2018-06-30", f"?search={a_search_term()}"])
        self.client.get(f"/api/people/{query}", name="API people list")

    @task(4)
    def api_detail(self):
        if random.random() < 0.5:
            self.client.get(f"/api/people/{random.choice(SLUGS['people'])}/", name="API person")
        else:
            self.client.get(f"/api/cases/{random.choice(SLUGS['cases'])}/", name="API case")

    @task(3)
    def statistics(self):
        query = random.choice(["", "?as_of=2018-06-30&in_custody=true", "?country=KZ"])
        self.client.get(f"{language()}/statistics/{query}", name="statistics")

    @task(1)
    def export(self):
        # Narrowed by a search, as a reader downloads what they looked at (all 100,000 is a bulk job).
        self.client.get(f"/people/export.csv?search={a_search_term()}", name="export, searched")

    @task(1)
    def sources(self):
        self.client.get(f"{language()}/sources/", name="sources")
