from django.apps import AppConfig


class AccueilConfig(AppConfig):
    name = "accueil"
    verbose_name = "Accueil des visiteurs"

    def ready(self):
        from . import personal_data

        personal_data.register()  # Retention rules, export and erasure of the reception log.
