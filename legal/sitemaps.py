"""/sitemap.xml: every public address of the portal, absolute from SITE_URL (never from the request's Host)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from . import site_map


class PortalSitemap(Sitemap):
    """The Wagtail pages and the Django public pages (core.public_pages), in one list, one query per source."""

    limit = 50000  # The protocol's maximum per file (sitemaps.org); the portal stays far below.

    def items(self):
        return site_map.sitemap_links()

    def location(self, item):
        return urlsplit(settings.SITE_URL).path.rstrip("/") + item.url

    def lastmod(self, item):
        return item.lastmod

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


SITEMAPS = {"portail": PortalSitemap}
