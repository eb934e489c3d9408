"""Pages of a long list that neither count nor skip every match: the public lists and the API.

A list counts its matches only up to one past `MAX_ROWS` and offers no page beyond them. Counting
and skipping a hundred thousand rows costs seconds on every request; a visitor who needs more than
the first pages narrows the filters, or downloads the whole list (the exports stream every row).
"""

from math import ceil

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# 100 pages of the public lists' 25 rows.
MAX_ROWS = 2_500


class CappedPaginator(Paginator):
    """A Paginator whose `count` stops at `MAX_ROWS + 1` (then `count_is_capped`) and whose pages
    stop at the last one that fits within `MAX_ROWS`."""

    max_rows = MAX_ROWS

    @cached_property
    def count(self) -> int:
        objects = self.object_list
        if hasattr(objects, "order_by"):
            # One row past the cap tells that there are more; the order does not change how many.
            return objects.order_by()[: self.max_rows + 1].count()
        return min(len(objects), self.max_rows + 1)

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.max_rows

    @property
    def max_pages(self) -> int:
        return max(1, self.max_rows // self.per_page)

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        return min(ceil(hits / self.per_page), self.max_pages)

    def is_past_cap(self, number) -> bool:
        """Whether page `number` lies beyond the pages offered only because the list was cut short."""
        return self.count_is_capped and int(number) > self.num_pages
