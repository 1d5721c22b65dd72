"""Tests: `make test`. Relaxes the base settings; embedded servers when none is configured."""

import os

from devtools.embedded import ensure_services

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO_DATA_ALLOWED", "true")
os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SITE_URL", "http://testserver")
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
ensure_services()

from .base import *  # noqa: E402,F403
from .base import DATABASES, TEMPLATES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Static files without the manifest, so that tests need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Each test gets a clean cache: locmem, unless a test asks for the real Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}


class _FailOnInvalidVariable(str):
    """Make an unknown template variable an error instead of an empty string (les-emplois tests/conftest.py)."""

    def __mod__(self, variable):
        from django.template import TemplateSyntaxError

        raise TemplateSyntaxError(f"Variable de gabarit inconnue : {variable!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _FailOnInvalidVariable("%s")
