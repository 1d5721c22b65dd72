"""URL ownership: the Django URLs of config/urls.py come first, Wagtail serves the rest (DESIGN.md, « Public URLs »).

A Wagtail page whose path starts with a segment that Django owns would never be reached. The segments are read
from the URLconf itself, so a new Django route protects its address from the page tree the day it is added.
"""

import re
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

_LEADING_LITERAL = re.compile(r"^\^?([\w\-]+)")


def django_patterns(urlconf=None) -> list:
    """The project's URL patterns without those of Wagtail's page view (the home page and the catch-all)."""
    from .views import serve

    return [
        pattern
        for pattern in get_resolver(urlconf).url_patterns
        if not (isinstance(pattern, URLPattern) and pattern.callback is serve)
    ]


@cache
def reserved_root_slugs() -> frozenset[str]:
    """Every first path segment a Django URL owns ("agenda", "maisons", "cms"…), included URLconfs walked."""
    segments: set[str] = set()

    def walk(patterns, prefix: str = "") -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver) and not text:
                walk(pattern.url_patterns, "")
                continue
            match = _LEADING_LITERAL.match(text)
            if match:
                segments.add(match.group(1))
            elif isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)

    walk(django_patterns())
    return frozenset(segments)
