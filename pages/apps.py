from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Editorial content managed in Wagtail: the home page's blocks, information pages, news."""

    name = "pages"
    verbose_name = "Pages et actualités"
