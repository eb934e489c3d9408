"""The OpenAPI schema of the public API, true to what it answers: a test runs schemathesis over it."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()


BAD_PARAMETERS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"as_of": ["Enter a valid date."]},
    },
    description="A bad query parameter: each one named, with what is wrong with it.",
)
NOT_FOUND = OpenApiResponse(
    response=NotFoundSerializer,
    description="No published record with this address, or a page past the last.",
)


class PublicApiSchema(AutoSchema):
    """Every operation also answers 400 (any filter, `page` or `as_of` can be malformed, detail
    pages included, since filters apply there too) and 404 (a missing or unpublished record, or a
    page past the last)."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset else {}
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] != "query":
                continue
            # A filter left empty is no filter, as when the public lists' forms send it.
            if parameter["name"] in filters:
                parameter["allowEmptyValue"] = True
            schema = parameter["schema"]
            if schema.get("type") == "string" and not {"format", "enum"} & schema.keys():
                # Django's forms refuse a NUL character in any text (400).
                schema["pattern"] = "^[^\\x00]*$"
        return operation

    def get_auth(self):
        # Anonymous and read-only: no operation takes credentials, so none declares security
        # (no padlock, no "Authorize" in the documentation).
        return []

    def get_response_serializers(self):
        return {200: super().get_response_serializers(), 400: BAD_PARAMETERS, 404: NOT_FOUND}
