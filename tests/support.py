"""Support shared by tests that start another Django process (a second web process, a worker, a command)."""

import os
import subprocess
import sys
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection


def database_url_of_this_test() -> str:
    """The test database (pytest-django's test_…), as a DATABASE_URL for another process; a socket folder
    percent-encoded, as libpq reads it."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{quote(db['HOST'] or '', safe='')}{port}/{db['NAME']}"


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server, another database (tests that flush theirs leave the others alone)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":  # unix:///path/to/redis.socket: no host, which urlunsplit would drop with a slash.
        return f"unix://{parts.path}?db={db}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def _db_of(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return int(dict(parse_qsl(parts.query)).get("db", 0))
    return int(parts.path.strip("/") or 0)


def redis_cache_url() -> str:
    """A Redis database for the tests that switch the shared cache on, private to this test process.

    Clearing a Redis cache flushes its whole database: on REDIS_URL's own database that would drop the Celery
    broker's queues and results (a real worker's test running in the other xdist process would wait for nothing),
    and two xdist processes would flush each other's cache. So each process gets the database after the broker's
    plus its xdist number (gw0: +1, gw1: +2…), among Redis's 16.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    base = _db_of(settings.REDIS_URL)
    return redis_url_with_db(settings.REDIS_URL, (base + 1 + int(worker or 0)) % 16)


def redis_caches() -> dict:
    """Django's CACHES setting for the real Redis of `redis_cache_url`."""
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_cache_url()}}


def run_django(code: str, *args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run `code` in a new Python process with the test settings, this test's database and the same Redis."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
        **(env or {}),
    }
    prelude = "import sys\nimport django\ndjango.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code, *args],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_until(condition, timeout: float = 30):
    """Poll `condition` (every 50 ms) until it returns something true, and return it; False after `timeout`
    seconds. For what another process or thread does (a worker's e-mail): the test then asserts the result."""
    import time

    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return result
