"""The main navigation's editable entries (MainMenu setting), read from the cache by every page."""

from django.utils.functional import SimpleLazyObject

from .cache import cached_for_public_pages


def _entries() -> list[dict]:
    from .models import MainMenuItem

    # One query: the menu is a generic setting (one row), so its items are all the items.
    entries = []
    for item in MainMenuItem.objects.select_related("link_page").order_by("sort_order", "pk"):
        if item.link_page_id:
            if not item.link_page.live:
                continue
            url = item.link_page.get_url()
        else:
            url = item.link_url
        if url:
            entries.append({"label": item.label, "url": url})
    return entries


def main_menu_entries() -> list[dict]:
    return cached_for_public_pages("main-menu", _entries)


def main_menu(request) -> dict:
    """Context processor: the editable entries, looked up only if the template shows them."""
    return {"main_menu_entries": SimpleLazyObject(main_menu_entries)}
