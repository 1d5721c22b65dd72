from django.apps import AppConfig

from core import public_pages


def maison_links() -> list[public_pages.Link]:
    """The published Maisons for the site map and sitemap.xml (core/public_pages.py), in one query."""
    from .models import Maison

    return [
        public_pages.Link(maison.name, maison.get_absolute_url(), maison.updated_at)
        for maison in Maison.objects.published().only("name", "slug", "updated_at").order_by("name")
    ]


class MaisonsConfig(AppConfig):
    name = "maisons"
    verbose_name = "Maisons du Département"

    def ready(self):
        from . import receivers

        receivers.connect()  # A change of a Maison, its hours, closures, rooms or photos: public pages are stale.
        from . import search

        search.register()  # The Maisons in the site search (search/index.py).
        public_pages.register(
            public_pages.Section("maisons", "Les Maisons du Département", None, order=10, children=maison_links)
        )
