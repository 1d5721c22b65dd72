"""Development: `make run`. Relaxes the base settings; embedded servers when none is configured."""

import os

from .local import prepare_local_environment

prepare_local_environment(
    # Links in e-mails follow the port `make run` serves on (PORT=8080 make run); SITE_PORT is the web server's in
    # every process honcho starts (it gives each a PORT of its own).
    SITE_URL=f"http://127.0.0.1:{os.environ.get('SITE_PORT') or os.environ.get('PORT', '8000')}",
    DEBUG="true",
    SECRET_KEY="dev-only-insecure-key-never-used-in-production",
    ALLOWED_HOSTS="127.0.0.1,localhost,[::1]",
    EMAIL_URL="consolemail://",
    LOG_FORMAT="plain",
)

from .base import *  # noqa: E402,F403
