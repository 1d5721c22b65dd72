"""A partner's slug never hides one of the fixed management pages under /gestion/partenaires/."""

from django.urls import URLPattern, URLResolver, get_resolver

from partenaires.imports import RESERVED_SLUGS

PREFIX = "gestion/partenaires/"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_fixed_page_under_the_partners_management_is_a_reserved_slug():
    fixed = {
        route.removeprefix(PREFIX).split("/")[0]
        for route in _routes(get_resolver().url_patterns)
        if route.startswith(PREFIX) and route != PREFIX
    }
    fixed = {segment for segment in fixed if segment and "<" not in segment}
    assert fixed and fixed <= RESERVED_SLUGS
