from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Reconstruit l’index de recherche du site à partir de ce que chaque application publie."

    def handle(self, *args, **options):
        count = index.rebuild()
        self.stdout.write(f"Index de recherche reconstruit : {count} entrée(s).")
