"""Settings for the test suite: production settings with a fixed key, a fast hasher, plain HTTP.

pytest points DJANGO_SETTINGS_MODULE here (pyproject.toml); nothing else imports this module.
"""

from .settings import *  # noqa: F403

SECRET_KEY = "tests-only-not-secret-" + "x" * 40  # noqa: S105

# Hashing a password the production way takes a good part of a second; tests make many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP to a server with no proxy in front.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False

# No collected folder and no manifest in tests. WhiteNoise serves nothing here: with the finders it
# would index every app's static files again for each test client (a good part of the suite's time).
# The browser tests' live server serves static files through Django's own handler.
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No cache of public pages: tests write inside a transaction that never commits, so the cache's
# generation (moved on commit) would never move. tests/test_public_cache.py turns the cache on and
# runs the commit callbacks.
PUBLIC_PAGE_CACHE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# A second alias for the same database, as a replica would be: tests/test_replica_router.py routes
# public reads to it. Unused unless a test installs the router.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
