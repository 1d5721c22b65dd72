from django.apps import AppConfig


class PartenairesConfig(AppConfig):
    name = "partenaires"
    verbose_name = "Partenaires"

    def ready(self):
        from . import personal_data

        personal_data.register()  # Internal contacts: export, erasure, retention after a partner's retirement.
