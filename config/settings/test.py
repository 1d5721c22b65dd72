"""Tests: `make test`. Relaxes the base settings; embedded servers when none is configured."""

import os

from .local import prepare_local_environment

prepare_local_environment(
    DEBUG="false",
    SECRET_KEY="test-only-insecure-key",
    ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    SITE_URL="http://testserver",
)

from .base import *  # noqa: E402,F403
from .base import DATABASES, TEMPLATES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Grouped change notices wait a moment for the rest of their change (notifications/services.py): a second in tests.
NOTIFICATIONS_MERGE_SECONDS = 1
# Files the tests upload or generate (the demonstration's images, Wagtail's renditions): a folder per test process,
# never the project's media/, so that one xdist worker reseeding the demonstration cannot rewrite a file another
# worker's browser is loading. Tests that need an empty folder still set their own (tmp_path).
# A MEDIA_ROOT in the environment still wins (the backup tests' subprocesses name theirs).
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or (
    BASE_DIR / "var" / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
)
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
# Rate limits are off in tests, except those that switch them on (accounts/tests/test_ratelimit.py) with the
# production limits kept here.
PRODUCTION_ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS  # noqa: F405
ACCOUNT_RATE_LIMITS = False
# The page cache is off, except in the tests that switch it on against the real Redis (core/tests/test_pagecache.py).
PAGE_CACHE_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}


class _FailOnInvalidVariable(str):
    """Make an unknown template variable an error instead of an empty string (les-emplois tests/conftest.py).

    Only in the portal's own templates: the libraries' (Wagtail's admin above all) rely on Django's silence, and
    the portal cannot fix them. The template being rendered is the `context` of the frame that asks.
    """

    def __mod__(self, variable):
        import sys

        from django.template import TemplateSyntaxError

        context = sys._getframe(1).f_locals.get("context")
        template = getattr(context, "template", None)
        origin = getattr(getattr(template, "origin", None), "name", "") or ""
        if "site-packages" in origin:
            return ""
        raise TemplateSyntaxError(f"Variable de gabarit inconnue : {variable!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _FailOnInvalidVariable("%s")
