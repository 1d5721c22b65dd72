"""Wagtail pages in the site search (search.index): every live, public page, as its specific type describes it.

News pages (class `NewsPage`) form the group « Actualités », the other pages « Pages d’information ». A page
type gives its text through `search_body()` (plain text); without it, the text of its StreamFields is used.
"""

import datetime

from django.db.models.signals import post_delete, post_save
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import index
from search.models import SearchEntry

NEWS_CLASS_NAME = "NewsPage"


def page_document(page: Page) -> index.Document | None:
    page = page.specific
    # Wagtail's own check, from the database: a page type may answer from a cache not yet refreshed in this
    # transaction (pages.models.PortalPage.get_view_restrictions).
    if not page.live or page.depth <= 1 or Page.get_view_restrictions(page).exists():
        return None
    if page.alias_of_id:  # The same content at another address: found once, at its source page.
        return None
    url = page.get_url()
    if not url:  # Outside every site: not reachable by the public.
        return None
    is_news = type(page).__name__ == NEWS_CLASS_NAME
    return index.Document(
        kind="news" if is_news else "page",
        title=page.title,
        url=url,
        summary=page.search_description or "",
        body=_body(page),
        date=_date(page, is_news),
        maison=str(getattr(page, "maison", None) or ""),
        is_suggested=page.show_in_menus and not is_news,
    )


def register() -> None:
    """Called once from PagesConfig.ready()."""
    index.register(
        index.Provider(
            name="page",
            model=Page,
            kinds={"page": "Pages d’information", "news": "Actualités"},
            objects=lambda: Page.objects.live().public().filter(depth__gt=1, alias_of__isnull=True).specific(),
            document=page_document,
            order=20,
        )
    )
    page_published.connect(_published, dispatch_uid="search_page_published")
    page_unpublished.connect(_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(_moved, dispatch_uid="search_page_moved")
    post_delete.connect(_deleted, dispatch_uid="search_page_deleted")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")


def _body(page: Page) -> str:
    search_body = getattr(page, "search_body", None)
    if callable(search_body):
        return search_body() or ""
    parts = []
    for model_field in page._meta.get_fields():
        if isinstance(model_field, StreamField):
            parts.extend(model_field.get_searchable_content(model_field.value_from_object(page)))
    return "\n".join(str(part) for part in parts)


def _date(page: Page, is_news: bool) -> datetime.date | None:
    value = getattr(page, "date", None)
    if value is None and is_news and page.first_published_at:
        value = page.first_published_at
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _reindex_subtree(page: Page) -> None:
    """A page and its descendants: their addresses or their visibility follow the page's."""
    index.update(page)
    for descendant in page.get_descendants().specific():
        index.update(descendant)


def _published(sender, instance, **kwargs):
    before = SearchEntry.objects.filter(key=index.entry_key(instance)).values_list("url", flat=True).first()
    if before is not None and before != instance.get_url() and instance.numchild:
        _reindex_subtree(instance)  # A new slug moves the descendants' addresses too.
    else:
        index.update(instance)


def _unpublished(sender, instance, **kwargs):
    index.remove(instance)


def _moved(sender, instance, **kwargs):
    _reindex_subtree(Page.objects.get(pk=instance.pk))


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        index.remove(instance)


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.page_id:
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            _reindex_subtree(page)
