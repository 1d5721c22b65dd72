"""What the public agenda adds to the rest of the portal (registered from events/apps.py):

- the agenda in the site map and sitemap.xml (core/public_pages.py);
- « Prochains événements » and « Permanences des partenaires » on each Maison's page (maisons/sections.py), a
  query each;
- public events in the site search (search/index.py), an entry per upcoming public event occurrence, kept up to
  date on save (an occurrence past, cancelled or made internal leaves the index at its next change or rebuild).
"""

import datetime

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import pagecache, public_pages
from maisons import sections
from search import index

from . import agenda
from .enums import OccupancyKind, OccupancyStatus
from .models import Event, Occupancy

MAISON_SECTION_SIZE = 5
# The partners' permanences on a Maison's page: the next two weeks, a weekly one shown twice.
PERMANENCES_DAYS = 14
PERMANENCES_SECTION_SIZE = 12


def next_events(maison, today) -> list:
    """The Maison's next public events (not the permanences, which have their own section), cancelled ones
    included so that nobody comes for nothing."""
    # Not yet over: overlapping [now, ∞), which the GiST index on `period` answers (an end after now is read from
    # every row of the Maison: 5,000 of them with the benchmark's 50,000 occurrences).
    return list(
        agenda.overlapping(
            agenda.for_lists(agenda.public_occurrences().filter(maison=maison, kind=OccupancyKind.EVENT)),
            timezone.now(),
            None,
        ).order_by("period", "pk")[:MAISON_SECTION_SIZE]
    )


def next_permanences(maison, today) -> list:
    """The Maison's partner permanences of the next two weeks: who holds office hours there, and when."""
    now = timezone.now()
    return list(
        agenda.overlapping(
            agenda.for_lists(agenda.public_occurrences().filter(maison=maison, kind=OccupancyKind.PERMANENCE)),
            now,
            now + datetime.timedelta(days=PERMANENCES_DAYS),
        )[:PERMANENCES_SECTION_SIZE]
    )


def occurrence_document(occupancy: Occupancy) -> index.Document | None:
    public = (
        occupancy.is_public
        and occupancy.kind == OccupancyKind.EVENT
        and occupancy.status == OccupancyStatus.CONFIRMED
        and occupancy.slug
        and occupancy.maison.is_published
        and occupancy.period.upper > timezone.now()
    )
    if not public:
        return None
    start = timezone.localtime(occupancy.period.lower)
    event = occupancy.event if occupancy.event_id else None
    where = occupancy.maison.name + (f", {occupancy.room.name}" if occupancy.room_id else "")
    return index.Document(
        kind="evenement",
        title=occupancy.title,
        url=agenda.event_url(occupancy),
        summary=f"Le {start.day} {agenda.MONTHS[start.month - 1]} {start.year} à {start:%H} h {start:%M}, {where}.",
        body="\n".join(
            filter(
                None,
                [
                    occupancy.description or (event.description if event else ""),
                    occupancy.category and occupancy.category.name,
                ],
            )
        ),
        date=start.date(),
        maison=occupancy.maison.name,
    )


def _searchable():
    return (
        agenda.public_occurrences()
        .filter(kind=OccupancyKind.EVENT, status=OccupancyStatus.CONFIRMED, period__endswith__gt=timezone.now())
        .exclude(slug=None)
    )


def _occupancy_saved(sender, instance, raw=False, **kwargs):
    if not raw and (instance.kind == OccupancyKind.EVENT or instance.is_public):
        index.update(instance)


def _occupancy_deleted(sender, instance, **kwargs):
    index.remove(instance)


def register() -> None:
    from .registrations.models import Registration

    # The pages show events and their remaining seats: the page cache follows them (core/pagecache.py).
    pagecache.follow(Event, Registration)
    public_pages.register(public_pages.Section("agenda", "Agenda", "agenda:list", order=30))
    sections.register(
        sections.Section(
            key="evenements",
            title="Prochains événements",
            provider=next_events,
            template="events/agenda/maison_section.html",
            order=20,
        )
    )
    sections.register(
        sections.Section(
            key="permanences",
            title="Permanences des partenaires",
            provider=next_permanences,
            template="events/agenda/maison_section.html",
            order=25,
        )
    )
    index.register(
        index.Provider(
            name="occupation",
            model=Occupancy,
            kinds={"evenement": "Agenda"},
            objects=_searchable,
            document=occurrence_document,
            order=25,
        )
    )
    post_save.connect(_occupancy_saved, sender=Occupancy, dispatch_uid="search_occupancy_saved")
    post_delete.connect(_occupancy_deleted, sender=Occupancy, dispatch_uid="search_occupancy_deleted")
