"""Wagtail's page view, with the site and its home page read from the cache.

Wagtail finds the site of each request (one query), then its root page and that page's specific type (two more)
before routing. Cached until a public page changes (pages/cache.py), they cost nothing on most requests: the
page budget of issue 6 (8 queries uncached) then goes to what the page shows.
"""

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from .cache import cached_for_public_pages

NO_SITE = "none"


def _find_site(hostname: str, port: int):
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return NO_SITE
    site.root_page = site.root_page.localized.specific
    return site


def serve(request: HttpRequest, path: str):
    if not hasattr(request, "_wagtail_site"):
        # As Site.find_for_request: the raw host (ALLOWED_HOSTS was checked by the middleware), then the port.
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        site = cached_for_public_pages(f"site:{hostname}:{port}", lambda: _find_site(hostname, port))
        request._wagtail_site = None if site == NO_SITE else site
    return wagtail_views.serve(request, path)
