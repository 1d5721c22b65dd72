from django.apps import AppConfig


class LegalConfig(AppConfig):
    """Legal and navigation pages: accessibility statement, legal notice, personal data, site map, robots, sitemap."""

    name = "legal"
    verbose_name = "Pages légales"
