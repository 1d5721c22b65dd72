"""The site tree Wagtail needs, made idempotently: what the pages migrations create, again after a flush.

A transactional test (the browser suite) truncates every table; Django then recreates content types,
permissions and the role groups (post_migrate), but not what data migrations made. `ensure_site_tree()` puts back
the home page at the root of the default site, the main menu's row and the communication group's rights.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import get_supported_language_variant
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site

from accounts.enums import Role

from .models import HomePage, MainMenu

# The same rights as migration 0003_communication_editing_permissions (which keeps its own frozen copy).
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
}
MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "pages": ["add_newscategory", "change_newscategory", "delete_newscategory", "change_mainmenu"],
    "wagtailredirects": ["add_redirect", "change_redirect", "delete_redirect"],
}


@transaction.atomic
def ensure_site_tree() -> HomePage:
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        locale, _ = Locale.objects.get_or_create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Racine", slug="root", locale=locale))
        home = root.add_child(instance=HomePage(title="Accueil", slug="home", locale=locale))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": settings.WAGTAIL_SITE_NAME},
        )
    if not MainMenu.objects.exists():
        MainMenu.objects.create()
    _grant_communication_rights(Page.get_first_root_node(), root_collection)
    return home


def _grant_communication_rights(root_page: Page, root_collection: Collection) -> None:
    group, _ = Group.objects.get_or_create(name=Role.COMMUNICATION.group_name)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=MODEL_PERMISSIONS,
            codename__in=[codename for codenames in MODEL_PERMISSIONS.values() for codename in codenames],
        )
    )
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
