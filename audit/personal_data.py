"""The journals' retention rules, export and erasure (registered in audit/apps.py)."""

import datetime

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import get_user_model
from django.db.models import Q

from core import personal_data, retention

from .models import SecurityEvent
from .services import logentries_scrub


def purge_security_journal(delay: datetime.timedelta) -> int:
    deleted, _ = SecurityEvent.objects.older_than(retention.cutoff(delay)).delete()
    return deleted


def purge_audit_log(delay: datetime.timedelta) -> int:
    """django-auditlog's entries and the Django administration's own history, past the delay."""
    moment = retention.cutoff(delay)
    deleted, _ = LogEntry.objects.filter(timestamp__lt=moment).delete()
    admin_deleted, _ = AdminLogEntry.objects.filter(action_time__lt=moment).delete()
    return deleted + admin_deleted


def _about(user) -> Q:
    """The journal's entries about a person: their account's, and failures typed with their address."""
    return Q(user=user) | Q(identifier__iexact=user.email)


def export_security_journal(user) -> list[dict]:
    return [
        {
            "événement": event.get_kind_display(),
            "date": event.occurred_at.isoformat(),
            "adresse_ip": event.ip_address,
            "navigateur": event.user_agent,
            "identifiant_saisi": event.identifier,
        }
        for event in SecurityEvent.objects.filter(_about(user)).order_by("occurred_at")
    ]


def export_audit_log(user) -> dict:
    """What the person changed is other people's business data: the count is theirs, the content is not."""
    return {"modifications_enregistrées_à_votre_nom": LogEntry.objects.filter(actor=user).count()}


def erase_security_journal(user) -> dict[str, int]:
    """The person's own journal goes; where they acted on someone else's account, the event stays without them."""
    deleted, _ = SecurityEvent.objects.filter(_about(user)).delete()
    detached = SecurityEvent.objects.filter(actor=user).update(actor=None)
    return {"security_events_deleted": deleted, "security_events_detached": detached}


def erase_audit_log(user) -> dict[str, int]:
    """Changes they made keep their author (the anonymised account) without address nor IP; their account's history
    loses its name, address and names."""
    authored = LogEntry.objects.filter(actor=user).update(actor_email=None, remote_addr=None, remote_port=None)
    scrubbed = logentries_scrub(
        model=get_user_model(),
        pks=[user.pk],
        fields=["email", "first_name", "last_name"],
        label=f"Compte n° {user.pk} (effacé)",
    )
    return {"audit_entries_by_person_anonymised": authored, "audit_entries_about_account_scrubbed": scrubbed}


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="security-journal",
            data="Journal de sécurité : connexions, échecs, changements de double authentification, adresse IP et "
            "navigateur",
            purpose="Détecter et instruire les tentatives d’accès frauduleux aux comptes",
            setting="SECURITY_LOG_RETENTION_DAYS",
            purge=purge_security_journal,
            outcome=retention.Outcome.ERASED,
            then="Les événements plus anciens sont effacés.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="audit-log",
            data="Historique des modifications (réservations, événements, partenaires, listes de référence, comptes "
            "et rôles) : qui a changé quoi et quand",
            purpose="Pouvoir établir qui a créé, modifié ou supprimé une donnée, en cas d’erreur ou de contestation",
            setting="AUDIT_LOG_RETENTION_DAYS",
            purge=purge_audit_log,
            outcome=retention.Outcome.ERASED,
            then="Les entrées plus anciennes sont effacées.",
        )
    )
    personal_data.register_exporter(
        "journal_de_securite", "Journal de sécurité de votre compte", export_security_journal
    )
    personal_data.register_exporter("historique", "Historique des modifications", export_audit_log)
    personal_data.register_eraser("security_journal", erase_security_journal)
    personal_data.register_eraser("audit_log", erase_audit_log)
