import datetime

from django.core.management.base import BaseCommand, CommandError

from maisons.models import Maison

from ...services import summary_rebuild


class Command(BaseCommand):
    help = "Recalcule le résumé quotidien des statistiques de l’accueil à partir des visites (toutes, ou une période)."

    def add_arguments(self, parser):
        parser.add_argument("--du", dest="start", help="premier jour (AAAA-MM-JJ)")
        parser.add_argument("--au", dest="end", help="dernier jour inclus (AAAA-MM-JJ)")
        parser.add_argument("--maison", action="append", dest="maisons", help="identifiant d’adresse d’une Maison")

    def handle(self, *args, start=None, end=None, maisons=None, **options):
        try:
            start_day = datetime.date.fromisoformat(start) if start else None
            end_day = datetime.date.fromisoformat(end) if end else None
        except ValueError as error:
            raise CommandError("Date invalide : écrivez-la AAAA-MM-JJ.") from error
        if start_day and end_day and start_day > end_day:
            raise CommandError("Le premier jour doit précéder le dernier.")
        maison_ids = None
        if maisons:
            maison_ids = list(Maison.objects.filter(slug__in=maisons).values_list("pk", flat=True))
            if len(maison_ids) != len(set(maisons)):
                raise CommandError("Maison inconnue : " + ", ".join(maisons))
        rows = summary_rebuild(start=start_day, end=end_day, maison_ids=maison_ids)
        self.stdout.write(f"Résumé recalculé : {rows} ligne(s).")
