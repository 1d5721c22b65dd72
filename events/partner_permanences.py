"""The partners' next public permanences, for the partner directory (registered in events/apps.py; see
partenaires/permanences.py for why the directory asks events through a registry)."""

from collections.abc import Iterable

from django.utils import timezone

from partenaires import permanences

from .enums import OccupancyKind
from .models import Occupancy


def _public_permanences():
    return (
        Occupancy.objects.upcoming()
        .filter(kind=OccupancyKind.PERMANENCE, is_public=True, partner__isnull=False, maison__is_published=True)
        .select_related("maison", "room")
    )


def _as_permanence(occupancy: Occupancy) -> permanences.Permanence:
    return permanences.Permanence(
        partner_id=occupancy.partner_id,
        title=occupancy.title,
        maison_name=occupancy.maison.name,
        maison_url=occupancy.maison.get_absolute_url(),
        start=timezone.localtime(occupancy.period.lower),
        end=timezone.localtime(occupancy.period.upper),
        room=occupancy.room.name if occupancy.room else "",
    )


def next_by_partner(partner_ids: Iterable[int]) -> dict[int, permanences.Permanence]:
    """One query: PostgreSQL's DISTINCT ON keeps each partner's first permanence by start."""
    rows = (
        _public_permanences()
        .filter(partner_id__in=list(partner_ids))
        .order_by("partner_id", "period")
        .distinct("partner_id")
    )
    return {row.partner_id: _as_permanence(row) for row in rows}


def upcoming(partner_id: int, limit: int) -> list[permanences.Permanence]:
    return [
        _as_permanence(row) for row in _public_permanences().filter(partner_id=partner_id).order_by("period")[:limit]
    ]


def register() -> None:
    permanences.register(permanences.Provider(next_by_partner=next_by_partner, upcoming=upcoming))
