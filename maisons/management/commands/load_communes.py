from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maisons.services import COMMUNES_CSV, communes_load


class Command(BaseCommand):
    help = "Charge la liste de référence des communes (Code officiel géographique 2026)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=COMMUNES_CSV, help="Fichier CSV (UTF-8) à charger.")
        parser.add_argument(
            "--departement", action="append", dest="departements", help="Ne charger que ce département (répétable)."
        )

    def handle(self, *args, file, departements, **options):
        if not file.exists():
            raise CommandError(f"Fichier introuvable : {file}")
        report = communes_load(path=file, departements=departements)
        if report.errors:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} erreur(s) : aucune commune n’a été chargée.")
        self.stdout.write(
            self.style.SUCCESS(f"Communes : {report.created} ajoutée(s), {report.updated} mise(s) à jour.")
        )
