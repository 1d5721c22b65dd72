"""The anonymous full-page cache's invalidation: one generation number in Redis that every public page's key holds.

Anything a public page shows (a Wagtail page, a news item, a Maison, its hours or closures…) calls
``public_pages_changed()`` once its change is committed; every cached page is then stale at once.
"""

import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "pagecache:generation"


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def public_pages_changed() -> None:
    """Make every cached public page stale, after the current transaction commits (readers never see it before)."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # Not set yet, or evicted: a value from the clock differs from any key cached before.
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
