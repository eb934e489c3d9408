"""Chunks of an export written at once by connections of their own, all on one snapshot.

A chunk's query costs the database some 15-20 µs a person on one core (index look-ups and the
text itself), the download's limit: `SnapshotWriters` runs a few chunks' queries at the same time,
each on a connection of its own, while the request's connection reads the ids. Every connection
reads one snapshot, the one the ids are read in (exported by `pg_export_snapshot`, imported by
`SET TRANSACTION SNAPSHOT`): the file is what one query would have read, however its chunks were
spread. The rows come back in the order the chunks were given.

The connections are opened with the settings of the database alias the export reads (the replica
for a visitor), and closed when the export ends, fails or is abandoned (`close`).
"""

import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager

from django.db import connections, transaction

# What the writers' connections are called in pg_stat_activity.
APPLICATION_NAME = "casetracker export"
# How long closing waits for a writer to end its query after cancelling it.
CLOSE_TIMEOUT_SECONDS = 10


def numbered_placeholders(sql: str) -> str:
    """Django's placeholders (`%s`) as PREPARE's (`$1`, `$2` …)."""
    numbers = iter(range(1, 10_000))
    return re.sub(r"%s", lambda _: f"${next(numbers)}", sql)


@contextmanager
def shared_snapshot(using: str) -> Iterator[str]:
    """A transaction on `using`'s connection whose every query reads one snapshot, and its id for
    other connections to read it too. Only outside a transaction (the caller checks)."""
    connection = connections[using]
    # Django checks a reused connection with a query of its own on its first cursor of a request:
    # here, before the transaction, whose isolation level must be set before any query.
    connection.ensure_connection()
    connection.close_if_health_check_failed()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0]


class SnapshotWriters:
    """`count` connections on the snapshot `snapshot` of the alias `using`, each in a thread of its
    own, that run the query `sql` (prepared once each, with Django's placeholders) for the
    arguments they are given (`submit`) and return its rows."""

    def __init__(self, using: str, snapshot: str, sql: str, count: int):
        self.wrapper = connections[using]
        self.snapshot = snapshot
        self.sql = sql
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.open_connections: list = []
        # The connections running a chunk's query, which closing cancels.
        self.busy: set = set()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.write, name=f"export writer {number}", daemon=True) for number in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, arguments: list) -> Future:
        future: Future = Future()
        self.tasks.put((future, arguments))
        return future

    def connect(self):
        """A connection of the writer's own, in a transaction on the shared snapshot, with the
        query prepared: its generic plan is made once, not for every chunk."""
        wrapper = self.wrapper
        connection = wrapper.Database.connect(**wrapper.get_connection_params(), application_name=APPLICATION_NAME)
        with self.lock:
            self.open_connections.append(connection)
        try:
            connection.autocommit = True
            # The time zone (and role) Django sets on its own connections.
            wrapper._configure_connection(connection)
            with connection.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [self.snapshot])
                # The plan does not depend on the chunk's ids (nested look-ups, whatever their
                # number); compiling it (JIT) would take longer than running it.
                cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"PREPARE chunk AS {numbered_placeholders(self.sql)}")
        except BaseException:
            connection.close()
            raise
        return connection

    def write(self):
        connection = None
        try:
            try:
                connection = self.connect()
            except Exception as error:
                failure = error
            else:
                failure = None
            while (task := self.tasks.get()) is not None:
                future, arguments = task
                if not future.set_running_or_notify_cancel():
                    continue
                if failure is not None:
                    future.set_exception(failure)
                    continue
                with self.lock:
                    self.busy.add(connection)
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXECUTE chunk({', '.join(['%s'] * len(arguments))})", arguments)
                        future.set_result(cursor.fetchall())
                except Exception as error:
                    future.set_exception(error)
                finally:
                    with self.lock:
                        self.busy.discard(connection)
        finally:
            if connection is not None:
                connection.close()

    def close(self):
        """Stop every writer and close its connection: after the last chunk, or a failure, or a
        download left half read (the queries under way are cancelled)."""
        while True:
            try:
                task = self.tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task[0].cancel()
        for _ in self.threads:
            self.tasks.put(None)
        with self.lock:
            for connection in self.busy:
                connection.cancel()
        for thread in self.threads:
            thread.join(CLOSE_TIMEOUT_SECONDS)


def rows_in_order(
    writers: SnapshotWriters, chunks: Iterable[list[int]], arguments: Callable[[list[int]], list], ahead: int
) -> Iterator[tuple[list[int], list]]:
    """Each chunk of ids with its query's rows, in the chunks' order, with up to `ahead` chunks
    given to the writers beyond the one awaited: enough to keep them busy, few enough that the
    memory a download takes stays that of a few chunks."""
    pending: deque[tuple[list[int], Future]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, writers.submit(arguments(chunk))))
            if len(pending) > ahead:
                chunk, future = pending.popleft()
                yield chunk, future.result()
        while pending:
            chunk, future = pending.popleft()
            yield chunk, future.result()
    finally:
        for _, future in pending:
            future.cancel()
