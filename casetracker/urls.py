from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from cases.sitemaps import SITEMAPS
from cases.views.site import robots_txt, sitemap_index

urlpatterns = [
    path("admin/", admin.site.urls),
    # The passkey ceremonies (django-otp-webauthn): JSON for the admin's sign-in and passkey pages.
    path("webauthn/", include("django_otp_webauthn.urls")),
    path("api/", include("cases.api.urls")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots-txt"),
]

# The public site: English at the plain addresses, Russian under /ru/. The language switch
# sits among them because it reads the address of the page it was sent from, and can only
# resolve a /ru/ address while Russian is active. Without a CSRF token: a token on every page would
# set a cookie and make every page vary on it, so none could be cached; a forged switch can do no
# more than choose a language for a page whose address already says which.
urlpatterns += i18n_patterns(
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("cases.urls")),
    prefix_default_language=False,
)

# Error pages in the site's layout (templates/404.html …); a database that is away answers 503.
handler500 = "cases.views.errors.server_error"
