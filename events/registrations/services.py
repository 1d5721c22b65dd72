"""Registering for an event, cancelling, and the waiting list.

Every change locks the occurrence row first (`select_for_update`): two people taking the last seat at the same
moment, or a cancellation racing a registration, are serialised by PostgreSQL, so the confirmed count never goes
over the capacity and a freed seat goes to exactly one waiting person (the first registered). Mails go into the
shared ledger in the same transaction and leave once it commits (events/notifications.py).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.enums import OccupancyStatus
from events.models import Occupancy

from .models import Registration, RegistrationStatus

CONSENT_TEXT = (
    "J’accepte que mon nom et mon adresse électronique soient utilisés par le Département de la Haute-Marne pour "
    "gérer mon inscription à cet événement (confirmation, liste d’attente, annulation). Ces données sont effacées "
    "{delay} après l’événement."
)


@dataclass(frozen=True)
class Rules:
    """What registration looks like for one occurrence (from its event's settings)."""

    capacity: int | None
    waiting_list: bool
    closes_at: datetime.datetime

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.closes_at


def rules_for(occupancy: Occupancy) -> Rules | None:
    """None when the occurrence takes no registration (no event, registration off, not public)."""
    event = occupancy.event if occupancy.event_id else None
    if event is None or not event.registration_enabled or not occupancy.is_public:
        return None
    start = occupancy.period.lower
    closes_at = event.registration_closes_at
    closes_at = min(closes_at, start) if closes_at else start
    return Rules(capacity=event.capacity, waiting_list=event.waiting_list, closes_at=closes_at)


def counts(occupancy_ids) -> dict[int, dict[str, int]]:
    """Confirmed and waiting registrations per occurrence, in one query."""
    from django.db.models import Count, Q

    rows = (
        Registration.objects.filter(occupancy_id__in=list(occupancy_ids))
        .values("occupancy_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        )
    )
    return {row["occupancy_id"]: {"confirmed": row["confirmed"], "waiting": row["waiting"]} for row in rows}


def _notify(registration: Registration, kind: str) -> None:
    """The registrant's e-mail and reminder, in the ledger with the registration (sent once committed)."""
    from events.notifications import registered

    registered(registration, kind)


def register(*, occupancy: Occupancy, name: str, email: str, consent: str) -> Registration:
    """Register `email` for `occupancy`: a confirmed seat while there is one, else the waiting list (when the event
    has one). Raises ValidationError with a French message when registration is closed, full or a duplicate."""
    email = email.strip().lower()
    with transaction.atomic():
        occupancy = Occupancy.objects.select_for_update(of=("self",)).select_related("event").get(pk=occupancy.pk)
        rules = rules_for(occupancy)
        if rules is None:
            raise ValidationError("Cet événement ne prend pas d’inscription.")
        if occupancy.status != OccupancyStatus.CONFIRMED:
            raise ValidationError("Cet événement est annulé : les inscriptions sont fermées.")
        if not rules.is_open():
            raise ValidationError("Les inscriptions à cet événement sont closes.")
        active = Registration.objects.filter(occupancy=occupancy).exclude(status=RegistrationStatus.CANCELLED)
        if active.filter(email=email).exists():
            raise ValidationError(
                {"email": "Cette adresse est déjà inscrite à cet événement : voyez le courriel de confirmation."}
            )
        confirmed = active.filter(status=RegistrationStatus.CONFIRMED).count()
        if rules.capacity is None or confirmed < rules.capacity:
            status = RegistrationStatus.CONFIRMED
        elif rules.waiting_list:
            status = RegistrationStatus.WAITING
        else:
            raise ValidationError("Cet événement est complet.")
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    occupancy=occupancy, name=name.strip(), email=email, status=status, consent=consent
                )
        except IntegrityError as error:  # The unique constraint, should the lock ever be bypassed.
            raise ValidationError({"email": "Cette adresse est déjà inscrite à cet événement."}) from error
        _notify(registration, status)
    return registration


def cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration (from its link); a freed seat goes to the first person waiting, who is told.
    Returns the promoted registration, if any."""
    with transaction.atomic():
        occupancy = (
            Occupancy.objects.select_for_update(of=("self",)).select_related("event").get(pk=registration.occupancy_id)
        )
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return None
        freed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        from events.notifications import plan_registration

        plan_registration(registration)  # No reminder any more.
        return _promote(occupancy) if freed else None


def _promote(occupancy: Occupancy) -> Registration | None:
    """Give free seats to the first people waiting (the caller holds the occurrence's lock)."""
    rules = rules_for(occupancy)
    if rules is None or occupancy.status != OccupancyStatus.CONFIRMED or occupancy.period.lower <= timezone.now():
        return None
    regs = Registration.objects.filter(occupancy=occupancy)
    confirmed = regs.filter(status=RegistrationStatus.CONFIRMED).count()
    free = (rules.capacity - confirmed) if rules.capacity is not None else None
    waiting = regs.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")
    promoted = None
    for registration in waiting[:free] if free is not None else waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        _notify(registration, "promoted")
        promoted = promoted or registration
    return promoted


def promote_waiting(*, occupancy: Occupancy) -> Registration | None:
    """After the organiser raised the capacity: seats go to the people waiting."""
    with transaction.atomic():
        occupancy = Occupancy.objects.select_for_update(of=("self",)).select_related("event").get(pk=occupancy.pk)
        return _promote(occupancy)
