from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("cases/<slug:slug>/", views.case_detail, name="case-detail"),
    path("charges/<slug:slug>/", views.charge_detail, name="charge-detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
]
