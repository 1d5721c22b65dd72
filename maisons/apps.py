from django.apps import AppConfig


class MaisonsConfig(AppConfig):
    name = "maisons"
    verbose_name = "Maisons du Département"

    def ready(self):
        from . import search

        search.register()  # The Maisons in the site search (search/index.py).
