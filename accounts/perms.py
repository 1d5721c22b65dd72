"""Who may do what. Each function states its rule; views declare them (see accounts/mixins.py)."""

from django.db.models import QuerySet

from .enums import Role


def _has(user, *roles: Role) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


def can_use_reception(user) -> bool:
    """Reception agents log visitors; the project lead follows activity across both Maisons."""
    return _has(user, Role.AGENT, Role.PROJECT_LEAD)


def can_book_rooms(user) -> bool:
    """Elected officials book rooms; the project lead runs the rooms; an official's assistant books for them."""
    return _has(user, Role.ELECTED, Role.PROJECT_LEAD) or bool(assisted_officials(user))


def assisted_officials(user) -> list:
    """The active elected officials `user` may book rooms for as their assistant (User.assisted_officials), read
    once per request."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    if not hasattr(user, "_assisted_officials"):
        user._assisted_officials = list(
            user.assisted_officials.filter(is_active=True, groups__name=Role.ELECTED.group_name).order_by(
                "last_name", "first_name"
            )
        )
    return user._assisted_officials


def can_manage_portal(user) -> bool:
    """The project lead's tools (/gestion/): events, rooms, partners, figures. Administrators too."""
    return _has(user, Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def can_see_partner_contacts(user) -> bool:
    """Partners' internal contacts and notes, and entries not (or no longer) in the public directory: reception
    agents (who orient visitors), the project lead and administrators. Never the public (invariant 4)."""
    return _has(user, Role.AGENT, Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def can_manage_partners(user) -> bool:
    """Creating, editing and retiring partners, their services and contacts (/gestion/partenaires/): the project
    lead and administrators."""
    return _has(user, Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def can_import_partners(user) -> bool:
    """Importing and exporting the directory (organisations, services, internal contacts), from /gestion/ and from
    the administration: the project lead and administrators. django-import-export would let any account with
    access to the administration import: partenaires/admin.py asks this rule instead."""
    return _has(user, Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def can_edit_content(user) -> bool:
    """The communication service edits information pages and news."""
    return _has(user, Role.COMMUNICATION, Role.ADMINISTRATOR)


def can_edit_maison_presentation(user) -> bool:
    """A Maison's public presentation (text, photos, access): the project lead, the communication service and
    administrators edit it from /maisons/<slug>/modifier/. Hours and closures stay in the administration."""
    return _has(user, Role.PROJECT_LEAD, Role.COMMUNICATION, Role.ADMINISTRATOR)


def can_administer(user) -> bool:
    """Administrators manage accounts, roles and reference lists in /admin/."""
    return _has(user, Role.ADMINISTRATOR) and user.is_staff


def can_invite(user) -> bool:
    """An administrator or the project lead creates accounts by invitation."""
    return _has(user, Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def invitable_roles(user) -> list[Role]:
    """An administrator may give any role; the project lead any role but administrator."""
    if _has(user, Role.ADMINISTRATOR):
        return list(Role)
    if _has(user, Role.PROJECT_LEAD):
        return [role for role in Role if role != Role.ADMINISTRATOR]
    return []


def can_manage_invitation(user, invitation) -> bool:
    """Cancelling or resending an invitation: only someone who could have given every one of its roles.

    So the project lead cannot cancel or resend an administrator's invitation (see `invitable_roles`).
    """
    return can_invite(user) and invitation.role_set <= set(invitable_roles(user))


def sees_all_maisons(user) -> bool:
    """The project lead and administrators see both Maisons; an agent only those they are attached to."""
    return _has(user, Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def visible_maisons(user, maisons: QuerySet) -> QuerySet:
    """Restrict `maisons` to those `user` may see as staff (invariant 4)."""
    if sees_all_maisons(user):
        return maisons
    if not (user and user.is_authenticated):
        return maisons.none()
    return maisons.filter(staff=user)


def must_use_mfa(user) -> bool:
    """Administrators, the project lead and the communication service must sign in with a second factor (TOTP).

    Everyone else may; accounts/middleware.py enforces the rule, since allauth only offers MFA.
    """
    return _has(user, Role.ADMINISTRATOR, Role.PROJECT_LEAD, Role.COMMUNICATION)
