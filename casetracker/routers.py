"""Public reads on a replica when DATABASE_REPLICA_URL names one; everything else on the primary.

What is public is decided per request (PublicReadsMiddleware): an anonymous visitor's GET or HEAD
outside the admin. Writes, the admin, a signed-in researcher's every read, and anything outside a
request (commands, the shell) use the primary, so a researcher always sees what they just saved.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"

_public_reads: ContextVar[bool] = ContextVar("public_reads", default=False)


@contextmanager
def public_reads():
    """Inside it, reads go to the replica (when there is one)."""
    token = _public_reads.set(True)
    try:
        yield
    finally:
        _public_reads.reset(token)


def is_public_request(request) -> bool:
    """An anonymous visitor reading: no session cookie (every researcher has one), a safe method,
    not the admin."""
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith("/admin/")
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _public_reads.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point at one from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by streaming replication; it is never migrated itself.
        return db == PRIMARY
