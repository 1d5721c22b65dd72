"""Accounts' retention rules, export and erasure (registered in accounts/apps.py; see core/personal_data.py)."""

import datetime

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from audit.services import logentries_scrub
from core import personal_data, retention

from .enums import Role
from .models import Invitation, User
from .services import invitations_purge_expired, user_sessions_end


def purge_invitations(delay: datetime.timedelta) -> int:
    return invitations_purge_expired(older_than_days=delay.days)


def purge_sessions(delay: datetime.timedelta) -> int:
    """Expired sessions (Django's `clearsessions`, counted), then allauth's records of sessions that no longer exist.

    A session row carries its own expiry (SESSION_COOKIE_AGE after its last save): `delay` is that setting.
    """
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    orphans, _ = UserSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    return deleted + orphans


def export_profile(user: User) -> dict:
    return {
        "adresse_électronique": user.email,
        "prénom": user.first_name,
        "nom": user.last_name,
        "compte_actif": user.is_active,
        "créé_le": user.date_joined.isoformat(),
        "dernière_connexion": user.last_login.isoformat() if user.last_login else None,
        "rôles": sorted(role.label for role in Role.from_group_names(user.groups.values_list("name", flat=True))),
        "maisons_de_rattachement": list(user.maisons.order_by("name").values_list("name", flat=True)),
    }


def export_invitations(user: User) -> dict:
    """Invitations the person sent (the invitees' addresses are theirs, not the requester's: RGPD art. 15-4), and
    the one that created their account."""
    sent = Invitation.objects.filter(invited_by=user).prefetch_related("roles").order_by("created_at")
    received = Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email)).order_by("created_at")
    return {
        "envoyées": [
            {
                "envoyée_le": invitation.created_at.isoformat(),
                "expire_le": invitation.expires_at.isoformat(),
                "statut": invitation.status,
                "rôles": invitation.role_labels,
            }
            for invitation in sent
        ],
        "reçues": [
            {"envoyée_le": invitation.created_at.isoformat(), "statut": invitation.status} for invitation in received
        ],
    }


def export_sessions(user: User) -> dict:
    return {
        "sessions_ouvertes": [
            {
                "ouverte_le": session.created_at.isoformat(),
                "dernière_activité": session.last_seen_at.isoformat(),
                "adresse_ip": session.ip,
                "navigateur": session.user_agent,
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ],
        "double_authentification": [
            {
                "type": authenticator.get_type_display(),
                "ajoutée_le": authenticator.created_at.isoformat(),
                "dernière_utilisation": authenticator.last_used_at.isoformat() if authenticator.last_used_at else None,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }


def erase_invitations(user: User) -> dict[str, int]:
    """Invitations addressed to the person go, and their names leave the invitations' history."""
    received = Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    pks = list(received.values_list("pk", flat=True))
    scrubbed = logentries_scrub(
        model=Invitation, pks=pks, fields=["email", "first_name", "last_name"], label="Invitation (effacée)"
    )
    deleted, _ = Invitation.objects.filter(pk__in=pks).delete()
    return {"invitations_deleted": deleted, "invitation_entries_scrubbed": scrubbed}


def erase_account(user: User) -> dict[str, int]:
    """Anonymise the account itself (runs last): no name, an address no server accepts, no password, no role, no
    Maison, inactive; sessions ended and MFA authenticators deleted. The row stays for what points to it."""
    sessions = user_sessions_end(user=user)
    authenticators, _ = Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.maisons.clear()
    user.user_permissions.clear()
    user.set_unusable_password()
    User.objects.filter(pk=user.pk).update(
        email=personal_data.erased_email(user.pk),
        first_name="",
        last_name="",
        password=user.password,
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    user.refresh_from_db()
    return {"account_anonymised": 1, "sessions_ended": sessions, "mfa_authenticators_deleted": authenticators}


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="invitations",
            data="Invitation à créer un compte non acceptée : adresse, nom, rôles proposés",
            purpose="Permettre à la personne invitée de créer son compte",
            setting="INVITATION_RETENTION_DAYS",
            purge=purge_invitations,
            outcome=retention.Outcome.ERASED,
            then="L’invitation expirée est effacée ce délai après son expiration.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="sessions",
            data="Session de connexion : adresse IP, navigateur, dates de connexion et de dernière activité",
            purpose="Garder la personne connectée et lui montrer ses sessions ouvertes",
            setting="SESSION_COOKIE_AGE",
            unit="seconds",
            purge=purge_sessions,
            outcome=retention.Outcome.ERASED,
            then="La session expirée est effacée la nuit suivante.",
        )
    )
    personal_data.register_exporter("compte", "Votre compte", export_profile, order=0)
    personal_data.register_exporter("invitations", "Invitations", export_invitations)
    personal_data.register_exporter("sessions", "Sessions et double authentification", export_sessions)
    personal_data.register_eraser("invitations", erase_invitations)
    personal_data.register_eraser("account", erase_account, order=1000)
