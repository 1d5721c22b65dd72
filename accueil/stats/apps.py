from django.apps import AppConfig


class AccueilStatsConfig(AppConfig):
    name = "accueil.stats"
    label = "accueil_stats"
    verbose_name = "Statistiques de l’accueil"

    def ready(self):
        from . import receivers

        # The daily summary follows every change of a visit (accueil/ never calls this app: contracts).
        receivers.connect()
