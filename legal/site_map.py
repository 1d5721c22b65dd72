"""What /plan-du-site/ and /sitemap.xml list: the Wagtail page tree and the Django public pages (core.public_pages).

A fixed number of queries whatever the number of pages: the view restrictions, then the default site's live pages
with their page types in one query (tree order, which is the menu order editors set in /cms/), then one query per
registered section that has children (the Maisons).

A page type may keep its children out of the HTML site map (news items under the news index, for instance) with a
class attribute `show_children_in_site_map = False`; they stay in sitemap.xml.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Subquery
from wagtail.models import Page, Site

from core import public_pages
from core.public_pages import Link


@dataclass
class Node:
    title: str
    url: str | None
    children: list["Node"] = field(default_factory=list)


@dataclass(frozen=True)
class PageTree:
    root: Page | None  # The default site's home page.
    pages: list[Page]  # Its live, public descendants in tree order.

    def url(self, page: Page) -> str:
        """The page's path on the portal: its url_path below the site's home page."""
        return "/" + page.url_path[len(self.root.url_path) :]


def page_tree() -> PageTree:
    """The default site's live, public pages in one query (its home page's path comes in a subquery)."""
    root_path = Site.objects.filter(is_default_site=True).values("root_page__path")[:1]
    pages = list(
        Page.objects.live()
        .public()
        .annotate(site_root_path=Subquery(root_path))
        .filter(path__startswith=F("site_root_path"))
        .select_related("content_type")
        .order_by("path")
        .only("title", "path", "depth", "url_path", "last_published_at", "content_type")
    )
    if not pages or pages[0].path != pages[0].site_root_path:  # No default site, or its home page is not live.
        return PageTree(None, [])
    return PageTree(pages[0], pages[1:])


def _hides_children(page: Page) -> bool:
    """Whether the HTML site map leaves this page's children out (its type says so)."""
    return not getattr(page.content_type.model_class(), "show_children_in_site_map", True)


def wagtail_nodes(tree: PageTree) -> list[Node]:
    """The page tree below the home page, nested."""
    top: list[Node] = []
    by_path: dict[str, Node] = {}
    hidden_prefixes: list[str] = []
    for page in tree.pages:
        if any(page.path.startswith(prefix) for prefix in hidden_prefixes):
            continue
        node = Node(page.title, tree.url(page))
        by_path[page.path] = node
        parent = by_path.get(page.path[: -Page.steplen])  # None under the home page (or a page not shown).
        (parent.children if parent else top).append(node)
        if _hides_children(page):
            hidden_prefixes.append(page.path)
    return top


def site_map_groups() -> dict[str, list[Node]]:
    """The site map: "main" (home page, Wagtail pages, then Django sections) and "legal"."""
    nodes = {group: [] for group in public_pages.GROUPS}
    tree = page_tree()
    if tree.root is not None:
        nodes["main"].extend(wagtail_nodes(tree))
    for group in public_pages.GROUPS:
        for section in public_pages.sections(group):
            children = [Node(link.title, link.url) for link in section.links()]
            nodes[group].append(Node(section.title, section.url, children))
    return nodes


def sitemap_links() -> list[Link]:
    """Every public address for sitemap.xml, once each, with its last change where known."""
    links: dict[str, datetime.datetime | None] = {}
    tree = page_tree()
    if tree.root is not None:
        links["/"] = tree.root.last_published_at
        for page in tree.pages:
            links[tree.url(page)] = page.last_published_at
    for section in public_pages.sections():
        if not section.in_sitemap_xml:
            continue
        if section.url and section.url not in links:
            links[section.url] = None
        for link in section.links():
            links[link.url] = link.lastmod or links.get(link.url)
    return [Link("", url, lastmod) for url, lastmod in links.items()]
