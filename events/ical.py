"""iCalendar (RFC 5545) documents of occupancies, written with the `icalendar` package.

One VEVENT per stored occurrence (occurrences are real rows, events/models.py): its UID is the occurrence's own
(`Occupancy.uid`, stable for its whole life), SEQUENCE follows `Occupancy.sequence` (raised on every change that
matters to a calendar), a cancelled occurrence stays in the feed with STATUS:CANCELLED so that subscribed calendars
remove it, a pending request is TENTATIVE. Times are written in Europe/Paris with its VTIMEZONE: a weekly
permanence at 10:00 reads 10:00 in every calendar, on both sides of the daylight-saving changes. DTSTAMP and
LAST-MODIFIED are the row's last change, so the same data gives the same bytes (cacheable, see core/pagecache.py).

Who sees what is the caller's choice of `audience`:
- PUBLIC: title, Maison, room, category, public description and address; never who booked or holds it;
- PRIVATE (a person's own feed) and STAFF (a room's or a Maison's): also the purpose, the holder and who booked.
"""

import datetime
import enum
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .enums import OccupancyStatus

PRODID = "-//Département de la Haute-Marne//Maisons du Département//FR"
PARIS = ZoneInfo("Europe/Paris")
# The public feeds' window: a month back (what just happened stays), a year ahead.
WINDOW_BEFORE = datetime.timedelta(days=31)
WINDOW_AFTER = datetime.timedelta(days=366)
CONTENT_TYPE = "text/calendar; charset=utf-8"


class Audience(enum.Enum):
    PUBLIC = "public"
    PRIVATE = "private"
    STAFF = "staff"


ICAL_STATUS = {
    OccupancyStatus.CONFIRMED: "CONFIRMED",
    OccupancyStatus.CANCELLED: "CANCELLED",
}


def window(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    now = now or timezone.now()
    return now - WINDOW_BEFORE, now + WINDOW_AFTER


def _status(occupancy) -> str:
    status = occupancy.status
    if status in ICAL_STATUS:
        return ICAL_STATUS[status]
    if status == "pending":
        return "TENTATIVE"
    return "CANCELLED"  # Refused or expired: the slot is no longer held.


def _location(occupancy) -> str:
    maison = occupancy.maison
    parts = [maison.name]
    if occupancy.room_id:
        parts.append(occupancy.room.name)
    parts.append(f"{maison.address}, {maison.postal_code} {maison.commune.name}")
    return ", ".join(parts)


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def vevent(occupancy, audience: Audience) -> Event:
    event = Event()
    event.add("uid", occupancy.uid)
    event.add("sequence", occupancy.sequence or 0)
    stamp = occupancy.updated_at or occupancy.created_at or timezone.now()
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("last-modified", stamp.astimezone(datetime.UTC))
    if occupancy.created_at:
        event.add("created", occupancy.created_at.astimezone(datetime.UTC))
    start, end = occupancy.period.lower, occupancy.period.upper
    if occupancy.all_day:
        first = start.astimezone(PARIS).date()
        last = end.astimezone(PARIS).date()
        event.add("dtstart", first)
        event.add("dtend", last if last > first else first + datetime.timedelta(days=1))
    else:
        event.add("dtstart", start.astimezone(PARIS))
        event.add("dtend", end.astimezone(PARIS))
    event.add("summary", occupancy.title)
    event.add("status", _status(occupancy))
    event.add("location", _location(occupancy))
    event.add("transp", "OPAQUE")
    if occupancy.category_id:
        event.add("categories", [occupancy.category.name])
    description = []
    if occupancy.status == OccupancyStatus.CANCELLED and occupancy.cancellation_reason:
        description.append(f"Annulé : {occupancy.cancellation_reason}")
    if occupancy.description:
        description.append(occupancy.description)
    if audience is Audience.PUBLIC:
        event.add("class", "PUBLIC")
        if occupancy.slug:
            event.add("url", f"{settings.SITE_URL}{reverse('agenda:detail', args=[occupancy.slug])}")
    else:
        event.add("class", "PUBLIC" if occupancy.is_public else "CONFIDENTIAL")
        if occupancy.purpose:
            description.append(f"Objet : {occupancy.purpose}")
        if occupancy.holder_id:
            description.append(f"Titulaire : {_person(occupancy.holder)}")
        if occupancy.booked_by_id and occupancy.booked_by_id != occupancy.holder_id:
            description.append(f"Réservé par : {_person(occupancy.booked_by)}")
        if occupancy.partner_id:
            description.append(f"Partenaire : {occupancy.partner.name}")
    if description:
        event.add("description", "\n\n".join(description))
    return event


def calendar(occupancies: Iterable, *, name: str, audience: Audience) -> bytes:
    """The iCalendar document of `occupancies` (select_related: maison__commune, room, category, and for
    non-public audiences holder, booked_by, partner)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    # Calendar applications poll a subscribed feed; once an hour is plenty (RFC 7986 REFRESH-INTERVAL).
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for occupancy in occupancies:
        cal.add_component(vevent(occupancy, audience))
    cal.add_missing_timezones()
    return cal.to_ical()
