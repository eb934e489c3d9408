"""The researchers' workspace: every record with its history, review before publication, a
one-form status update, duplicate warnings and merge, bulk import and the stale-cases dashboard.

One module per part of the domain, as in cases.models; importing them registers their admins.
"""

from .cases import CaseAdmin
from .derived import CustodySpanAdmin, ImportedItemAdmin
from .events import EventAdmin
from .people import OrganizationAdmin, PersonAdmin
from .sources import SourceAdmin
from .vocabularies import ChargeAdmin, ThemeAdmin

__all__ = [
    "CaseAdmin",
    "ChargeAdmin",
    "CustodySpanAdmin",
    "EventAdmin",
    "ImportedItemAdmin",
    "OrganizationAdmin",
    "PersonAdmin",
    "SourceAdmin",
    "ThemeAdmin",
]
