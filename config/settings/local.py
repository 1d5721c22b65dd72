"""What development and tests relax before the base settings read the environment (this machine, plain HTTP)."""

import os

from devtools.embedded import ensure_services

LOCAL_DEFAULTS = {
    "DEMO_DATA_ALLOWED": "true",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
}


def prepare_local_environment(**defaults: str) -> None:
    """Give unset variables local defaults, then point DATABASE_URL/REDIS_URL at embedded servers if unset."""
    for name, value in {**LOCAL_DEFAULTS, **defaults}.items():
        os.environ.setdefault(name, value)
    ensure_services()
