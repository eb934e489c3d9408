from django.urls import path

from . import feeds, views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("cases/<slug:slug>/", views.case_detail, name="case-detail"),
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
