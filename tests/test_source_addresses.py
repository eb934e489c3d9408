"""A source's addresses are web addresses (http, https) whatever stores them, and only those become links."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cases.models import Source

from .factories import make_case, make_event, make_person, make_source

pytestmark = pytest.mark.django_db

SCRIPT_ADDRESSES = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "VBScript:MsgBox(1)"]
CHECKS = ["cases_source_url_is_web_address", "cases_source_archived_url_is_web_address"]


def store_as_an_old_row(source, **addresses):
    """Write `addresses` past the database's checks, as a row from before them would hold them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:  # dropped inside the test's transaction, so back when it rolls back
            for name in CHECKS:
                cursor.execute(f'ALTER TABLE cases_source DROP CONSTRAINT IF EXISTS "{name}"')
    try:
        Source.objects.filter(pk=source.pk).update(**addresses)
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
def test_every_path_refuses_an_address_that_is_not_a_web_address(address):
    with pytest.raises(ValidationError) as refused:
        Source(title="Verdict", slug="verdict", url=address, archived_url=address).full_clean()
    assert set(refused.value.message_dict) >= {"url", "archived_url"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="Verdict", slug="verdict", url=address)
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(archived_url=address)


def test_the_admin_refuses_an_address_that_is_not_a_web_address_with_a_message(researcher_client):
    data = {"title": "Verdict", "slug": "verdict", "url": "ftp://example.org/verdict.pdf", "language": "ru"}
    data["reliability"] = "unknown"
    response = researcher_client.post(reverse("admin:cases_source_add"), data)
    assert response.status_code == 200
    assert "starting with http:// or https://" in response.content.decode()
    assert not Source.objects.exists()


def test_an_old_script_address_becomes_a_link_nowhere_feeds_included(client):
    source = make_source("Verdict", slug="verdict")
    person = make_person("Max Bokayev")
    case = make_case("Prosecution of Max Bokayev", people=[person])
    make_event(case, source=source)
    store_as_an_old_row(source, url="javascript:alert(1)")
    pages = [
        reverse("cases:source-list"),
        source.get_absolute_url(),
        person.get_absolute_url(),
        case.get_absolute_url(),
        reverse("cases:feed-updates"),
        reverse("cases:feed-person", args=[person.slug]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "javascript:" not in response.content.decode(), page
