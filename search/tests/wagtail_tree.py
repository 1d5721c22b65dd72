"""The Wagtail tree for search tests: the pages migration makes the home page, but a transactional test's flush
(browser tests) empties every table, and a reused test database keeps that state."""

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from wagtail.models import Collection, Locale, Page, Site

from pages.models import HomePage


def home_page() -> HomePage:
    if Collection.get_first_root_node() is None:  # Images and documents need it.
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        locale, _ = Locale.objects.get_or_create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Racine", slug="root", locale=locale))
        home = root.add_child(instance=HomePage(title="Accueil", slug="home", locale=locale))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
    return home
