from django.apps import AppConfig


class PartnerVerificationConfig(AppConfig):
    """Freshness without accounts: each partner checks its own entry through a personal link sent by e-mail, on a
    schedule; the project lead reviews the changes it proposes before they are published
    (docs/partenaires-fraicheur.md).

    Also the data·inclusion quality score of each service, shown to the project lead (/gestion/partenaires/qualite/).
    """

    name = "partenaires.verification"
    label = "partner_verification"
    verbose_name = "Vérification des fiches partenaires"

    def ready(self):
        from . import personal_data

        personal_data.register()
