"""Who sees the reception statistics."""

from accounts.enums import Role


def can_see_statistics(user) -> bool:
    """Reception agents see the figures of the Maisons they are attached to; the project lead and administrators
    see every Maison's (accounts.perms.visible_maisons says which)."""
    return bool(user and user.is_authenticated and user.has_role(Role.AGENT, Role.PROJECT_LEAD, Role.ADMINISTRATOR))
