"""Registrants are members of the public, not accounts: their name and address serve one event, then go.

Registered in apps.py (see core/retention.py and core/personal_data.py). A person with an account who registered
with its address gets their registrations in their export, and erased with them.
"""

import datetime

from core import personal_data, retention

from .models import Registration


def purge_past_registrations(delay: datetime.timedelta) -> int:
    """Delete the registrations of occurrences that ended more than `delay` ago."""
    deleted, _ = Registration.objects.filter(occupancy__period__endswith__lt=retention.cutoff(delay)).delete()
    return deleted


def _of(user):
    if not user.email:
        return Registration.objects.none()
    return Registration.objects.filter(email__iexact=user.email)


def export_registrations(user) -> list[dict]:
    return [
        {
            "événement": registration.occupancy.title,
            "début": registration.occupancy.period.lower.isoformat(),
            "nom": registration.name,
            "courriel": registration.email,
            "statut": registration.get_status_display(),
            "inscrite_le": registration.created_at.isoformat(),
        }
        for registration in _of(user).select_related("occupancy")
    ]


def erase_registrations(user) -> dict[str, int]:
    deleted, _ = _of(user).delete()
    return {"event_registrations_deleted": deleted}


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="event-registrations",
            data="Inscriptions à un événement (nom, adresse électronique)",
            purpose="Gérer les places, la liste d’attente et prévenir les personnes inscrites",
            setting="EVENT_REGISTRATION_RETENTION_DAYS",
            purge=purge_past_registrations,
            outcome=retention.Outcome.ERASED,
            then="Les inscriptions sont effacées après l’événement, à l’issue du délai.",
        )
    )
    personal_data.register_exporter("inscriptions", "Vos inscriptions aux événements", export_registrations)
    personal_data.register_eraser("event-registrations", erase_registrations)
