"""The permissions each role's group holds, kept in step after every migration.

Groups are created and their permissions set by `sync_role_groups`, connected to `post_migrate` as Django's
own `create_permissions` is, so that permissions of models added by later migrations reach the groups too.
"""

from django.apps import apps as global_apps

from .enums import Role

# app_label → actions, or "*" for every permission of the app.
ROLE_PERMISSIONS: dict[Role, dict[str, str | tuple[str, ...]]] = {
    Role.AGENT: {
        "accueil": ("view", "add", "change"),
        "maisons": ("view",),
        "partenaires": ("view",),
        "events": ("view",),
    },
    Role.PROJECT_LEAD: {
        "maisons": "*",
        "events": "*",
        "partenaires": "*",
        "accueil": ("view",),
        "accounts": ("view",),
    },
    Role.ELECTED: {"events": ("view",), "maisons": ("view",)},
    Role.COMMUNICATION: {"maisons": ("view",), "events": ("view",)},
    Role.ADMINISTRATOR: {
        "accounts": "*",
        "auth": "*",
        "maisons": "*",
        "events": "*",
        "partenaires": "*",
        "accueil": "*",
        "django_celery_beat": "*",
    },
}


def sync_role_groups(apps=global_apps, using: str = "default") -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.group_name)
        wanted = []
        for app_label, actions in grants.items():
            perms = Permission.objects.using(using).filter(content_type__app_label=app_label)
            if actions != "*":
                perms = [p for p in perms if p.codename.split("_", 1)[0] in actions]
            wanted.extend(perms)
        group.permissions.set(wanted)
