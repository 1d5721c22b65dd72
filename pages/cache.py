"""Values every public page reads (the menu, the news filters' choices), cached until a public page changes.

The key holds core.pagecache's generation: whatever makes the public pages stale (a page published, a Maison
or the menu changed) makes these values stale too, with no invalidation of its own to forget.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache

from core.pagecache import generation

TIMEOUT = 24 * 60 * 60
# The values this process read last, by key: the generation is in the key, so a value kept here is as fresh as the
# shared cache's, and a page that reads the menu, the settings and the filters' choices costs no Redis round trip
# for them while nothing changes. Bounded; kept LOCAL_SECONDS at most.
LOCAL_SIZE = 256
LOCAL_SECONDS = 300
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str):
    with _local_lock:
        found = _local.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        _local.move_to_end(key)
        return found[1]


def _local_set(key: str, value) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + LOCAL_SECONDS, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)


def forget_local() -> None:
    """Empty this process's copies (the tests, between two of them)."""
    with _local_lock:
        _local.clear()


def cached_for_public_pages(name: str, compute: Callable):
    """`compute()`, kept until a public page changes: in this process, then in the shared cache. Callers treat the
    value as read-only (it is shared by the requests of this process)."""
    key = f"pages:{generation()}:{name}"
    value = _local_get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    _local_set(key, value)
    return value


def cached_fragments(name: str, objects, render: Callable) -> list[str]:
    """`render(obj)` for each object, from the cache in one round trip; only the missing ones are rendered.

    For fragments a list repeats on every request (a news card: its picture's renditions, its date and category),
    which cost more to render than to fetch. Keyed by the object's primary key and the public pages' generation, so
    any change to a public page renders them afresh, as cached_for_public_pages does.
    """
    objects = list(objects)
    prefix = f"pages:{generation()}:{name}:"
    keys = [f"{prefix}{obj.pk}" for obj in objects]
    found = cache.get_many(keys) if keys else {}
    missing = {}
    fragments = []
    for key, obj in zip(keys, objects, strict=True):
        fragment = found.get(key)
        if fragment is None:
            fragment = missing[key] = render(obj)
        fragments.append(fragment)
    if missing:
        cache.set_many(missing, TIMEOUT)
    return fragments
