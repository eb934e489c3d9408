"""The domain: who is persecuted, in which case, what happened when, and who says so."""

from .base import ImportedItem
from .cache import PublicGeneration
from .cases import Case, Charge, ChargePeople, Theme
from .custody import (
    CategoryTally,
    CustodyDayTally,
    CustodyMonthTally,
    CustodySpan,
    CustodyTally,
    PersonCategory,
    SharedCaseLink,
    Slice,
    SliceCategoryTally,
    SliceMonthTally,
)
from .events import Citation, Event, PersonEventPeriod
from .figures import FigureInterval, FigureShare, FigureSnapshot
from .people import Headcount, NameVariant, Organization, Person
from .sources import Source

__all__ = [
    "Case",
    "CategoryTally",
    "Charge",
    "ChargePeople",
    "Citation",
    "CustodyDayTally",
    "CustodyMonthTally",
    "CustodySpan",
    "CustodyTally",
    "Event",
    "FigureInterval",
    "FigureShare",
    "FigureSnapshot",
    "Headcount",
    "ImportedItem",
    "NameVariant",
    "Organization",
    "Person",
    "PersonCategory",
    "PersonEventPeriod",
    "PublicGeneration",
    "SharedCaseLink",
    "Slice",
    "SliceCategoryTally",
    "SliceMonthTally",
    "Source",
    "Theme",
]
