from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

router = views.ApiRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("cases", views.CaseViewSet, basename="case")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Last: an address no route takes (such as a slug with a slash) answers like a missing record,
    # in JSON as the schema says. Only addresses ending in "/", so a missing slash is still added.
    re_path(r"^.*/$", views.not_found, name="not-found"),
]
