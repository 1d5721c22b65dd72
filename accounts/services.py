import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .enums import Role
from .models import Invitation, User


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
    invitation.roles.set(Group.objects.filter(name__in=[role.group_name for role in roles]))
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
        "roles": [group.name for group in invitation.roles.all()],
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
    roles = list(invitation.roles.all())
    is_admin = any(group.name == Role.ADMINISTRATOR.group_name for group in roles)
    user = get_user_model().objects.create_user(
        email=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    user.groups.set(roles)
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
