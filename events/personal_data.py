"""Bookings in a person's data (registered in events/apps.py; see core/personal_data.py)."""

from django.utils import timezone

from core import personal_data

from .models import Occupancy


def export_bookings(user) -> list[dict]:
    occupancies = Occupancy.objects.filter(holder=user).select_related("maison", "room").order_by("period")
    return [
        {
            "intitulé": occupancy.title,
            "nature": occupancy.get_kind_display(),
            "statut": occupancy.get_status_display(),
            "maison": occupancy.maison.name,
            "salle": occupancy.room.name if occupancy.room else None,
            "début": occupancy.period.lower.isoformat(),
            "fin": occupancy.period.upper.isoformat(),
            "créée_le": occupancy.created_at.isoformat(),
        }
        for occupancy in occupancies
    ]


def erase_bookings(user) -> dict[str, int]:
    """Bookings stay (a room's occupancy is the Maison's record, and `holder` is protected): they keep pointing to the
    account, which is anonymised last, so they no longer name the person. Counted for the trace."""
    held = Occupancy.objects.filter(holder=user)
    return {
        "bookings_kept_without_name": held.count(),
        "bookings_upcoming": held.filter(period__endswith__gt=timezone.now()).count(),
    }


def register() -> None:
    personal_data.register_exporter("reservations", "Vos réservations et occupations de salles", export_bookings)
    personal_data.register_eraser("bookings", erase_bookings)
