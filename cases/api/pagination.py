from functools import partial

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ..paging import MAX_ROWS, CappedPaginator


def past_cap_message(pages: int) -> str:
    return _(
        "Only the first %(pages)s pages of a list are served: narrow the filters, or download the whole list "
        "from the exports."
    ) % {"pages": pages}


def is_whole_number(value: str, low: int, high: int | None = None) -> bool:
    # isdigit() alone lets through "²", which int() refuses.
    return value.isascii() and value.isdigit() and low <= int(value) and (high is None or int(value) <= high)


class StrictPageNumberPagination(PageNumberPagination):
    """Page numbering where a malformed page number or page size is the client's error (400),
    not a 404 or a silently different page; the schema states the bounds it enforces.

    Counts and pages stop after MAX_ROWS rows (see cases.paging): `count_is_minimum` says the list
    is longer, and a page past them is refused with what to do instead.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not is_whole_number(page, 1):
            raise ValidationError({self.page_query_param: [_("Must be a whole number of 1 or more.")]})
        page_size = request.query_params.get(self.page_size_query_param)
        if page_size is not None and not is_whole_number(page_size, 1, self.max_page_size):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        # The rows of a page read from the records as the view serves them, when it says (cases.paging).
        rows = view.page_rows() if hasattr(view, "page_rows") else None
        self.django_paginator_class = partial(CappedPaginator, rows=rows)
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        number = super().get_page_number(request, paginator)
        if number not in self.last_page_strings and paginator.is_past_cap(number):
            raise ValidationError({self.page_query_param: [past_cap_message(paginator.num_pages)]})
        return number

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_minimum"] = self.page.paginator.count_is_capped
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            f"How many records match, counted up to {MAX_ROWS + 1:,}: more than {MAX_ROWS:,} when "
            "`count_is_minimum` is true."
        )
        paginated["properties"]["count_is_minimum"] = {
            "type": "boolean",
            "description": f"True when more than {MAX_ROWS:,} records match: only the pages within the first "
            f"{MAX_ROWS:,} are served; narrow the filters, or download the whole list (see `exports` at the API root).",
        }
        paginated["required"] = ["count", "count_is_minimum", "next", "previous", "results"]
        return paginated

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        page["schema"] = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]}
        page["description"] = (
            f"A page number from 1, or `last`. A page past the last answers 404; one past the first {MAX_ROWS:,} "
            "records answers 400."
        )
        page_size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        page_size["description"] = f"Results per page, at most {self.max_page_size} (default {self.page_size})."
        return [page, page_size]


class PeoplePagination(StrictPageNumberPagination):
    """Pages of people, with how many individuals the whole filtered list stands for: `count` counts
    records, and a group record is many people (or an unknown number)."""

    def paginate_queryset(self, queryset, request, view=None):
        # After the page: a search's matches, read for it, are then counted by their keys.
        page = super().paginate_queryset(queryset, request, view)
        self.headcount = queryset.headcount()
        return page

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["individuals"] = self.headcount.individuals
        response.data["individuals_is_minimum"] = self.headcount.at_least
        response.data["groups_of_unknown_size"] = self.headcount.unknown_groups
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"].update(
            individuals={
                "type": "integer",
                "minimum": 0,
                "description": "How many people the records matching the filters stand for: a group counts as "
                "its size; groups of unknown size are left out and counted in `groups_of_unknown_size`.",
            },
            individuals_is_minimum={
                "type": "boolean",
                "description": "True when a group's size is a minimum (“at least 12”), so `individuals` is too.",
            },
            groups_of_unknown_size={"type": "integer", "minimum": 0},
        )
        paginated["required"] = [
            *paginated["required"],
            *("individuals", "individuals_is_minimum", "groups_of_unknown_size"),
        ]
        return paginated
