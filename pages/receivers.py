"""What makes the public pages stale in Wagtail: a page published, unpublished, moved or deleted, the menu, a
news category, a site or a page's view restriction changed. Each calls core.pagecache.public_pages_changed()
(issue 6, the anonymous full-page cache)."""

from django.db.models.signals import post_delete
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import pagecache
from core.pagecache import public_pages_changed


def _changed(sender=None, **kwargs):
    public_pages_changed()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        public_pages_changed()


def connect():
    from .models import MainMenu, MainMenuItem, NewsCategory

    page_published.connect(_changed, dispatch_uid="pages_published")
    page_unpublished.connect(_changed, dispatch_uid="pages_unpublished")
    post_page_move.connect(_changed, dispatch_uid="pages_moved")
    # Deleting a page sends post_delete for its concrete class and each of its parents (Page among them).
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="pages_deleted")
    pagecache.follow(MainMenu, MainMenuItem, NewsCategory, Site, PageViewRestriction)
