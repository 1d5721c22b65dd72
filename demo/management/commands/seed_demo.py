from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import ACCOUNTS, DEMO_PASSWORD
from demo.services import demo_seed


class Command(BaseCommand):
    help = "Crée les données de démonstration (idempotent). Refusé en production."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Les données de démonstration sont désactivées (DEMO_DATA_ALLOWED=false) : "
                "elles ne doivent jamais être créées en production."
            )
        demo_seed()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») :")
        for email, _first_name, _last_name, roles, _ in ACCOUNTS:
            self.stdout.write(f"  {email:32} {', '.join(role.label for role in roles)}")
