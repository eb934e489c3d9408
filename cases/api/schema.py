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


# How a client goes from one answer to the next (OpenAPI links): each list to its first record, and
# each record to those it names. schemathesis's stateful tests follow them (tests/test_api_schema.py).
LINKS: dict[str, dict[str, tuple[str, str, str]]] = {
    "people_list": {"FirstPerson": ("people_retrieve", "slug", "/results/0/slug")},
    "organizations_list": {"FirstOrganization": ("organizations_retrieve", "slug", "/results/0/slug")},
    "cases_list": {"FirstCase": ("cases_retrieve", "slug", "/results/0/slug")},
    "events_list": {"FirstEvent": ("events_retrieve", "id", "/results/0/id")},
    "people_retrieve": {
        "TheirFirstCase": ("cases_retrieve", "slug", "/cases/0/slug"),
        "TheirFirstEvent": ("events_retrieve", "id", "/cases/0/events/0/id"),
    },
    "organizations_retrieve": {"ItsFirstCase": ("cases_retrieve", "slug", "/cases/0/slug")},
    "cases_retrieve": {
        "ItsFirstPerson": ("people_retrieve", "slug", "/people/0/slug"),
        "ItsFirstOrganization": ("organizations_retrieve", "slug", "/organizations/0/slug"),
        "ItsFirstEvent": ("events_retrieve", "id", "/events/0/id"),
    },
    "events_retrieve": {
        "ItsPerson": ("people_retrieve", "slug", "/person"),
        "ItsCase": ("cases_retrieve", "slug", "/case"),
    },
}


def add_links(result, generator, request, public):
    """A drf-spectacular postprocessing hook: the LINKS above on each operation's 200 answer."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            links = LINKS.get(operation.get("operationId"), {})
            if links and "200" in operation.get("responses", {}):
                operation["responses"]["200"]["links"] = {
                    name: {"operationId": target, "parameters": {parameter: f"$response.body#{pointer}"}}
                    for name, (target, parameter, pointer) in links.items()
                }
    return result
