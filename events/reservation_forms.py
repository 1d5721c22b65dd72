"""The forms of the room reservations: the booking's second step, and the project lead's refusal."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from core.validators import single_line_text
from maisons import opening
from maisons.enums import OutsideHours

from .reservations import Frequency


class BookingForm(forms.Form):
    """Step 2 of a booking: the slot picked in the grid (changeable), what it is for, how many, how often.

    Times are read in Paris wall-clock time. Rules that need the database (free slot, capacity, opening hours,
    blocks, horizon) are the services' (events/services.py, events/reservations.py).
    """

    holder = forms.TypedChoiceField(label="Au nom de", coerce=int, required=True)
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="Début", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(
        label="Objet de la réunion",
        max_length=300,
        validators=[single_line_text],
        help_text="Par exemple « Permanence de la conseillère départementale ». Vu par vous et par la cheffe ou "
        "le chef de projet seulement.",
    )
    expected_attendance = forms.IntegerField(
        label="Nombre de personnes attendues", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    frequency = forms.ChoiceField(
        label="Répétition", choices=Frequency.CHOICES, required=False, widget=forms.RadioSelect, initial=""
    )
    until = forms.DateField(
        label="Jusqu’au (répétition)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Le dernier jour où la réservation peut se répéter.",
    )
    confirm_outside_hours = forms.BooleanField(
        label="Réserver même en dehors des horaires d’ouverture de la Maison", required=False
    )

    def __init__(self, *args, room, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room
        self.fields["expected_attendance"].help_text = f"La salle accueille {room.capacity} personnes au plus."
        self.fields["holder"].choices = [(person.pk, str(person)) for person in holders]
        self._holders = {person.pk: person for person in holders}
        if len(holders) == 1:
            self.fields["holder"].widget = forms.HiddenInput()
            self.fields["holder"].initial = holders[0].pk
        if room.outside_hours != OutsideHours.WARN:
            del self.fields["confirm_outside_hours"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        latest = datetime.date.today() + datetime.timedelta(days=3 * 366)
        for name in ("date", "until"):
            if data.get(name) and not (datetime.date(2000, 1, 1) <= data[name] <= latest):
                self.add_error(name, "Choisissez une date d’ici trois ans au plus.")
                day = None
        if day and start and end:
            if end <= start:
                self.add_error("end_time", "La fin doit suivre le début.")
            else:
                data["start"] = datetime.datetime.combine(day, start, tzinfo=opening.PARIS)
                data["end"] = datetime.datetime.combine(day, end, tzinfo=opening.PARIS)
        if data.get("frequency") and not data.get("until"):
            self.add_error("until", "Indiquez jusqu’à quand la réservation se répète.")
        if data.get("holder") is not None:
            data["holder_user"] = self._holders.get(data["holder"])
        return data


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé à la personne)", max_length=300, required=False, validators=[single_line_text]
    )
