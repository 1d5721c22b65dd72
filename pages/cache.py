"""Values every public page reads (the menu, the news filters' choices), cached until a public page changes.

The key holds core.pagecache's generation: whatever makes the public pages stale (a page published, a Maison
or the menu changed) makes these values stale too, with no invalidation of its own to forget.
"""

from collections.abc import Callable

from django.core.cache import cache

from core.pagecache import generation, public_value

TIMEOUT = 24 * 60 * 60


def cached_for_public_pages(name: str, compute: Callable):
    """`compute()`, kept until a public page changes (core.pagecache.public_value: in this process, then in Redis)."""
    return public_value(f"pages:{name}", compute)


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
