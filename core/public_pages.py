"""The public pages that Django serves (not Wagtail): one registry for the site map and sitemap.xml.

Each app registers its own public pages in its `AppConfig.ready()` (core imports no app), one line each:

    public_pages.register(public_pages.Section("agenda", "Agenda", "events:agenda", order=30))

`/plan-du-site/` lists them beside the Wagtail page tree, `/sitemap.xml` gives their absolute addresses. A section
may have children (a Maison per page, for instance): `children()` returns them in one query. A URL name that does
not resolve fails legal/tests/test_site_map.py, never silently.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # The path, e.g. "/maisons/langres/".
    lastmod: datetime.datetime | None = None


@dataclass(frozen=True)
class Section:
    """One public Django page, or a heading over several (`url_name` None), listed in `group` by `order`."""

    key: str
    title: str
    url_name: str | None
    order: int = 50
    group: str = "main"  # "main" (under the home page) or "legal" (legal information, listed last).
    children: Callable[[], list[Link]] | None = field(default=None, compare=False)
    in_sitemap_xml: bool = True  # A search results page, for instance, has nothing to index.

    @property
    def url(self) -> str | None:
        return reverse(self.url_name) if self.url_name else None

    def links(self) -> list[Link]:
        return list(self.children()) if self.children else []


GROUPS = ("main", "legal")
_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add a section; the same key twice with a different section is a programming error."""
    if section.group not in GROUPS:
        raise ImproperlyConfigured(f"Public page {section.key!r}: group must be one of {', '.join(GROUPS)}.")
    if section.key in _sections and _sections[section.key] != section:
        raise ImproperlyConfigured(f"Two public pages share the key {section.key!r}.")
    _sections[section.key] = section
    return section


def sections(group: str | None = None) -> list[Section]:
    """The registered sections (of one group), by order then title."""
    chosen = [section for section in _sections.values() if group is None or section.group == group]
    return sorted(chosen, key=lambda section: (section.order, section.title))
