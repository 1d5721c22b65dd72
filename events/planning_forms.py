"""The project lead's planning forms (/gestion/planning/): an event or a series, one occurrence's move or
cancellation."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from accounts.enums import Role
from accounts.models import User
from core.validators import single_line_text
from maisons.models import Maison, Room

from . import recurrence
from .enums import EventStatus, Organiser
from .models import Event

PARIS = ZoneInfo("Europe/Paris")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def combine(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, PARIS)


def unique_event_slug(title: str, exclude: int | None = None) -> str:
    base = (slugify(title) or "evenement")[:60]
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class EventForm(forms.ModelForm):
    """An event, once or recurring. The date and times are the first occurrence's, in Paris time."""

    day = forms.DateField(label="Date (de la première occurrence)", widget=DATE)
    starts_at = forms.TimeField(label="Heure de début", widget=TIME)
    ends_at = forms.TimeField(label="Heure de fin", widget=TIME)
    frequency = forms.ChoiceField(
        label="Répétition", choices=recurrence.Frequency.choices, required=False, widget=forms.RadioSelect
    )
    until = forms.DateField(
        label="Jusqu’au (inclus)",
        widget=DATE,
        required=False,
        help_text="Vide : une série sans fin (ses occurrences sont écrites un peu plus d’un an à l’avance).",
    )
    accept_conflicts = forms.BooleanField(
        label="Enregistrer sans les occurrences dont le créneau est déjà pris",
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "category",
            "maison",
            "room",
            "audience",
            "status",
            "organiser",
            "organiser_direction",
            "partner",
            "directions",
            "officials",
            "image",
            "image_alt",
            "capacity",
            "registration_enabled",
            "registration_closes_at",
            "waiting_list",
        ]
        widgets = {
            "audience": forms.RadioSelect,
            "organiser": forms.RadioSelect,
            "directions": forms.CheckboxSelectMultiple,
            "registration_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    field_order = [
        "title",
        "description",
        "category",
        "maison",
        "room",
        "day",
        "starts_at",
        "ends_at",
        "frequency",
        "until",
    ]

    def __init__(self, *args, maisons=None, **kwargs):
        super().__init__(*args, **kwargs)
        maisons = maisons if maisons is not None else Maison.objects.all()
        self.fields["maison"].queryset = maisons
        self.fields["room"].queryset = Room.objects.filter(maison__in=maisons).select_related("maison")
        self.fields["room"].label_from_instance = lambda room: f"{room.maison.name} — {room.name}"
        self.fields["room"].required = False
        self.fields["room"].help_text = "Laissez vide pour un événement hors d’une salle (en extérieur, par exemple)."
        self.fields["officials"].queryset = User.objects.filter(groups__name=Role.ELECTED.group_name).order_by(
            "last_name"
        )
        self.fields["status"].choices = [
            (EventStatus.DRAFT, EventStatus.DRAFT.label),
            (EventStatus.PUBLISHED, EventStatus.PUBLISHED.label),
        ]
        self.fields["frequency"].initial = ""
        instance = self.instance
        if instance.pk or instance.start:
            start, end = timezone.localtime(instance.start, PARIS), timezone.localtime(instance.end, PARIS)
            self.initial.setdefault("day", start.date())
            self.initial.setdefault("starts_at", start.time())
            self.initial.setdefault("ends_at", end.time())
            self.initial.setdefault("frequency", frequency_of(instance.rrule))

    def clean(self):
        data = super().clean()
        day, starts_at, ends_at = data.get("day"), data.get("starts_at"), data.get("ends_at")
        if day and starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", "La fin doit suivre le début.")
            else:
                self.instance.start = combine(day, starts_at)
                self.instance.end = combine(day, ends_at)
                if not self.instance.pk and self.instance.start < timezone.now():
                    self.add_error("day", "Cette date est déjà passée : choisissez une date à venir.")
        until = data.get("until")
        if until and day and until < day:
            self.add_error("until", "La fin de la série doit suivre sa première date.")
        room, maison = data.get("room"), data.get("maison")
        if room and maison and room.maison_id != maison.pk:
            self.add_error("room", "Cette salle n’appartient pas à la Maison choisie.")
        if data.get("organiser") == Organiser.PARTNER and not data.get("partner"):
            self.add_error("partner", "Choisissez le partenaire organisateur.")
        if data.get("organiser") == Organiser.DIRECTION and not data.get("organiser_direction"):
            self.add_error("organiser_direction", "Choisissez la direction organisatrice.")
        capacity = data.get("capacity")
        if room and capacity and capacity > room.capacity:
            self.add_error("capacity", f"« {room.name} » accueille {room.capacity} personnes au plus.")
        if self.instance.start and not self.errors:
            self.instance.rrule = recurrence.build_rule(data.get("frequency") or "", self.instance.start, until)
        return data

    def save(self, commit=True):
        event = super().save(commit=False)
        if not event.slug:
            event.slug = unique_event_slug(event.title)
        return event


def frequency_of(rule: str) -> str:
    if not rule:
        return recurrence.Frequency.NONE
    if "FREQ=MONTHLY" in rule:
        return recurrence.Frequency.MONTHLY_NTH_WEEKDAY
    if "INTERVAL=2" in rule:
        return recurrence.Frequency.FORTNIGHTLY
    return recurrence.Frequency.WEEKLY


class Scope:
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


SCOPE_CHOICES = [(Scope.THIS, "cette occurrence seulement"), (Scope.FOLLOWING, "cette occurrence et les suivantes")]


class MoveForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    starts_at = forms.TimeField(label="Heure de début", widget=TIME)
    ends_at = forms.TimeField(label="Heure de fin", widget=TIME)
    room = forms.ModelChoiceField(label="Salle", queryset=Room.objects.none(), required=False)
    scope = forms.ChoiceField(label="Appliquer à", choices=SCOPE_CHOICES, initial=Scope.THIS, widget=forms.RadioSelect)

    def __init__(self, *args, occupancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.occupancy = occupancy
        self.fields["room"].queryset = Room.objects.filter(maison=occupancy.maison_id)
        self.fields["room"].help_text = "Laissez vide pour garder la salle."
        if not (occupancy.event_id and occupancy.event.rrule):
            self.fields["scope"].choices = SCOPE_CHOICES[:1]
        start, end = (
            timezone.localtime(occupancy.period.lower, PARIS),
            timezone.localtime(occupancy.period.upper, PARIS),
        )
        self.initial.update({"day": start.date(), "starts_at": start.time(), "ends_at": end.time()})

    def clean(self):
        data = super().clean()
        day, starts_at, ends_at = data.get("day"), data.get("starts_at"), data.get("ends_at")
        if day and starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", "La fin doit suivre le début.")
            else:
                data["start"], data["end"] = combine(day, starts_at), combine(day, ends_at)
                if data["start"] < timezone.now():
                    self.add_error("day", "Cette date est déjà passée : choisissez une date à venir.")
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Motif d’annulation (montré au public)",
        max_length=300,
        validators=[single_line_text],
        help_text="Par exemple « Intervenante malade, l’atelier est reporté au mois prochain ».",
    )
    scope = forms.ChoiceField(
        label="Annuler",
        choices=[*SCOPE_CHOICES, (Scope.ALL, "tout l’événement")],
        initial=Scope.THIS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, occupancy, **kwargs):
        super().__init__(*args, **kwargs)
        if not occupancy.event_id:
            self.fields["scope"].choices = SCOPE_CHOICES[:1]
        elif not occupancy.event.rrule:
            self.fields["scope"].choices = [(Scope.THIS, "cette occurrence"), (Scope.ALL, "tout l’événement")]


class WeekForm(forms.Form):
    maison = forms.ModelChoiceField(
        label="Maison", queryset=Maison.objects.none(), to_field_name="slug", required=False
    )
    semaine = forms.DateField(label="Semaine du", widget=DATE, required=False)

    def __init__(self, *args, maisons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maison"].queryset = maisons
