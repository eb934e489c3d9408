from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("cases.api.urls")),
]

# The public site: English at the plain addresses, Russian under /ru/. The language switch
# sits among them because it reads the address of the page it was sent from, and can only
# resolve a /ru/ address while Russian is active.
urlpatterns += i18n_patterns(
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("cases.urls")),
    prefix_default_language=False,
)
