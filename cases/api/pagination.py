from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    """Page numbering where a malformed page number is the client's error (400), not a 404."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and value != "last" and not (value.isdigit() and int(value) > 0):
                raise ValidationError({name: [_("Must be a whole number of 1 or more.")]})
        return super().paginate_queryset(queryset, request, view)
