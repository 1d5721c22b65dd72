"""Values every public page reads (the menu, the news filters' choices), cached until a public page changes.

The key holds core.pagecache's generation: whatever makes the public pages stale (a page published, a Maison
or the menu changed) makes these values stale too, with no invalidation of its own to forget.
"""

from collections.abc import Callable

from django.core.cache import cache

from core.pagecache import generation

TIMEOUT = 24 * 60 * 60


def cached_for_public_pages(name: str, compute: Callable):
    key = f"pages:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
