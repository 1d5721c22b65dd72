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
import functools
import hashlib
from collections.abc import Iterable
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
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
# Each public VEVENT's bytes in the shared cache (see `calendar`): keyed by their content, they never go stale, and
# expire only to make room.
VEVENT_CACHE_PREFIX = "ical:vevent"
VEVENT_CACHE_SECONDS = 24 * 3600


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


def _properties(occupancy, audience: Audience) -> list[tuple[str, object, dict | None]]:
    """What the occupancy's VEVENT says, as (property, value, parameters), in the order they are written; nothing
    else goes into it, so that these values are also the VEVENT's cache key (see `calendar`)."""
    properties = []

    def add(name, value, parameters=None):
        properties.append((name, value, parameters))

    add("uid", occupancy.uid)
    add("sequence", occupancy.sequence or 0)
    stamp = occupancy.updated_at or occupancy.created_at or timezone.now()
    add("dtstamp", stamp.astimezone(datetime.UTC))
    add("last-modified", stamp.astimezone(datetime.UTC))
    if occupancy.created_at:
        add("created", occupancy.created_at.astimezone(datetime.UTC))
    start, end = occupancy.period.lower, occupancy.period.upper
    if occupancy.all_day:
        first = start.astimezone(PARIS).date()
        last = end.astimezone(PARIS).date()
        add("dtstart", first)
        add("dtend", last if last > first else first + datetime.timedelta(days=1))
    else:
        add("dtstart", start.astimezone(PARIS))
        add("dtend", end.astimezone(PARIS))
    add("summary", occupancy.title)
    add("status", _status(occupancy))
    add("location", _location(occupancy))
    add("transp", "OPAQUE")
    if occupancy.category_id:
        add("categories", [occupancy.category.name])
    description = []
    if occupancy.status == OccupancyStatus.CANCELLED and occupancy.cancellation_reason:
        description.append(f"Annulé : {occupancy.cancellation_reason}")
    if occupancy.description:
        description.append(occupancy.description)
    if audience is Audience.PUBLIC:
        add("class", "PUBLIC")
        if occupancy.slug:
            add("url", f"{settings.SITE_URL}{reverse('agenda:detail', args=[occupancy.slug])}")
    else:
        add("class", "PUBLIC" if occupancy.is_public else "CONFIDENTIAL")
        if occupancy.purpose:
            description.append(f"Objet : {occupancy.purpose}")
        if occupancy.holder_id:
            description.append(f"Titulaire : {_person(occupancy.holder)}")
        if occupancy.booked_by_id and occupancy.booked_by_id != occupancy.holder_id:
            description.append(f"Réservé par : {_person(occupancy.booked_by)}")
        if occupancy.partner_id:
            description.append(f"Partenaire : {occupancy.partner.name}")
    if description:
        add("description", "\n\n".join(description))
    return properties


def _event(properties) -> Event:
    event = Event()
    for name, value, parameters in properties:
        event.add(name, value, parameters=parameters)
    return event


def vevent(occupancy, audience: Audience) -> Event:
    return _event(_properties(occupancy, audience))


def _header(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    # Calendar applications poll a subscribed feed; once an hour is plenty (RFC 7986 REFRESH-INTERVAL).
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


def document(occupancies: Iterable, *, name: str, audience: Audience) -> bytes:
    """The iCalendar document, every VEVENT written by the `icalendar` package on the spot."""
    cal = _header(name)
    for occupancy in occupancies:
        cal.add_component(vevent(occupancy, audience))
    cal.add_missing_timezones()
    return cal.to_ical()


@functools.cache
def _paris_vtimezone() -> bytes:
    """Europe/Paris's VTIMEZONE, as `add_missing_timezones` writes it (its default span of years, not the data's)."""
    cal = Calendar()
    cal.add_component(_event([("dtstart", datetime.datetime(2026, 1, 1, tzinfo=PARIS), None)]))
    cal.add_missing_timezones()
    return cal.timezones[0].to_ical()


def _in_paris_time(properties) -> bool:
    return any(
        isinstance(value, datetime.datetime) and getattr(value.tzinfo, "key", None) == PARIS.key
        for _name, value, _parameters in properties
    )


def _cache_key(properties) -> str:
    digest = hashlib.sha256(repr((icalendar.__version__, properties)).encode()).hexdigest()
    return f"{VEVENT_CACHE_PREFIX}:{digest}"


# What a public VEVENT reads of an occurrence (`_properties`, `_status`, `_location`), as plain values: once the
# VEVENTs come from the cache, building 800 occurrences with their Maison, commune, room and category as model
# instances was most of the feed's time.
_PUBLIC_COLUMNS = (
    "pk",
    "sequence",
    "updated_at",
    "created_at",
    "period",
    "all_day",
    "title",
    "status",
    "cancellation_reason",
    "description",
    "slug",
    "room_id",
    "category_id",
    "maison__name",
    "maison__address",
    "maison__postal_code",
    "maison__commune__name",
    "room__name",
    "category__name",
)


def public_rows(occupancies: QuerySet) -> list[SimpleNamespace]:
    """The occurrences of `occupancies` as light objects that `calendar` writes for the PUBLIC audience exactly as
    it writes the model instances (events/tests/test_feed_cache.py); a field `_properties` reads and this lacks is
    an AttributeError, not a silent difference."""
    from .models import Occupancy

    rows = []
    for values in occupancies.values(*_PUBLIC_COLUMNS):
        row = SimpleNamespace(**{key: value for key, value in values.items() if "__" not in key})
        row.maison = SimpleNamespace(
            name=values["maison__name"],
            address=values["maison__address"],
            postal_code=values["maison__postal_code"],
            commune=SimpleNamespace(name=values["maison__commune__name"]),
        )
        row.room = SimpleNamespace(name=values["room__name"]) if row.room_id else None
        row.category = SimpleNamespace(name=values["category__name"]) if row.category_id else None
        row.uid = Occupancy.uid.fget(row)
        rows.append(row)
    return rows


def calendar(occupancies: Iterable, *, name: str, audience: Audience) -> bytes:
    """The iCalendar document of `occupancies` (select_related: maison__commune, room, category, and for
    non-public audiences holder, booked_by, partner).

    The public feeds reuse each VEVENT's bytes from the shared cache: writing one with `icalendar` takes about a
    millisecond, 1.1 s for the 800 occurrences of /agenda.ics (issue 9's benchmark), while reading what it would
    say (`_properties`) takes a few microseconds. The key is those values themselves, so a change to the
    occurrence, its Maison, room or category makes another key, and the document is byte for byte the one
    `document` writes (events/tests/test_ical.py). Private and staff feeds, which name people, are not cached."""
    if audience is not Audience.PUBLIC:
        return document(occupancies, name=name, audience=audience)
    events = [_properties(occupancy, audience) for occupancy in occupancies]
    keys = [_cache_key(properties) for properties in events]
    blocks = cache.get_many(set(keys)) if keys else {}
    written = {}
    for key, properties in zip(keys, events, strict=True):
        if key not in blocks:
            blocks[key] = written[key] = _event(properties).to_ical()
    if written:
        cache.set_many(written, timeout=VEVENT_CACHE_SECONDS)
    # The components go between the calendar's properties and its END line, the time zone first, as icalendar
    # places it (Calendar.add_missing_timezones).
    end = b"END:VCALENDAR\r\n"
    head = _header(name).to_ical().removesuffix(end)
    timezones = _paris_vtimezone() if any(_in_paris_time(properties) for properties in events) else b""
    return b"".join([head, timezones, *(blocks[key] for key in keys), end])
