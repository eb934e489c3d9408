"""Public pages. Only published records exist for them: anything else answers 404.

One module per kind of page, as in cases.models: home, people (and organisations), cases (and
charges, themes), sources; the lists, their exports and the statistics; meta for what every page
says about itself.
"""

from .cases import case_detail, charge_detail, charge_list, theme_detail, theme_list
from .home import home
from .people import organization_detail, person_detail, person_portrait
from .sources import source_detail, source_list

__all__ = [
    "case_detail",
    "charge_detail",
    "charge_list",
    "home",
    "organization_detail",
    "person_detail",
    "person_portrait",
    "source_detail",
    "source_list",
    "theme_detail",
    "theme_list",
]
