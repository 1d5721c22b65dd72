from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_site_tree(sender, using="default", **kwargs):
    """After `migrate`, and after a test's flush (which Django follows with post_migrate, but which empties what
    data migrations made): the home page, the default site, the menu and the communication group's rights.
    Once, after the last app (and so after accounts' role groups), and only where the pages tables exist (a
    partial or backward `migrate` may leave them out)."""
    if sender is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    from .models import HomePage

    if HomePage._meta.db_table not in connections[using].introspection.table_names():
        return
    from .services import ensure_site_tree

    ensure_site_tree()


class PagesConfig(AppConfig):
    """Editorial content managed in Wagtail: the home page's blocks, information pages, news."""

    name = "pages"
    verbose_name = "Pages et actualités"

    def ready(self):
        post_migrate.connect(_ensure_site_tree, dispatch_uid="pages.ensure_site_tree")

        from . import receivers

        receivers.connect()
        from . import search

        search.register()  # The Wagtail pages in the site search (search/index.py).
