"""The role groups: one Django group per role (accounts.enums.Role), named by the role's code.

The portal checks roles through accounts/perms.py, never Django model permissions, and only administrators
(superusers, who hold every permission anyway) use /admin/. So the groups hold no model permission: granting
permissions nothing checks would only suggest a protection that does not exist. One exception: Wagtail's admin
(/cms/) checks its own permissions, so the communication group holds the Wagtail editing rights it needs, and only
those (pages/migrations/0003_communication_editing_permissions.py).

`sync_role_groups` is connected to `post_migrate` (accounts/apps.py). It only creates the groups that are missing
and never touches an existing group, so a migration never undoes what an administrator changed on one.
"""

from django.apps import apps as global_apps

from .enums import Role


def sync_role_groups(apps=global_apps, using: str = "default") -> list[str]:
    """Create the missing role groups; return the names of those created."""
    Group = apps.get_model("auth", "Group")
    existing = set(Group.objects.using(using).filter(name__in=Role.values).values_list("name", flat=True))
    missing = [role.group_name for role in Role if role.group_name not in existing]
    Group.objects.using(using).bulk_create([Group(name=name) for name in missing], ignore_conflicts=True)
    return missing
