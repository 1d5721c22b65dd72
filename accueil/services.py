"""Writing the reception log: every entry, correction, deletion and referral goes through here (forms validate,
services act). Changes by staff are recorded by the audit trail (auditlog tracks Visit and Motif, settings)."""

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from maisons.models import Commune, Direction, Maison
from partenaires.models import Partner

from . import consent
from .enums import DurationBand, Outcome, Residence
from .models import NOTE_MAX_LENGTH, Motif, Referral, Visit, VisitMotif, local_day_bounds
from .stats.receivers import grouped as stats_grouped

logger = logging.getLogger(__name__)

# A clock a little ahead on the agent's computer, or a minute typed by hand, is not "the future".
FUTURE_TOLERANCE = datetime.timedelta(minutes=2)
UNDO_DELAY = datetime.timedelta(minutes=5)
MOST_USED_WINDOW = datetime.timedelta(days=90)
MOST_USED_CACHE_SECONDS = 600


def check_not_in_future(occurred_at: datetime.datetime, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if occurred_at > now + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": "Une visite ne peut pas être enregistrée dans le futur."}, code="future")


def _check(
    *,
    motifs: list[Motif],
    other_motif: str,
    outcome: str,
    direction: Direction | None,
    partner: Partner | None,
    occurred_at: datetime.datetime,
    now: datetime.datetime | None,
) -> None:
    errors = {}
    if not motifs:
        errors["motifs"] = "Choisissez au moins un motif."
    elif any(motif.is_other for motif in motifs) and not other_motif.strip():
        errors["other_motif"] = "Précisez en quelques mots l’autre motif."
    if outcome == Outcome.DIRECTION and direction is None:
        errors["direction"] = "Indiquez la direction vers laquelle le visiteur est orienté."
    if outcome == Outcome.PARTNER and partner is None:
        errors["partner"] = "Indiquez le partenaire vers lequel le visiteur est orienté."
    if errors:
        raise ValidationError(errors)
    check_not_in_future(occurred_at, now=now)


_LINKS = ("maison", "agent", "direction", "partner", "commune")


def _full_clean(visit: Visit) -> None:
    """The fields' own validation, not the table's CHECK constraints: Django checks each of those with a query in a
    savepoint of its own (36 of the 70 queries of logging a visit, issue 8's benchmark), while each one restates a
    field's choices or max length (checked here) or a rule between fields that `_check` and the services keep. The
    database still enforces them all on save. The links are rows the caller holds, not read again (one query each)."""
    if visit.residence == Residence.COMMUNE and visit.commune is None:
        raise ValidationError({"commune": "Choisissez une commune de la liste, ou « Hors de France »."})
    if len(visit.note) > NOTE_MAX_LENGTH:  # A TextField's max_length is not a validator (Django, « TextField »).
        raise ValidationError({"note": f"La remarque ne dépasse pas {NOTE_MAX_LENGTH} caractères."})
    visit.full_clean(exclude=[*_LINKS, "token", "motifs"], validate_unique=False, validate_constraints=False)


def visit_log(
    *,
    agent,
    maison: Maison,
    token: uuid.UUID | None,
    motifs: Iterable[Motif],
    other_motif: str = "",
    occurred_at: datetime.datetime | None = None,
    channel: str,
    outcome: str = Outcome.ANSWERED,
    direction: Direction | None = None,
    partner: Partner | None = None,
    commune: Commune | None = None,
    residence: str = Residence.NOT_GIVEN,
    age_band: str = "",
    sex: str = "",
    duration_band: str = DurationBand.FROM_5_TO_15,
    first_visit: bool | None = None,
    satisfaction: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> tuple[Visit, bool]:
    """Log a visit; returns (visit, created). The same `token` twice (a double click, a form sent again, two
    requests racing) returns the visit the first one created: the unique token is the arbiter, in the database."""
    now = now or timezone.now()
    motifs = list(motifs)
    occurred_at = occurred_at or now
    if token is not None:
        existing = Visit.all_objects.filter(token=token, maison=maison).first()
        if existing is not None:
            return existing, False
    _check(
        motifs=motifs,
        other_motif=other_motif,
        outcome=outcome,
        direction=direction,
        partner=partner,
        occurred_at=occurred_at,
        now=now,
    )
    visit = Visit(
        maison=maison,
        agent=agent,
        token=token,
        occurred_at=occurred_at,
        channel=channel,
        other_motif=other_motif.strip() if any(m.is_other for m in motifs) else "",
        outcome=outcome,
        direction=direction if outcome == Outcome.DIRECTION else None,
        partner=partner if outcome == Outcome.PARTNER else None,
        residence=Residence.COMMUNE if commune else residence,
        commune=commune,
        age_band=age_band,
        sex=sex,
        duration_band=duration_band,
        first_visit=first_visit,
        satisfaction=satisfaction,
        note=note.strip(),
    )
    _full_clean(visit)
    try:
        # The statistics' summary follows the new visit once, at the end of the block (accueil/stats/receivers.py):
        # its reasons' links can be written in bulk, without the m2m signal nor the read of links a new visit lacks.
        with transaction.atomic(), stats_grouped():
            visit.save()
            unique = {motif.pk: motif for motif in motifs}.values()
            VisitMotif.objects.bulk_create([VisitMotif(visit=visit, motif=motif) for motif in unique])
    except IntegrityError:
        # Another request with the same token won the race (it waited on the unique index, then failed here).
        existing = Visit.all_objects.filter(token=token, maison=maison).first() if token else None
        if existing is None:
            raise
        return existing, False
    return visit, True


def visit_update(
    *,
    visit: Visit,
    motifs: Iterable[Motif],
    now: datetime.datetime | None = None,
    **fields,
) -> Visit:
    """Correct a visit (the view checks `perms.can_change_visit`)."""
    motifs = list(motifs)
    for name, value in fields.items():
        setattr(visit, name, value)
    if visit.commune is not None:
        visit.residence = Residence.COMMUNE
    elif visit.residence == Residence.COMMUNE:
        visit.residence = Residence.NOT_GIVEN
    if visit.outcome != Outcome.DIRECTION:
        visit.direction = None
    if visit.outcome != Outcome.PARTNER:
        visit.partner = None
    if not any(m.is_other for m in motifs):
        visit.other_motif = ""
    _check(
        motifs=motifs,
        other_motif=visit.other_motif,
        outcome=visit.outcome,
        direction=visit.direction,
        partner=visit.partner,
        occurred_at=visit.occurred_at,
        now=now,
    )
    _full_clean(visit)
    with transaction.atomic(), stats_grouped():
        visit.save()
        visit.motifs.set(motifs)
    return visit


def visit_delete(*, visit: Visit, now: datetime.datetime | None = None) -> Visit:
    """Soft delete: the visit leaves the figures at once and can be restored for UNDO_DELAY."""
    visit.deleted_at = now or timezone.now()
    visit.save(update_fields=["deleted_at", "updated_at"])
    return visit


def can_restore(visit: Visit, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return visit.deleted_at is not None and now - visit.deleted_at <= UNDO_DELAY


def visit_restore(*, visit: Visit, now: datetime.datetime | None = None) -> Visit:
    if not can_restore(visit, now=now):
        raise ValidationError("Le délai pour annuler cette suppression est passé.", code="too_late")
    visit.deleted_at = None
    visit.save(update_fields=["deleted_at", "updated_at"])
    return visit


def purge_deleted_visits(delay: datetime.timedelta) -> int:
    """Visits deleted from the reception screen (soft delete) are really deleted once the undo delay is long past."""
    total = 0
    moment = timezone.now() - delay
    while True:
        pks = list(Visit.all_objects.filter(deleted_at__lt=moment).values_list("pk", flat=True)[:1000])
        if not pks:
            return total
        Visit.all_objects.filter(pk__in=pks).delete()
        total += len(pks)


# Reading ------------------------------------------------------------------------------------------------------


def most_used_motifs(maison: Maison, *, limit: int = 8) -> list[Motif]:
    """This Maison's most used active reasons over the last 90 days (cached ten minutes), completed with the
    reference list's order; « Autre » is never among the buttons (it has its own place)."""
    key = f"accueil:most-used:{maison.pk}"
    pks = cache.get(key)
    if pks is None:
        since = timezone.now() - MOST_USED_WINDOW
        pks = list(
            VisitMotif.objects.filter(visit__maison=maison, visit__occurred_at__gte=since)
            .values("motif")
            .annotate(uses=Count("id"))
            .order_by("-uses", "motif")
            .values_list("motif", flat=True)[:30]
        )
        cache.set(key, pks, MOST_USED_CACHE_SECONDS)
    active = {m.pk: m for m in Motif.objects.active().exclude(group="autre")}
    chosen = [active[pk] for pk in pks if pk in active][:limit]
    for motif in active.values():
        if len(chosen) >= limit:
            break
        if motif not in chosen:
            chosen.append(motif)
    return chosen


def counters(maison: Maison, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Visits today and this week (from Monday), local days, in one query."""
    from django.db.models import Q

    now = now or timezone.now()
    today = timezone.localdate(now)
    day_start = local_day_bounds(today)[0]
    week_start = local_day_bounds(today - datetime.timedelta(days=today.weekday()))[0]
    return Visit.objects.filter(maison=maison, occurred_at__gte=week_start).aggregate(
        today=Count("id", filter=Q(occurred_at__gte=day_start)), week=Count("id")
    )


def todays_visits(maison: Maison, *, now: datetime.datetime | None = None):
    """Today's visits of a Maison, newest first, with those deleted less than UNDO_DELAY ago (to undo)."""
    from django.db.models import Q

    now = now or timezone.now()
    return (
        Visit.all_objects.on_day(timezone.localdate(now))
        .filter(maison=maison)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__gte=now - UNDO_DELAY))
        .select_related("agent", "direction", "partner", "commune", "referral")
        .prefetch_related("motifs")
        .order_by("-occurred_at", "-pk")
    )


# Reference lists --------------------------------------------------------------------------------------------


def motif_retire(*, motif: Motif) -> bool:
    """Remove a reason from the entry screen. One never used is deleted; one in use is retired, so that history
    stays true. Returns True when it was deleted."""
    with transaction.atomic():
        if not VisitMotif.objects.filter(motif=motif).exists():
            motif.delete()
            return True
        motif.is_active = False
        motif.save(update_fields=["is_active"])
        return False


# Referrals --------------------------------------------------------------------------------------------------


def referral_create(
    *,
    visit: Visit,
    agent,
    visitor_name: str,
    visitor_contact: str,
    need: str,
    consent_given: bool,
    follow_up_days: int,
    now: datetime.datetime | None = None,
) -> Referral:
    """Put the visitor in touch with the visit's partner or direction, with their consent; the e-mail leaves
    once the transaction commits, the agent's reminder after `follow_up_days` (accueil/notifications.py)."""
    from .notifications import referral_created

    now = now or timezone.now()
    if not consent_given:
        raise ValidationError({"consent": "Sans l’accord du visiteur, rien n’est transmis."})
    if visit.outcome not in (Outcome.DIRECTION, Outcome.PARTNER):
        raise ValidationError("Une mise en relation suit une orientation vers une direction ou un partenaire.")
    recipient = visit.partner.email if visit.partner else visit.direction.mailbox
    if not recipient:
        raise ValidationError("Ce partenaire n’a pas d’adresse électronique dans l’annuaire.", code="no_mailbox")
    referral = Referral(
        visit=visit,
        partner=visit.partner,
        direction=visit.direction,
        recipient_email=recipient,
        visitor_name=visitor_name.strip(),
        visitor_contact=visitor_contact.strip(),
        need=need.strip(),
        consent_version=consent.CURRENT_VERSION,
        consent_text=consent.text(),
        consented_at=now,
        agent=agent,
        follow_up_at=now + datetime.timedelta(days=follow_up_days),
    )
    referral.full_clean()
    with transaction.atomic():
        referral.save()
        referral_created(referral)
    return referral


def referral_record_answer(*, referral: Referral, answer: str, now: datetime.datetime | None = None) -> Referral:
    referral.answer = answer
    referral.answered_at = now or timezone.now()
    referral.full_clean()
    referral.save(update_fields=["answer", "answered_at"])
    return referral


def purge_referral_personal_data(delay: datetime.timedelta) -> int:
    """Erase the visitor's name, contact and need of referrals older than the delay, in batches; the referral
    stays (sent, answered or not) for the figures."""
    total = 0
    moment = timezone.now() - delay
    while True:
        pks = list(
            Referral.objects.filter(created_at__lt=moment, personal_data_erased_at__isnull=True).values_list(
                "pk", flat=True
            )[:1000]
        )
        if not pks:
            return total
        total += Referral.objects.filter(pk__in=pks).update(
            visitor_name="", visitor_contact="", need="", personal_data_erased_at=timezone.now()
        )


FOLLOW_UP_DAYS = (2, 7, 14)
