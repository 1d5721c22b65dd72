from django.apps import AppConfig


class AccueilConfig(AppConfig):
    name = "accueil"
    verbose_name = "Accueil des visiteurs"

    def ready(self):
        from . import personal_data

        personal_data.register()  # Retention rules, export and erasure of the reception log.
        from . import notifications

        notifications.register()  # The referral and the agent's follow-up, on the shared ledger.
