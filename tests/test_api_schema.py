"""The API's OpenAPI schema tells the truth: schemathesis calls every operation with values the
schema allows and values it does not, and every answer must be one the schema documents, never a 5xx."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings

from cases.choices import CustodyState, EventType, Identity

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_theme

# schemathesis sends requests' default `Accept-Encoding: gzip`, and over WSGI nothing would unzip the
# answer: ask for it plain (compression has its own tests, tests/test_compression.py).
PLAIN = {"Accept-Encoding": "identity"}

# Read from the served schema, as a client would; serving it touches no database.
schema = schemathesis.openapi.from_wsgi(reverse("api:schema"), get_wsgi_application())

# `country` lists all 249 ISO codes; the coverage phase would try each on every list, proving no
# more than a few of them do. The test reads the served schema with that list cut to a sample.
SAMPLE_COUNTRIES = ["KG", "KZ", "US"]
for path in schema.raw_schema["paths"].values():
    for parameter in path.get("get", {}).get("parameters", []):
        if parameter["name"] == "country":
            assert set(SAMPLE_COUNTRIES) <= set(parameter["schema"]["enum"])
            parameter["schema"]["enum"] = SAMPLE_COUNTRIES


@schema.hook
def map_query(context, query):
    """Put `since` and `until` in order: `until` before `since` is refused (400), a rule between
    two parameters that OpenAPI cannot state."""
    since, until = (query or {}).get("since"), (query or {}).get("until")
    if isinstance(since, str) and isinstance(until, str) and since > until:
        query = {**query, "since": until, "until": since}
    return query


@pytest.fixture(scope="module")
def published_records(django_db_setup, django_db_blocker):
    """One of each public shape, nulls included, built once for the module and rolled back after.

    Returns the path parameters of each record, by detail operation.
    """
    # As Django's test client does: the end of a request must not close the test's connection,
    # which is inside a transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            person = make_person("Maks Bokaev", variants=["Макс Бокаев"])
            group = make_person("Unnamed protesters", identity=Identity.GROUP)  # no case, no status: nulls
            organization = make_organization("Atajurt")
            theme = make_theme("Civil Society")
            case = make_case(
                "Land protests",
                people=[person],
                organizations=[organization],
                charges=[make_charge("inciting discord")],
                themes=[theme],
            )
            conviction = make_event(
                case, "2016-05", person=person, type=EventType.CONVICTED, custody=CustodyState.IMPRISONED
            )
            whole_case = make_event(case, "2018-03")  # no person
            context = make_event(None, "2018", theme=theme)  # no case
            yield {
                "/api/people/{slug}/": [{"slug": person.slug}, {"slug": group.slug}],
                "/api/organizations/{slug}/": [{"slug": organization.slug}],
                "/api/cases/{slug}/": [{"slug": case.slug}],
                "/api/events/{id}/": [{"id": event.pk} for event in (conviction, whole_case, context)],
            }
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@pytest.mark.usefixtures("published_records", "db")
@settings(max_examples=5, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_every_api_operation_answers_as_its_schema_says(case):
    # Beyond a few random examples, schemathesis's coverage phase tries each parameter's
    # boundaries and wrong types, and other HTTP methods.
    case.call_and_validate(headers=PLAIN)


@pytest.mark.usefixtures("db")
def test_every_published_record_answers_in_the_shape_its_schema_says(published_records):
    # Generated slugs and ids find nothing (404): here each detail operation shows a real record.
    detail_operations = [result.ok() for result in schema.get_all_operations() if "{" in result.ok().path]
    assert {operation.path for operation in detail_operations} == set(published_records)
    for operation in detail_operations:
        for path_parameters in published_records[operation.path]:
            response = operation.Case(path_parameters=path_parameters).call_and_validate(headers=PLAIN)
            assert response.status_code == 200, (operation.path, path_parameters)


# The same schema for the stateful test, with the lists' filters left out: the test above already
# tries every filter, and a list filtered down to nothing offers no link to follow.
unfiltered = schemathesis.openapi.from_wsgi(reverse("api:schema"), get_wsgi_application())
for path in unfiltered.raw_schema["paths"].values():
    path["get"]["parameters"] = [p for p in path["get"].get("parameters", []) if p["in"] != "query"]


@pytest.mark.usefixtures("published_records", "db")
def test_following_the_schemas_links_from_list_to_record_every_answer_is_as_documented():
    # Stateful: schemathesis calls a list, then follows the OpenAPI links in its answer (first
    # result → its detail → the records it names), validating every answer on the way.
    assert all("links" in path["get"]["responses"]["200"] for path in unfiltered.raw_schema["paths"].values())
    reached = set()

    class FollowingLinks(unfiltered.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": PLAIN}

        def after_call(self, response, case):
            if response.status_code == 200 and "{" in case.operation.path:
                reached.add(case.operation.path)

    FollowingLinks.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Generated slugs and ids find nothing; a record's own page is reached only by a link.
    assert reached == {"/api/people/{slug}/", "/api/organizations/{slug}/", "/api/cases/{slug}/", "/api/events/{id}/"}
