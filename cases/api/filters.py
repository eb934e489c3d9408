"""The API's query-string filters are the public lists' own (cases.filters): one meaning per parameter."""

from ..filters import CaseFilter, EventFilter, OrganizationFilter, PersonFilter

__all__ = ["CaseFilter", "EventFilter", "OrganizationFilter", "PersonFilter"]
