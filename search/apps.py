from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site search at /recherche/: one French full-text index that each app feeds with its public content."""

    name = "search"
    label = "site_search"
    verbose_name = "Recherche"

    def ready(self):
        from core import public_pages

        # In the site map; not in sitemap.xml (a results page has nothing of its own to index).
        search_page = public_pages.Section("search", "Recherche", "search:search", order=20, in_sitemap_xml=False)
        public_pages.register(search_page)
