"""Pages of a long list that neither count nor skip every match: the public lists and the API.

A list counts its matches only up to one past `MAX_ROWS` and offers no page beyond them. Counting
and skipping a hundred thousand rows costs seconds on every request; a visitor who needs more than
the first pages narrows the filters, or downloads the whole list (the exports stream every row).
"""

from math import ceil

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .search import SEARCH_RANK, searched_keys

# 40 pages of the public lists' 25 rows: page 40 of the people reads its keys in about 15 ms at 100,000 people.
MAX_ROWS = 1_000


class CappedPaginator(Paginator):
    """A Paginator whose `count` stops at `MAX_ROWS + 1` (then `count_is_capped`) and whose pages
    stop at the last one that fits within `MAX_ROWS`."""

    max_rows = MAX_ROWS

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, rows=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        # The records as a page shows them, unfiltered (see `page`); None: the filtered list's own.
        self.rows = rows

    @cached_property
    def searched_keys(self) -> list | None:
        """A search's keys in the list's order, up to one past the cap, or None for a list that is
        no search. A search ranks every match, fuzzy ones by a trigram comparison each, to show any
        page of them: one read of the keys then gives the count and every page, rather than one to
        count the matches and another to order them."""
        objects = self.object_list
        if not isinstance(objects, QuerySet):
            return None
        # The newest events a search kept are in hand already, in the list's order.
        if (in_hand := getattr(objects, "keys_in_order", lambda: None)()) is not None:
            return in_hand[: self.max_rows + 1]
        if SEARCH_RANK in objects.query.annotations:
            keys = searched_keys(objects, self.max_rows + 1)
            if len(keys) <= self.max_rows:
                # Every match is in hand: a list that also sums its matches (a headcount) reads these.
                getattr(objects, "found_all", lambda keys: None)(keys)
            return keys
        return None

    @cached_property
    def count(self) -> int:
        objects = self.object_list
        if self.searched_keys is not None:
            return len(self.searched_keys)
        if isinstance(objects, QuerySet):
            # A QuerySet whose headcounts count its rows too (a period's people) says how many.
            if (known := getattr(objects, "known_count", lambda: None)()) is not None:
                return min(known, self.max_rows + 1)
            # One row past the cap tells that there are more; neither the order nor the columns
            # change how many, and without them the joins only the columns needed can be dropped.
            return objects.order_by().values("pk")[: self.max_rows + 1].count()
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

    def page(self, number):
        """The page, read in two steps: the keys of the page in the list's order, then the rows of
        those keys. The sort and the OFFSET then carry keys alone, not rows with every join their
        columns need: a sort the database cannot read from an index keeps only a page's worth of
        keys, and each join is made for the page's rows alone. The QuerySet reads its keys
        (`keys_between`), in its own way where its order has a faster one (the people by latest
        change on a date, from indexes).

        With `rows`, the second step reads them from the records as shown, without the filters that
        chose them: the database would otherwise test each filter again on every match (a theme
        that 28,000 people's cases share) before keeping the page's 25. Without `rows` (the API's
        lists but its people), the first page is read in one query as the list is."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        objects = self.object_list
        if not isinstance(objects, QuerySet) or (bottom == 0 and self.rows is None):
            return super().page(number)
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        if self.searched_keys is not None:
            keys = self.searched_keys[bottom:top]
        else:
            keys = objects.keys_between(bottom, top, self.count)
        if self.rows is None:
            return Page(objects.filter(pk__in=keys), number, self)
        found = {row.pk: row for row in self.rows.filter(pk__in=keys)}
        return Page([found[key] for key in keys if key in found], number, self)

    def is_past_cap(self, number) -> bool:
        """Whether page `number` lies beyond the pages offered only because the list was cut short."""
        return self.count_is_capped and int(number) > self.num_pages
