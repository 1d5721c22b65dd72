import datetime
from collections.abc import Iterable
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.enums import SecurityEventKind
from audit.journal import record_security_event

from .enums import Role
from .models import Invitation, User


def role_groups(roles: Iterable[Role]) -> list[Group]:
    """The groups of these roles, created if missing (post_migrate creates them; a fresh test database too)."""
    return [Group.objects.get_or_create(name=Role(role).group_name)[0] for role in roles]


def _other_active_administrators(user: User):
    return (
        get_user_model().objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.group_name).exclude(pk=user.pk)
    )


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role], actor: User | None = None) -> User:
    """Give `user` exactly these roles; `is_staff` and `is_superuser` follow from them, here and nowhere else.

    The administrator role, and only it, opens /admin/ with every right (is_staff and is_superuser); removing the
    role removes both. Groups that are no role are left as they are. A change is recorded in the security journal
    (ROLES_CHANGED, with who made it). The last active administrator cannot lose the role: nobody could give it back.
    """
    wanted = {Role(role) for role in roles}
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    before = Role.from_group_names(user.groups.values_list("name", flat=True))
    if Role.ADMINISTRATOR in before - wanted and user.is_active and not _other_active_administrators(user).exists():
        raise ValidationError("Il doit rester au moins un administrateur actif : ce rôle ne peut pas être retiré.")
    user.groups.remove(*role_groups(before - wanted))
    user.groups.add(*role_groups(wanted - before))
    is_administrator = Role.ADMINISTRATOR in wanted
    if (user.is_staff, user.is_superuser) != (is_administrator, is_administrator):
        user.is_staff = user.is_superuser = is_administrator
        user.save(update_fields=["is_staff", "is_superuser"])
    if before != wanted:
        record_security_event(
            kind=SecurityEventKind.ROLES_CHANGED,
            user=user,
            identifier=user.email,
            actor=actor,
            details={"before": sorted(before), "after": sorted(wanted)},
        )
    return user


def user_sessions_end(*, user: User) -> int:
    """End every session of `user`: those allauth.usersessions tracks, then any other session row.

    allauth only tracks sessions opened through its own sign-in; a session opened otherwise (invitation acceptance,
    the administration's sign-in) exists only in the session store, so the rows are decoded to find the owner.
    """
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            # Through the engine, so a cached copy (cached_db) goes with the row.
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None) -> User:
    """Stop an account at once: it can no longer sign in and every open session ends now.

    - `is_active` becomes false (Django and allauth then refuse the account);
    - every session of the person ends, in allauth.usersessions and in the session store;
    - private calendar tokens are revoked here too, once the portal has them (none exists yet);
    - the security journal records ACCOUNT_DEACTIVATED with who did it.
    The last active administrator cannot be deactivated: nobody could reactivate an account afterwards.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.has_role(Role.ADMINISTRATOR) and not _other_active_administrators(user).exists():
        raise ValidationError(
            "Il doit rester au moins un administrateur actif : ce compte ne peut pas être désactivé."
        )
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = user_sessions_end(user=user)
    record_security_event(
        kind=SecurityEventKind.ACCOUNT_DEACTIVATED,
        user=user,
        identifier=user.email,
        actor=actor,
        details={"sessions_ended": sessions, "was_active": was_active},
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User | None) -> User:
    """Let a deactivated account sign in again (its former sessions stay ended); recorded in the journal."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_security_event(
            kind=SecurityEventKind.ACCOUNT_REACTIVATED, user=user, identifier=user.email, actor=actor
        )
    return user


@transaction.atomic
def invitation_create(
    *, email: str, roles: list[Role], maisons, invited_by: User, first_name: str = "", last_name: str = ""
) -> Invitation:
    """Record an invitation and mail its link once the transaction commits.

    An expired invitation for the same address is replaced; the form has already refused a pending one.
    """
    email = email.strip().lower()
    Invitation.objects.expired().filter(email__iexact=email).delete()
    invitation = Invitation(
        email=email,
        first_name=first_name,
        last_name=last_name,
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    token = invitation.set_new_token()
    # Validation checks the pending-invitation constraint too; a concurrent twin is refused by the database.
    invitation.full_clean(exclude=["roles", "maisons"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        raise ValidationError({"email": "Une invitation est déjà en attente pour cette adresse."}) from error
    invitation.roles.set(role_groups(roles))
    invitation.maisons.set(maisons)
    transaction.on_commit(lambda: invitation_send(invitation=invitation, token=token))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Give a pending or expired invitation a fresh link and validity, and mail it; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, accepted_at__isnull=True)
    token = invitation.set_new_token()
    invitation.expires_at = timezone.now() + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    transaction.on_commit(lambda: invitation_send(invitation=invitation, token=token))
    return invitation


def invitation_send(*, invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "accept_url": Invitation.accept_url(token),
        "roles": invitation.role_labels,
        "validity_days": settings.INVITATION_VALIDITY_DAYS,
    }
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation_body.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_get_valid(token: str) -> Invitation | None:
    """The pending, unexpired invitation of this link, or None."""
    return (
        Invitation.objects.pending().filter(token_hash=Invitation.hash_token(token)).prefetch_related("roles").first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Create the invited account with its roles and Maisons; the invitation cannot be used again."""
    # Lock the row: two submissions of the same link create one account.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.is_expired:
        raise ValueError("Cette invitation n’est plus valable.")
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        raise ValueError("Un compte existe déjà pour cette adresse.")
    user = get_user_model().objects.create_user(
        email=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    user = user_set_roles(user=user, roles=invitation.role_set, actor=invitation.invited_by)
    user.maisons.set(invitation.maisons.all())
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


def invitations_purge_expired(*, older_than_days: int = 30) -> int:
    """Delete invitations expired for more than `older_than_days` days; they hold personal data for nothing."""
    limit = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = Invitation.objects.expired().filter(expires_at__lt=limit).delete()
    return deleted
