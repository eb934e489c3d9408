"""Settings for casetracker, read from the environment.

Development needs nothing set: DEBUG is off unless asked for, and without
DATABASE_URL the app uses an SQLite file in the project folder.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")

# Without SECRET_KEY and with DEBUG off, the key stays empty: commands that need no key
# (migrate, check) still run, and Django refuses loudly the first time a key is used.
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    # A fresh key per process: sessions do not survive a restart, which is fine here.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# The site's permanent public address, such as https://casetracker.example.org: Atom ids, canonical
# links, the sitemap and "Cite as" are built on it, so they stay the same whatever host name a
# request came in on. Unset (development), the request's own host is used.
SITE_URL = os.getenv("SITE_URL", "").strip().rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL must be a scheme and host such as https://example.org, not {SITE_URL!r}")

INSTALLED_APPS = [
    # The admin site, replaced by one that demands a second factor (casetracker/admin.py).
    "casetracker.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # trigram search on PostgreSQL (cases.search); harmless on SQLite
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # passkeys as a second factor
    "axes",
    "import_export",
    "django_countries",  # ISO 3166-1 codes and their names in English and Russian
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which compresses static files itself; above every middleware that may set a
    # cookie or add a token, so it sees the finished response and leaves those uncompressed.
    "casetracker.middleware.CompressPublicResponses",
    # Before anything reads the database: an anonymous visitor's reads may go to a replica.
    "casetracker.middleware.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Inside the language and the user: a page is cached per language, and never for a researcher.
    "casetracker.middleware.PublicCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casetracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.page_address",
                "cases.context_processors.preview",
            ],
        },
    },
]

WSGI_APPLICATION = "casetracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A streaming replica of the primary: anonymous visitors' reads go there (casetracker/routers.py).
if replica_url := os.getenv("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["casetracker.routers.ReplicaRouter"]

# Public pages for anonymous visitors (casetracker/middleware.py): in each server process's memory,
# or in one Redis that every app server shares when REDIS_URL is set.
if redis_url := os.getenv("REDIS_URL", ""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
# Off, pages still carry an ETag and a public Cache-Control, but no Last-Modified: only the cache reads
# the generation of the public pages (cases.caching) it comes from.
PUBLIC_PAGE_CACHE = envbool("PUBLIC_PAGE_CACHE", "true")
PUBLIC_CACHE_ALIAS = "default"
# How long a page stays in the server's cache (a change to the records retires it at once anyway).
PUBLIC_CACHE_TIMEOUT = int(os.getenv("PUBLIC_CACHE_TIMEOUT", "600"))
# How long a browser or a CDN may show its copy before asking again (then a 304 when unchanged);
# an unpublished record can linger there this long.
PUBLIC_CACHE_MAX_AGE = int(os.getenv("PUBLIC_CACHE_MAX_AGE", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+IP pair is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en"
# English at the plain addresses, Russian under /ru/ (see casetracker/urls.py). Record content
# (names, summaries, quotes) stays as entered; only the interface is translated.
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates read as on the public pages ("17 August 2018"), in the admin too.
FORMAT_MODULE_PATH = ["casetracker.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Source attachments (court decisions, letters): outside the static files, never under a public
# URL; staff download them through an admin view that checks permissions.
PRIVATE_MEDIA_ROOT = Path(os.getenv("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
FILE_UPLOAD_PERMISSIONS = 0o600
# The largest attachment accepted, in megabytes; its type is checked too (cases/attachments.py).
ATTACHMENT_MAX_MB = int(os.getenv("ATTACHMENT_MAX_MB", "50"))
# The largest portrait accepted, in megabytes (cases/portraits.py); it is kept in the same private
# storage and reaches the public only through a view that checks publication and consent.
PORTRAIT_MAX_MB = int(os.getenv("PORTRAIT_MAX_MB", "10"))
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# A custody status whose latest report is older than this many months is said as "at last
# report" and "unconfirmed since …", never as "now" (cases.dates.confirmed_since).
CUSTODY_CONFIRMED_MONTHS = int(os.getenv("CUSTODY_CONFIRMED_MONTHS", "12"))
if CUSTODY_CONFIRMED_MONTHS < 1:
    raise ImproperlyConfigured(f"CUSTODY_CONFIRMED_MONTHS must be at least 1, not {CUSTODY_CONFIRMED_MONTHS}")

# The report chapter the seed data comes from; tests compare quotes with it when present.
REPORT_SEEDS_DIR = Path(os.getenv("REPORT_SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds"))

REST_FRAMEWORK = {
    # The API is public, anonymous and read-only: it reads no credentials, so no password can be
    # tried there without the second factor the admin asks for.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cases.api.pagination.StrictPageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "cases.api.schema.PublicApiSchema",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "casetracker API",
    "DESCRIPTION": (
        "Read-only access to the published people, organisations, cases and events of casetracker.\n\n"
        "**No authentication is needed**: the API is anonymous, takes no key, password or session, and "
        "answers every request the same way. Each list takes the filters of the public lists and is "
        "paginated (`page`, `page_size`).\n\n"
        "The same lists download as CSV or JSON files from the public site, filtered the same way: "
        "[people](/people/export.csv), [organisations](/organizations/export.csv), [cases](/cases/export.csv), "
        "[events](/events/export.csv) (or `export.json`). The API's front page is [/api/](/api/)."
    ),
    # Anonymous: no operation declares security (see cases.api.schema.PublicApiSchema.get_auth).
    "SECURITY": [],
    "AUTHENTICATION_WHITELIST": [],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation is Redoc, from our own static files: no third-party CDN, so a strict CSP holds.
    "REDOC_DIST": "SIDECAR",
    "REDOC_UI_SETTINGS": {
        # Search runs in a worker made from a blob: address, which the CSP does not allow.
        "disableSearch": True,
        "hideDownloadButton": False,
        "expandResponses": "200",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "cases.api.schema.add_links"],
    # Several vocabularies have a field called "kind": name each enum after its vocabulary.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cases.choices.CaseKind",
        "OrganizationKindEnum": "cases.choices.OrganizationKind",
        "VariantKindEnum": "cases.choices.VariantKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# Researchers' accounts -----------------------------------------------------------------------

# The only sign-in is the admin's: where it goes when the `next` address is missing or refused.
LOGIN_REDIRECT_URL = "admin:index"

# Sessions end after an hour without a request (each request renews the hour) and with the browser.
SESSION_COOKIE_AGE = int(os.getenv("SESSION_COOKIE_AGE", str(60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# TOTP codes: the issuer shown in the authenticator app; slow down guessing after failures.
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "casetracker")
OTP_TOTP_THROTTLE_FACTOR = 1

# Passkeys (WebAuthn, django-otp-webauthn) as a second factor beside the app's codes: after the
# password, never instead of it. A passkey works only on the domain it was made for (the relying
# party), reached from one of the allowed origins.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = os.getenv("OTP_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = os.getenv("OTP_WEBAUTHN_RP_NAME", "casetracker")
OTP_WEBAUTHN_ALLOWED_ORIGINS = envlist("OTP_WEBAUTHN_ALLOWED_ORIGINS", "http://localhost:8000")
# On: every staff sign-in needs a passkey; app codes and backup codes only lead to registering one.
PASSKEYS_REQUIRED = envbool("PASSKEYS_REQUIRED", "false")

# Lockout after repeated failures, keyed on username and IP together: an attacker elsewhere
# cannot lock a researcher out, and cannot guess one account from many addresses unnoticed.
AXES_FAILURE_LIMIT = int(os.getenv("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.getenv("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address is REMOTE_ADDR, which no client can forge. Behind N trusted proxies set
# AXES_IPWARE_PROXY_COUNT=N to read it from X-Forwarded-For instead.
AXES_IPWARE_PROXY_COUNT = int(os.getenv("AXES_IPWARE_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Bulk import: needs the "add" permission of the model; every import is one transaction.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Production hardening ------------------------------------------------------------------------

# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO=https
if proxy_header := os.getenv("SECURE_PROXY_SSL_HEADER", ""):
    header, _, value = proxy_header.partition("=")
    if not header.startswith("HTTP_") or not value:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https")
    SECURE_PROXY_SSL_HEADER = (header, value)

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
# The language choice, like the session: not sent with other sites' embedded requests or forms,
# and not readable by a script (none needs it).
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): our own files only, no inline script or style anywhere.
# The admin loads every script from files, and so do the API docs (Redoc and its start-up script);
# the docs alone add to the policy what Redoc's styles need (cases.api.views.ApiDocsView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
