from django.urls import path, register_converter

from . import feeds, views
from .views import exports, lists, search, statistics

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.site_search, name="search"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("people/<slug:slug>/portrait/", views.person_portrait, name="person-portrait"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("cases/<slug:slug>/", views.case_detail, name="case-detail"),
    path("charges/", views.charge_list, name="charge-list"),
    path("themes/", views.theme_list, name="theme-list"),
    path("charges/<slug:slug>/", views.charge_detail, name="charge-detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("feeds/updates/", feeds.UpdatesFeed(), name="feed-updates"),
    path("feeds/people/<slug:slug>/", feeds.PersonFeed(), name="feed-person"),
    path("feeds/organizations/<slug:slug>/", feeds.OrganizationFeed(), name="feed-organization"),
    path("feeds/cases/<slug:slug>/", feeds.CaseFeed(), name="feed-case"),
    path("feeds/charges/<slug:slug>/", feeds.ChargeFeed(), name="feed-charge"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeFeed(), name="feed-theme"),
]

# The lists, their downloads and the statistics (cases.views.lists, .exports, .statistics).


class ExportFormat:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "export_format")

urlpatterns += [
    path("people/", lists.person_list, name="person-list"),
    path("people/export.<export_format:fmt>", exports.export, {"dataset": "people"}, name="person-export"),
    path("organizations/", lists.organization_list, name="organization-list"),
    path(
        "organizations/export.<export_format:fmt>",
        exports.export,
        {"dataset": "organizations"},
        name="organization-export",
    ),
    path("cases/", lists.case_list, name="case-list"),
    path("cases/export.<export_format:fmt>", exports.export, {"dataset": "cases"}, name="case-export"),
    path("events/", lists.event_list, name="event-list"),
    path("events/export.<export_format:fmt>", exports.export, {"dataset": "events"}, name="event-export"),
    path("statistics/", statistics.statistics, name="statistics"),
]
