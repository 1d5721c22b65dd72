from django.apps import AppConfig

from core import public_pages


def partner_links() -> list[public_pages.Link]:
    """The partners of the public directory for the site map and sitemap.xml (core/public_pages.py), one query."""
    from .models import Partner

    return [
        public_pages.Link(partner.name, partner.get_absolute_url(), partner.updated_at)
        for partner in Partner.objects.published().only("name", "slug", "updated_at").order_by("name")
    ]


class PartenairesConfig(AppConfig):
    name = "partenaires"
    verbose_name = "Partenaires"

    def ready(self):
        from . import personal_data, site_search

        personal_data.register()  # Internal contacts: export, erasure, retention after a partner's retirement.
        site_search.register()  # The directory's partners in the site search (search/index.py).
        public_pages.register(
            public_pages.Section(
                "partenaires", "Annuaire des partenaires", "partenaires:directory", order=40, children=partner_links
            )
        )
