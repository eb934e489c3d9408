"""Which generation the public pages are in, and moving it on after a change the public could see.

Cached pages (casetracker.middleware.PublicCacheMiddleware) are kept under the generation's number.
It lives in the database rather than in the cache: the local-memory cache is one per server
process, and every process must retire its pages when any of them (or a command) changes a record.
"""

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import F
from django.utils import timezone

from .models import PublicGeneration


def current_generation() -> tuple[int, datetime | None]:
    """The number the public pages are cached under, and when it last moved (one indexed read).

    Read through the router, from the same database as the page's records: on a replica the number
    arrives with the changes it stands for, never before them."""
    row = (
        PublicGeneration.objects.using(router.db_for_read(PublicGeneration))
        .filter(pk=1)
        .values_list("number", "changed_at")
        .first()
    )
    return row if row is not None else (0, None)


def _next_generation() -> None:
    updated = PublicGeneration.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        PublicGeneration.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": timezone.now()})


def public_pages_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire every cached public page once the current transaction commits (at once outside one).

    After the commit, not inside the transaction: a page rendered in between is then at worst new
    data under the old number, never old data under the new one; and writers do not queue on the
    row (or deadlock over it) while their transactions run. Called many times in one transaction,
    it moves the number once.
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(entry[1] is _next_generation for entry in connection.run_on_commit):
        return
    transaction.on_commit(_next_generation, using=using)
