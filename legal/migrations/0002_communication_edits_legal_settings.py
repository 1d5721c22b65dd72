"""The communication role edits the accessibility statement and the legal notice in /cms/ (« Paramètres »).

Roles are groups keyed by code (accounts/roles.py); the administrator is a superuser. Permissions are created here
if missing (on a fresh database, Django creates them only after every migration).
"""

from django.db import migrations

COMMUNICATION = "communication"
PERMISSIONS = [("accessibilitystatement", "change_accessibilitystatement"), ("legalnotice", "change_legalnotice")]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, codename in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="legal", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
        )
        yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    communication, _ = Group.objects.get_or_create(name=COMMUNICATION)
    communication.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    communication = Group.objects.filter(name=COMMUNICATION).first()
    if communication is not None:
        communication.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("legal", "0001_accessibility_statement_and_legal_notice"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
