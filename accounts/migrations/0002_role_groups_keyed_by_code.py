"""Role groups are named by the role's code, not its French label, so that relabelling a role orphans nobody.

Also, on existing databases:
- the model permissions the former `ROLE_PERMISSIONS` put on the role groups are removed: the portal checks roles
  through accounts/perms.py and nothing checks them (the former post_migrate sync re-imposed them at every
  migrate, so they are what the code granted, not an administrator's choice);
- `is_staff` and `is_superuser` are brought in line with the administrator role, as accounts.services.user_set_roles
  keeps them from now on: a superuser without the role gets it (the former code treated them as administrators).
"""

from django.db import migrations

# The labels as they were when the groups carried them; frozen here, the enumeration may change.
LABELS = {
    "agent": "Agent d’accueil",
    "chef_projet": "Chef·fe de projet",
    "elu": "Élu·e",
    "communication": "Communication",
    "administrateur": "Administrateur·rice",
}
ADMINISTRATOR = "administrateur"


def _rename(apps, renames: dict[str, str]) -> None:
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    Invitation = apps.get_model("accounts", "Invitation")
    for old_name, new_name in renames.items():
        old = Group.objects.filter(name=old_name).first()
        if old is None:
            continue
        new = Group.objects.filter(name=new_name).first()
        if new is None:
            old.name = new_name
            old.save(update_fields=["name"])
            continue
        # Both exist (a group created by hand, or by post_migrate): move the members over, then drop the old one.
        for user in User.objects.filter(groups=old):
            user.groups.add(new)
        for invitation in Invitation.objects.filter(roles=old):
            invitation.roles.add(new)
        old.delete()


def forwards(apps, schema_editor):
    _rename(apps, {label: code for code, label in LABELS.items()})
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    for group in Group.objects.filter(name__in=LABELS):
        group.permissions.clear()
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    for user in User.objects.filter(is_superuser=True).exclude(groups=administrators):
        user.groups.add(administrators)
    User.objects.filter(groups=administrators).update(is_staff=True, is_superuser=True)
    User.objects.exclude(groups=administrators).update(is_staff=False, is_superuser=False)


def backwards(apps, schema_editor):
    # Permissions and flags are left as they are: the former post_migrate sync grants the permissions again.
    _rename(apps, dict(LABELS))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
