from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demonstration data for `make run`; refused where DEMO_DATA_ALLOWED is off (production)."""

    name = "demo"
    verbose_name = "Données de démonstration"
