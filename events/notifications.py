"""The calendar's e-mails, on the shared ledger (notifications/): what officials, directions, partners, staff and
registrants receive about bookings and events, and when.

| kind | to | when |
| --- | --- | --- |
| events.reservation_change | the official holding a booking (and the assistant who booked) | at each change |
| events.reservation_reminder | the official | the day before at 17:00, 2 hours before |
| events.event_reminder | the officials, directions and partner of an event or permanence | 7 days, 1 day before |
| events.event_change | the same people | an occurrence moved or cancelled |
| events.registration | a registrant | registered, on the waiting list, seat obtained |
| events.registration_reminder | a registrant | the day before at 17:00, with the cancellation link |
| events.registration_change | a registrant | their occurrence moved or cancelled |
| events.weekly_digest | reception agents (their Maisons) and project leads (all) | Monday 07:30 |
| events.daily_digest | project leads | working days at 08:00 |

Bookings and events are planned when they change (`events.signals.occupancy_changed`, below) and again every
quarter of an hour for what starts within the longest lead time (`plan_window`), so that people added to an event
since are reminded too.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from maisons import opening
from maisons.models import Maison
from notifications import planners
from notifications.kinds import Kind, registry
from notifications.models import Notification
from notifications.services import Recipient, example, notify, plan, rule_for, rule_timings
from notifications.timing import PARIS, Timing

from . import ical
from .enums import EventStatus, OccupancyKind, OccupancyStatus
from .models import Event, Occupancy

RESERVATION_CHANGE = "events.reservation_change"
RESERVATION_REMINDER = "events.reservation_reminder"
EVENT_REMINDER = "events.event_reminder"
EVENT_CHANGE = "events.event_change"
REGISTRATION = "events.registration"
REGISTRATION_REMINDER = "events.registration_reminder"
REGISTRATION_CHANGE = "events.registration_change"
WEEKLY_DIGEST = "events.weekly_digest"
DAILY_DIGEST = "events.daily_digest"

CHANGE_SUBJECTS = {
    "created": "Réservation confirmée",
    "pending": "Demande de réservation enregistrée",
    "confirmed": "Réservation acceptée",
    "refused": "Demande de réservation refusée",
    "expired": "Demande de réservation expirée",
    "cancelled": "Réservation annulée",
    "moved": "Réservation modifiée",
}
RELATED = ("maison__commune", "room", "holder", "booked_by", "category", "partner", "event")


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _when(occupancy: Occupancy) -> str:
    from .services import slot_text

    return slot_text(occupancy.period.lower, occupancy.period.upper)


def _minute(moment: datetime.datetime) -> datetime.datetime:
    """Changes made in one go (a series cancelled) share a due time, hence one message (notify's `merge`)."""
    return moment.replace(second=0, microsecond=0)


def _occupancies(pks) -> list[Occupancy]:
    return list(Occupancy.objects.filter(pk__in=pks).select_related(*RELATED).order_by("period"))


# Reservations -------------------------------------------------------------------------------------------------


def reservation_recipients(occupancy: Occupancy) -> list[Recipient]:
    recipients = [Recipient(occupancy.holder.email, occupancy.holder)] if occupancy.holder_id else []
    if occupancy.booked_by_id and occupancy.booked_by_id != occupancy.holder_id:
        recipients.append(Recipient(occupancy.booked_by.email, occupancy.booked_by))
    return recipients


def reservation_change_context(notification: Notification) -> dict | None:
    occupancies = _occupancies(notification.payload.get("occupancies") or [notification.object_id])
    if not occupancies:
        return None
    first = occupancies[0]
    change = notification.payload.get("change", "created")
    if change == "created" and first.status == OccupancyStatus.PENDING:
        change = "pending"
    slots = [_when(occupancy) for occupancy in occupancies]
    return {
        "change": change,
        "change_label": CHANGE_SUBJECTS.get(change, "Réservation modifiée"),
        "first": first,
        "room": first.room,
        "maison": first.maison,
        "slots": slots,
        "first_slot": slots[0],
        "others": len(slots) - 1,
        "bookings_url": _url("events:my_bookings"),
        "attachments": [
            (
                "reservation.ics",
                ical.calendar(occupancies, name="Réservation de salle", audience=ical.Audience.PRIVATE),
                "text/calendar",
            )
        ],
    }


def reservation_changed(occupancies: list[Occupancy], change: str) -> None:
    """Tell the holder of these bookings (one series, or one booking) about `change`."""
    first = occupancies[0]
    notify(
        RESERVATION_CHANGE,
        first,
        reservation_recipients(first),
        payload={"change": change, "occupancies": [occupancy.pk for occupancy in occupancies]},
    )


def _upcoming_context(notification: Notification) -> tuple[Occupancy, datetime.datetime] | None:
    """The occupancy of a reminder if it still starts when the reminder was planned for, in the future."""
    occupancy = Occupancy.objects.filter(pk=notification.object_id).select_related(*RELATED).first()
    if occupancy is None or occupancy.status != OccupancyStatus.CONFIRMED:
        return None
    start = occupancy.period.lower
    if start <= timezone.now() or notification.payload.get("start") not in (None, start.isoformat()):
        return None
    return occupancy, start


def reservation_reminder_context(notification: Notification) -> dict | None:
    found = _upcoming_context(notification)
    if found is None:
        return None
    occupancy, start = found
    return {
        "occupancy": occupancy,
        "room": occupancy.room,
        "maison": occupancy.maison,
        "when": _when(occupancy),
        "bookings_url": _url("events:my_bookings"),
    }


def plan_reservation(occupancy: Occupancy) -> None:
    confirmed = occupancy.kind == OccupancyKind.RESERVATION and occupancy.status == OccupancyStatus.CONFIRMED
    start = occupancy.period.lower if confirmed else None
    plan(
        RESERVATION_REMINDER,
        occupancy,
        start,
        reservation_recipients(occupancy),
        payload={"start": start.isoformat()} if start else None,
    )


# Events and permanences: the people involved ----------------------------------------------------------------


def involved(occupancy: Occupancy) -> list[Recipient]:
    """The officials, directions (functional mailboxes) and partner of an event's occurrence or a permanence."""
    recipients = []
    event = occupancy.event
    if event is not None:
        recipients += [Recipient(user.email, user) for user in event.officials.all() if user.is_active]
        directions = list(event.directions.all())
        if event.organiser_direction_id:
            directions.append(event.organiser_direction)
        recipients += [Recipient(direction.mailbox) for direction in directions if direction.is_active]
        if event.partner_id and event.partner.email:
            recipients.append(Recipient(event.partner.email))
    if occupancy.partner_id and occupancy.partner.email:
        recipients.append(Recipient(occupancy.partner.email))
    return recipients


def event_reminder_context(notification: Notification) -> dict | None:
    found = _upcoming_context(notification)
    if found is None:
        return None
    occupancy, start = found
    event = occupancy.event
    return {
        "occupancy": occupancy,
        "event": event,
        "maison": occupancy.maison,
        "room": occupancy.room,
        "when": _when(occupancy),
        "description": (event.description if event else occupancy.description),
        "reply_to": [occupancy.maison.email] if occupancy.maison.email else [],
        "attachments": [
            (
                "evenement.ics",
                ical.calendar([occupancy], name=occupancy.title, audience=ical.Audience.PRIVATE),
                "text/calendar",
            )
        ],
    }


def plan_event_occurrence(occupancy: Occupancy) -> None:
    holds = occupancy.kind != OccupancyKind.RESERVATION and occupancy.status == OccupancyStatus.CONFIRMED
    if holds and occupancy.event_id and occupancy.event.status == EventStatus.DRAFT:
        holds = False
    start = occupancy.period.lower if holds else None
    plan(
        EVENT_REMINDER,
        occupancy,
        start,
        involved(occupancy) if holds else [],
        payload={"start": start.isoformat()} if start else None,
    )


def event_change_context(notification: Notification) -> dict | None:
    occupancies = _occupancies(notification.payload.get("occurrences", []))
    if not occupancies:
        return None
    first = occupancies[0]
    changes = [
        (occupancy, _when(occupancy), occupancy.status != OccupancyStatus.CONFIRMED) for occupancy in occupancies
    ]
    return {
        "title": first.event.title if first.event_id else first.title,
        "maison": first.maison,
        "changes": changes,
        "all_cancelled": all(cancelled for _, _, cancelled in changes),
        "reply_to": [first.maison.email] if first.maison.email else [],
        "attachments": [
            (
                "evenement.ics",
                ical.calendar(occupancies, name=first.title, audience=ical.Audience.PRIVATE),
                "text/calendar",
            )
        ],
    }


def event_changed(occupancy: Occupancy) -> None:
    target = occupancy.event or occupancy
    notify(
        EVENT_CHANGE,
        target,
        involved(occupancy),
        at=_minute(timezone.now()),
        payload={"occurrences": [occupancy.pk]},
        merge="occurrences",
    )


# Registrations --------------------------------------------------------------------------------------------------


def _registration(notification: Notification):
    from .registrations.models import Registration

    return (
        Registration.objects.select_related("occupancy__maison__commune", "occupancy__room", "occupancy__category")
        .filter(pk=notification.object_id)
        .first()
    )


def registration_context(notification: Notification) -> dict | None:
    from .registrations.emails import context_for
    from .registrations.models import RegistrationStatus

    registration = _registration(notification)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return None
    context = {**context_for(registration), "status": notification.payload.get("status", "confirmed")}
    if registration.status == RegistrationStatus.CONFIRMED:
        document = ical.calendar(
            [registration.occupancy], name=registration.occupancy.title, audience=ical.Audience.PUBLIC
        )
        context["attachments"] = [("evenement.ics", document, "text/calendar")]
    return context


def registration_reminder_context(notification: Notification) -> dict | None:
    from .registrations.emails import context_for
    from .registrations.models import RegistrationStatus

    registration = _registration(notification)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return None
    occupancy = registration.occupancy
    if occupancy.status != OccupancyStatus.CONFIRMED or occupancy.period.lower <= timezone.now():
        return None
    if notification.payload.get("start") not in (None, occupancy.period.lower.isoformat()):
        return None
    return context_for(registration)


def registration_change_context(notification: Notification) -> dict | None:
    from .registrations.emails import context_for
    from .registrations.models import RegistrationStatus

    registration = _registration(notification)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return None
    occupancy = registration.occupancy
    context = {**context_for(registration), "cancelled": occupancy.status != OccupancyStatus.CONFIRMED}
    document = ical.calendar([occupancy], name=occupancy.title, audience=ical.Audience.PUBLIC)
    context["attachments"] = [("evenement.ics", document, "text/calendar")]
    return context


def registered(registration, status: str) -> None:
    """A registrant's confirmation, waiting-list notice or seat obtained; then their reminder is planned."""
    notify(REGISTRATION, registration, [Recipient(registration.email)], payload={"status": status})
    plan_registration(registration)


def plan_registration(registration) -> None:
    from .registrations.models import RegistrationStatus

    occupancy = registration.occupancy
    holds = registration.status == RegistrationStatus.CONFIRMED and occupancy.status == OccupancyStatus.CONFIRMED
    start = occupancy.period.lower if holds else None
    plan(
        REGISTRATION_REMINDER,
        registration,
        start,
        [Recipient(registration.email)],
        payload={"start": start.isoformat()} if start else None,
    )


def registrations_changed(occupancy: Occupancy) -> None:
    from .registrations.models import Registration, RegistrationStatus

    at = _minute(timezone.now())
    registrations = Registration.objects.filter(occupancy=occupancy).exclude(status=RegistrationStatus.CANCELLED)
    for registration in registrations.select_related("occupancy"):
        notify(REGISTRATION_CHANGE, registration, [Recipient(registration.email)], at=at)
        plan_registration(registration)


# Digests ------------------------------------------------------------------------------------------------------


def _week_of(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    local = moment.astimezone(PARIS)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    start = datetime.datetime.combine(monday, datetime.time()).replace(tzinfo=PARIS)
    end = datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time()).replace(tzinfo=PARIS)
    return start, end


def digest_maisons(user) -> list[Maison]:
    maisons = Maison.objects.select_related("commune").order_by("name")
    if Role.PROJECT_LEAD in user.roles or Role.ADMINISTRATOR in user.roles:
        return list(maisons.filter(is_published=True))
    return list(maisons.filter(pk__in=user.maisons.values("pk")))


def weekly_digest_context(notification: Notification) -> dict | None:
    user = notification.recipient
    if user is None or not user.is_active:
        return None
    start, end = _week_of(notification.due_at)
    maisons = digest_maisons(user)
    occupancies = list(
        Occupancy.objects.holding()
        .filter(maison__in=maisons, period__overlap=(start, end))
        .select_related("room", "partner", "holder", "maison")
        .order_by("period")
    )
    days = [start.date() + datetime.timedelta(days=offset) for offset in range(5)]
    sections = []
    for maison in maisons:
        mine = [occupancy for occupancy in occupancies if occupancy.maison_id == maison.pk]
        rooms = []
        for room in maison.rooms.filter(is_active=True).order_by("name"):
            busy_days = {
                timezone.localtime(occupancy.period.lower).date() for occupancy in mine if occupancy.room_id == room.pk
            }
            free = [
                opening.format_day(day) for day in days if day not in busy_days and not opening.public_holiday(day)
            ]
            rooms.append((room, free))
        sections.append(
            {
                "maison": maison,
                "events": [(o, _when(o)) for o in mine if o.kind in (OccupancyKind.EVENT, OccupancyKind.MEETING)],
                "permanences": [(o, _when(o)) for o in mine if o.kind == OccupancyKind.PERMANENCE],
                "bookings": [(o, _when(o)) for o in mine if o.kind == OccupancyKind.RESERVATION],
                "rooms": rooms,
            }
        )
    return {
        "user": user,
        "week": f"du {opening.format_day(start.date(), year=True)} au "
        f"{opening.format_day((end - datetime.timedelta(days=1)).date(), year=True)}",
        "sections": sections,
        "planning_url": _url("planning:week"),
    }


def _digest_users(*roles: Role):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[role.value for role in roles])
        .exclude(email="")
        .distinct()
    )


def weekly_digest_send(now: datetime.datetime | None = None) -> int:
    """Monday 07:30 (beat): this week's digest for each agent and project lead; run twice, it adds nothing."""
    now = now or timezone.now()
    local = now.astimezone(PARIS)
    due = datetime.datetime.combine(local.date(), datetime.time(7, 30)).replace(tzinfo=PARIS)
    created = 0
    for user in _digest_users(Role.AGENT, Role.PROJECT_LEAD):
        created += len(notify(WEEKLY_DIGEST, user, [Recipient(user.email, user)], at=due))
    return created


def daily_digest_context(notification: Notification) -> dict | None:
    from .reservations import expires_at

    user = notification.recipient
    if user is None or not user.is_active:
        return None
    pending = [
        (occupancy, _when(occupancy), expires_at(occupancy))
        for occupancy in Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, status=OccupancyStatus.PENDING)
        .select_related("room", "maison", "holder")
        .order_by("period")[:100]
    ]
    horizon = timezone.now() + datetime.timedelta(days=30)
    incomplete = []
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, start__lte=horizon)
        .filter(occurrences__period__endswith__gt=timezone.now(), occurrences__status=OccupancyStatus.CONFIRMED)
        .filter(Q(description="") | Q(category__isnull=True) | Q(registration_enabled=True, capacity__isnull=True))
        .select_related("maison", "category")
        .distinct()
        .order_by("start")[:100]
    )
    for event in events:
        missing = []
        if not event.description:
            missing.append("description")
        if event.category_id is None:
            missing.append("catégorie")
        if event.registration_enabled and event.capacity is None:
            missing.append("nombre de places")
        incomplete.append((event, ", ".join(missing)))
    if not pending and not incomplete:
        return None  # Nothing to report: no message.
    return {
        "user": user,
        "pending": pending,
        "incomplete": incomplete,
        "approvals_url": _url("approvals:list"),
        "planning_url": _url("planning:week"),
    }


def working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not opening.public_holiday(day)


def daily_digest_send(now: datetime.datetime | None = None) -> int:
    """Working days at 08:00 (beat): what waits for the project leads; nothing on weekends and public holidays."""
    now = now or timezone.now()
    local = now.astimezone(PARIS)
    if not working_day(local.date()):
        return 0
    due = datetime.datetime.combine(local.date(), datetime.time(8, 0)).replace(tzinfo=PARIS)
    created = 0
    for user in _digest_users(Role.PROJECT_LEAD):
        created += len(notify(DAILY_DIGEST, user, [Recipient(user.email, user)], at=due))
    return created


# Planning from the calendar ---------------------------------------------------------------------------------------


def on_occupancy_changed(sender, occupancy, change, **kwargs) -> None:
    """The calendar changed (once committed): plan its reminders again and tell the people concerned."""
    occupancy = Occupancy.objects.select_related(*RELATED).get(pk=occupancy.pk)
    if occupancy.kind == OccupancyKind.RESERVATION:
        from .reservations import in_series

        if not (change == "created" and in_series(occupancy.pk)):
            reservation_changed([occupancy], change)
        plan_reservation(occupancy)
        return
    plan_event_occurrence(occupancy)
    if change in ("moved", "cancelled"):
        event_changed(occupancy)
        registrations_changed(occupancy)


def _longest_lead(kind_code: str) -> datetime.timedelta:
    kind = registry[kind_code]
    timings = rule_timings(kind, rule_for(kind))
    from notifications.models import Preference

    for item in Preference.objects.filter(kind=kind_code).exclude(timings=[]).values_list("timings", flat=True):
        timings += [Timing.from_json(value) for value in item]
    days = max([timing.days + 1 + timing.minutes / 1440 for timing in timings], default=1)
    return datetime.timedelta(days=days)


def plan_window(now: datetime.datetime | None = None) -> dict:
    """Plan again the reminders of what starts within the longest lead time (beat, every quarter of an hour)."""
    from .registrations.models import Registration, RegistrationStatus

    now = now or timezone.now()
    counts = {"occurrences": 0, "reservations": 0, "registrations": 0}
    soon = Occupancy.objects.confirmed().filter(period__startswith__gt=now).select_related(*RELATED)
    events = soon.exclude(kind=OccupancyKind.RESERVATION).filter(
        period__startswith__lte=now + _longest_lead(EVENT_REMINDER)
    )
    for occupancy in events.prefetch_related("event__officials", "event__directions"):
        plan_event_occurrence(occupancy)
        counts["occurrences"] += 1
    reservations = soon.filter(
        kind=OccupancyKind.RESERVATION, period__startswith__lte=now + _longest_lead(RESERVATION_REMINDER)
    )
    for occupancy in reservations:
        plan_reservation(occupancy)
        counts["reservations"] += 1
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        occupancy__status=OccupancyStatus.CONFIRMED,
        occupancy__period__startswith__gt=now,
        occupancy__period__startswith__lte=now + _longest_lead(REGISTRATION_REMINDER),
    ).select_related("occupancy")
    for registration in registrations:
        plan_registration(registration)
        counts["registrations"] += 1
    return counts


def replan(target) -> None:
    if isinstance(target, Occupancy):
        occupancy = Occupancy.objects.select_related(*RELATED).get(pk=target.pk)
        if occupancy.kind == OccupancyKind.RESERVATION:
            plan_reservation(occupancy)
        else:
            plan_event_occurrence(occupancy)
    elif target is not None and target._meta.label == "event_registrations.Registration":
        plan_registration(target)


# Examples for the project lead's preview: the latest real case of each kind ----------------------------------


def _latest_reservation(**filters):
    return (
        Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, **filters)
        .select_related(*RELATED)
        .order_by("-period")
        .first()
    )


def _first_recipient(recipients):
    return recipients[0] if recipients else None


def example_reservation_change():
    occupancy = _latest_reservation(status=OccupancyStatus.CONFIRMED)
    recipient = _first_recipient(reservation_recipients(occupancy)) if occupancy else None
    return example(RESERVATION_CHANGE, occupancy, recipient, due_at=timezone.now(), payload={"change": "created"})


def example_reservation_reminder():
    occupancy = _latest_reservation(status=OccupancyStatus.CONFIRMED, period__startswith__gt=timezone.now())
    recipient = _first_recipient(reservation_recipients(occupancy)) if occupancy else None
    return example(RESERVATION_REMINDER, occupancy, recipient, due_at=timezone.now())


def _latest_event_occurrence(*, upcoming: bool):
    occupancies = (
        Occupancy.objects.exclude(kind=OccupancyKind.RESERVATION)
        .filter(event__isnull=False)
        .select_related(*RELATED)
        .order_by("period" if upcoming else "-period")
    )
    if upcoming:
        occupancies = occupancies.filter(status=OccupancyStatus.CONFIRMED, period__startswith__gt=timezone.now())
    for occupancy in occupancies[:50]:
        recipients = involved(occupancy)
        if recipients:
            return occupancy, recipients[0]
    return None, None


def example_event_reminder():
    occupancy, recipient = _latest_event_occurrence(upcoming=True)
    return example(EVENT_REMINDER, occupancy, recipient, due_at=timezone.now())


def example_event_change():
    occupancy, recipient = _latest_event_occurrence(upcoming=True)
    if occupancy is None:
        return None
    return example(
        EVENT_CHANGE, occupancy.event, recipient, due_at=timezone.now(), payload={"occurrences": [occupancy.pk]}
    )


def _latest_registration():
    from .registrations.models import Registration, RegistrationStatus

    return (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED, occupancy__period__startswith__gt=timezone.now()
        )
        .select_related("occupancy")
        .order_by("-created_at")
        .first()
    )


def _registration_example(kind_code: str, **fields):
    registration = _latest_registration()
    if registration is None:
        return None
    return example(kind_code, registration, Recipient(registration.email), due_at=timezone.now(), **fields)


def _digest_example(kind_code: str, *roles: Role):
    user = _digest_users(*roles).order_by("pk").first()
    if user is None:
        return None
    return example(kind_code, user, Recipient(user.email, user), due_at=timezone.now())


def register() -> None:
    reminder = "Variables : {{ when }}, {{ maison.name }}, {{ room.name }}, {{ occupancy.title }}."
    registry.register(
        Kind(
            code=RESERVATION_CHANGE,
            label="Réservation : confirmation et changements",
            recipients="l’élu·e titulaire, et l’assistant·e qui a réservé",
            when="à la réservation, à l’accord ou au refus, à l’expiration, au déplacement, à l’annulation",
            context=reservation_change_context,
            example=example_reservation_change,
            help="Variables : {{ change_label }}, {{ first_slot }}, {{ others }}, {{ room.name }}, {{ maison.name }}, "
            "{{ slots }} (liste), {{ first.purpose }}, {{ bookings_url }}. Le fichier .ics est joint.",
        )
    )
    registry.register(
        Kind(
            code=RESERVATION_REMINDER,
            label="Réservation : rappel",
            recipients="l’élu·e titulaire, et l’assistant·e qui a réservé",
            when="",
            timings=(Timing(days=1, at=datetime.time(17, 0)), Timing(minutes=120)),
            refusable=True,
            adjustable=True,
            context=reservation_reminder_context,
            for_roles=(Role.ELECTED.value,),
            example=example_reservation_reminder,
            replan=replan,
            help=reminder,
        )
    )
    registry.register(
        Kind(
            code=EVENT_REMINDER,
            label="Événement ou permanence : rappel aux personnes associées",
            recipients="les élu·es, les directions (boîtes fonctionnelles) et le partenaire associés",
            when="",
            timings=(Timing(days=7), Timing(days=1)),
            refusable=True,
            adjustable=True,
            context=event_reminder_context,
            for_roles=(Role.ELECTED.value, Role.PROJECT_LEAD.value),
            example=example_event_reminder,
            replan=replan,
            help=reminder + " {{ description }}. Le fichier .ics est joint.",
        )
    )
    registry.register(
        Kind(
            code=EVENT_CHANGE,
            label="Événement ou permanence : déplacement ou annulation",
            recipients="les élu·es, les directions et le partenaire associés",
            when="dès qu’une date est déplacée ou annulée",
            context=event_change_context,
            example=example_event_change,
            help="Variables : {{ title }}, {{ maison.name }}, {{ changes }} (liste), {{ all_cancelled }}. "
            "Le fichier .ics à jour est joint.",
        )
    )
    registry.register(
        Kind(
            code=REGISTRATION,
            label="Inscription : confirmation, liste d’attente, place obtenue",
            recipients="la personne inscrite",
            when="à l’inscription, et quand une place se libère",
            context=registration_context,
            example=lambda: _registration_example(REGISTRATION, payload={"status": "confirmed"}),
            help="Variables : {{ status }} (confirmed, waiting, promoted), {{ registration.name }}, "
            "{{ occupancy.title }}, {{ start }}, {{ end }}, {{ event_url }}, {{ cancel_url }}.",
        )
    )
    registry.register(
        Kind(
            code=REGISTRATION_REMINDER,
            label="Inscription : rappel la veille",
            recipients="la personne inscrite",
            when="",
            timings=(Timing(days=1, at=datetime.time(17, 0)),),
            refusable=True,
            context=registration_reminder_context,
            example=lambda: _registration_example(REGISTRATION_REMINDER),
            replan=replan,
            help="Variables : {{ registration.name }}, {{ occupancy.title }}, {{ start }}, {{ end }}, "
            "{{ event_url }}, {{ cancel_url }}.",
        )
    )
    registry.register(
        Kind(
            code=REGISTRATION_CHANGE,
            label="Inscription : événement déplacé ou annulé",
            recipients="les personnes inscrites",
            when="dès que la date est déplacée ou annulée",
            context=registration_change_context,
            example=lambda: _registration_example(REGISTRATION_CHANGE),
            help="Variables : {{ cancelled }}, {{ registration.name }}, {{ occupancy.title }}, {{ start }}, "
            "{{ end }}, {{ event_url }}.",
        )
    )
    registry.register(
        Kind(
            code=WEEKLY_DIGEST,
            label="Programme de la semaine",
            recipients="les agents d’accueil (leurs Maisons) et les chef·fes de projet (toutes)",
            when="le lundi à 7 h 30",
            refusable=True,
            context=weekly_digest_context,
            for_roles=(Role.AGENT.value, Role.PROJECT_LEAD.value),
            example=lambda: _digest_example(WEEKLY_DIGEST, Role.PROJECT_LEAD, Role.AGENT),
            late_after=datetime.timedelta(hours=4),
            help="Variables : {{ week }}, {{ sections }} (par Maison : events, permanences, bookings, rooms).",
        )
    )
    registry.register(
        Kind(
            code=DAILY_DIGEST,
            label="Ce qui attend la cheffe ou le chef de projet",
            recipients="les chef·fes de projet",
            when="chaque jour ouvré à 8 h 00, s’il y a quelque chose à signaler",
            refusable=True,
            context=daily_digest_context,
            for_roles=(Role.PROJECT_LEAD.value,),
            example=lambda: _digest_example(DAILY_DIGEST, Role.PROJECT_LEAD),
            late_after=datetime.timedelta(hours=4),
            help="Variables : {{ pending }} (demandes de réservation), {{ incomplete }} (événements incomplets).",
        )
    )
    planners.register("events", plan_window)


def connect() -> None:
    from .signals import occupancy_changed

    occupancy_changed.connect(on_occupancy_changed, dispatch_uid="events.notifications")
