from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Machinery every app may use and that imports none of them: validators, registries, HTTP helpers."""

    name = "core"
    verbose_name = "Socle"
