"""Development: `make run`. Relaxes the base settings; embedded servers when none is configured."""

import os

from devtools.embedded import ensure_services

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DEMO_DATA_ALLOWED", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_URL", "consolemail://")
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
ensure_services()

from .base import *  # noqa: E402,F403
