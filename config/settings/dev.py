"""Development: `make run`. Relaxes the base settings; embedded servers when none is configured."""

from .local import prepare_local_environment

prepare_local_environment(
    DEBUG="true",
    SECRET_KEY="dev-only-insecure-key-never-used-in-production",
    ALLOWED_HOSTS="127.0.0.1,localhost,[::1]",
    EMAIL_URL="consolemail://",
)

from .base import *  # noqa: E402,F403
