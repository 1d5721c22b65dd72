from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class LegalConfig(AppConfig):
    """Legal and navigation pages: accessibility statement, legal notice, personal data, site map, robots, sitemap."""

    name = "legal"
    verbose_name = "Pages légales"

    def ready(self):
        from core import public_pages

        from . import services
        from .models import AccessibilityStatement, LegalNotice

        for model in (AccessibilityStatement, LegalNotice):
            post_save.connect(services.setting_changed, sender=model, dispatch_uid=f"legal-{model.__name__}-saved")
            post_delete.connect(services.setting_changed, sender=model, dispatch_uid=f"legal-{model.__name__}-deleted")
        for order, (key, title, url_name) in enumerate(
            [
                ("accessibility", "Accessibilité", "accessibility"),
                ("legal-notice", "Mentions légales", "legal_notice"),
                ("privacy", "Données personnelles", "privacy"),
                ("site-map", "Plan du site", "site_map"),
            ]
        ):
            public_pages.register(public_pages.Section(key, title, url_name, order=order, group="legal"))
