from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Editorial content managed in Wagtail: the home page's blocks, information pages, news."""

    name = "pages"
    verbose_name = "Pages et actualités"

    def ready(self):
        from . import receivers

        receivers.connect()
        from . import search

        search.register()  # The Wagtail pages in the site search (search/index.py).
