"""Admin lists that do not count a large table row by row."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and a small table's estimate may be stale.
ESTIMATE_ABOVE = 10_000


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list takes its length from the planner's estimate
    (`pg_class.reltuples`, kept by autovacuum and ANALYZE) instead of a COUNT over the whole
    table; a filtered or searched list, or a small table, is counted exactly."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                    )
                    row = cursor.fetchone()
                if row is not None and row[0] > ESTIMATE_ABOVE:
                    return int(row[0])
        return super().count
