from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site search at /recherche/: one French full-text index that each app feeds with its public content."""

    name = "search"
    label = "site_search"
    verbose_name = "Recherche"
