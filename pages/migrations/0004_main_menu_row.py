"""The main menu's settings row exists from the start, so that no GET (a public page, the settings page in /cms/)
ever creates it (invariant 4's matrix: GETs write no row)."""

from django.db import migrations


def create_menu(apps, schema_editor):
    MainMenu = apps.get_model("pages", "MainMenu")
    if not MainMenu.objects.exists():
        MainMenu.objects.create()


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_communication_editing_permissions")]

    operations = [migrations.RunPython(create_menu, migrations.RunPython.noop)]
