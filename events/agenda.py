"""The public agenda: which occurrences the public sees, their filters, and their schema.org description.

Public means: an event occurrence or a partner's permanence marked public (`Occupancy.is_public`, derived from its
event's audience and status by events/services.py), confirmed or cancelled (a cancelled one stays visible, said
cancelled with its reason), in a published Maison. Never internal meetings, officials' bookings, nor who booked.
"""

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.widgets import LongSelect
from maisons.models import Maison
from maisons.opening import DAY_NAMES, MONTH_NAMES

from .enums import CategoryKind, OccupancyKind, OccupancyStatus
from .models import Category, Occupancy

PUBLIC_KINDS = (OccupancyKind.EVENT, OccupancyKind.PERMANENCE)
PUBLIC_STATUSES = (OccupancyStatus.CONFIRMED, OccupancyStatus.CANCELLED)
PUBLIC_CATEGORY_KINDS = [kind for kind in CategoryKind if kind != CategoryKind.INTERNAL_MEETING]
MONTHS = MONTH_NAMES  # French names, shared with the Maison pages (maisons/opening.py).
WEEKDAYS = DAY_NAMES
# How far a filter may reach: the public feeds' window, a little more for the list.
MAX_SPAN = datetime.timedelta(days=400)


def public_occurrences():
    return (
        Occupancy.objects.filter(
            is_public=True, kind__in=PUBLIC_KINDS, status__in=PUBLIC_STATUSES, maison__is_published=True
        )
        .select_related("maison__commune", "room", "category", "event", "partner")
        .order_by("period", "pk")
    )


def for_lists(queryset):
    """What a list of occurrences shows (events/agenda/item.html): the Maison's, room's and
    category's names. Three joins rather than public_occurrences()'s six: planning the query took longer than
    running it."""
    return queryset.select_related(None).select_related("maison", "room", "category")


# What a day of the month table shows of an occurrence (events/agenda/agenda.html): its link, hour, title, status.
MONTH_FIELDS = ("slug", "title", "period", "all_day", "status")


def for_month(queryset):
    """The month table's occurrences: its fields only, no join (about 150 rows a month, each one model instead of
    four: half of the page's time)."""
    return queryset.select_related(None).only(*MONTH_FIELDS)


def overlapping(queryset, start: datetime.datetime, end: datetime.datetime | None):
    """Occurrences that overlap [start, end) (no end: from start on): the GiST index on `period` answers it."""
    return queryset.filter(period__overlap=(start, end))


def public_categories():
    return Category.objects.filter(kind__in=PUBLIC_CATEGORY_KINDS).order_by("name")


class AgendaFilterForm(forms.Form):
    """The agenda's filters (GET). Every field is optional; dates are days in Europe/Paris."""

    # Written without a template per option (core.widgets.LongSelect): both lists are on every agenda page.
    maison = forms.ModelChoiceField(
        label="Maison",
        queryset=Maison.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="Toutes",
        widget=LongSelect,
    )
    categorie = forms.ModelChoiceField(
        label="Catégorie",
        queryset=Category.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="Toutes",
        widget=LongSelect,
    )
    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/03/2027."},
    )
    au = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/03/2027."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maison"].queryset = Maison.objects.published().order_by("name")
        self.fields["categorie"].queryset = public_categories()
        for name in ("du", "au"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        elif start and end and end - start > MAX_SPAN:
            self.add_error("au", "Choisissez une période de 400 jours au plus.")
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("maison"):
            queryset = queryset.filter(maison=data["maison"])
        if data.get("categorie"):
            queryset = queryset.filter(category=data["categorie"])
        return queryset


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None, today: datetime.date) -> "Month":
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(today.year, today.month)

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def weeks(self) -> list[list[datetime.date | None]]:
        """The month's weeks, Monday first; days of the neighbouring months are None."""
        return [
            [datetime.date(self.year, self.month, day) if day else None for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdayscalendar(self.year, self.month)
        ]


def month_grid(month: Month, occurrences) -> list[list[tuple[datetime.date | None, list]]]:
    """The month's weeks, each day with its occurrences (those starting that day, local time)."""
    by_day: dict[datetime.date, list] = {}
    for occurrence in occurrences:
        by_day.setdefault(timezone.localdate(occurrence.period.lower), []).append(occurrence)
    return [[(day, by_day.get(day, []) if day else []) for day in week] for week in month.weeks()]


def event_url(occupancy) -> str:
    return reverse("agenda:detail", args=[occupancy.slug])


def event_json_ld(occupancy, *, url: str, remaining: int | None = None) -> dict:
    """schema.org Event (https://schema.org/Event) for an occurrence's page."""
    maison = occupancy.maison
    event = occupancy.event if occupancy.event_id else None
    cancelled = occupancy.status == OccupancyStatus.CANCELLED
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": occupancy.title,
        "url": url,
        "startDate": timezone.localtime(occupancy.period.lower).isoformat(),
        "endDate": timezone.localtime(occupancy.period.upper).isoformat(),
        "eventStatus": f"https://schema.org/{'EventCancelled' if cancelled else 'EventScheduled'}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "location": {
            "@type": "Place",
            "name": " – ".join(filter(None, [maison.name, occupancy.room.name if occupancy.room_id else ""])),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": maison.address,
                "postalCode": maison.postal_code,
                "addressLocality": maison.commune.name,
                "addressCountry": "FR",
            },
        },
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": "Département de la Haute-Marne",
            "url": settings.SITE_URL,
        },
    }
    description = occupancy.description or (event.description if event else "")
    if description:
        data["description"] = description
    if event and event.image:
        data["image"] = f"{settings.SITE_URL}{event.image.url}"
    if occupancy.partner_id:
        data["organizer"] = {"@type": "Organization", "name": occupancy.partner.name}
    if event and event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
        if remaining is not None:
            data["remainingAttendeeCapacity"] = max(remaining, 0)
    return data


def search_filter() -> Q:
    return Q(is_public=True, kind=OccupancyKind.EVENT, maison__is_published=True)
