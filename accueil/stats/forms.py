import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from core.widgets import LongSelect
from maisons.models import Maison

# The longest custom period: three years of days is still a few hundred thousand summary rows for one Maison.
MAX_DAYS = 3 * 366


class Preset:
    WEEK = "semaine"
    MONTH = "mois"
    QUARTER = "trimestre"
    YEAR = "annee"
    CUSTOM = "personnalisee"
    CHOICES = [
        (WEEK, "Cette semaine"),
        (MONTH, "Ce mois"),
        (QUARTER, "Ce trimestre"),
        (YEAR, "Cette année"),
        (CUSTOM, "Dates choisies"),
    ]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    label: str
    previous_label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _span(start, end):
    return f"du {date_format(start, 'j F Y')} au {date_format(end, 'j F Y')}"


def preset_period(preset: str, today: datetime.date) -> Period:
    """The current week, month, quarter or year (up to its end), and the same span just before it."""
    if preset == Preset.WEEK:
        start = today - datetime.timedelta(days=today.weekday())
        end = start + datetime.timedelta(days=6)
        previous_start, previous_end = start - datetime.timedelta(days=7), start - datetime.timedelta(days=1)
        return Period(start, end, previous_start, previous_end, "semaine " + _span(start, end), "semaine précédente")
    if preset == Preset.MONTH:
        start = today.replace(day=1)
        end = _months_back(start, -1) - datetime.timedelta(days=1)
        previous_start = _months_back(start, 1)
        return Period(
            start,
            end,
            previous_start,
            start - datetime.timedelta(days=1),
            date_format(start, "F Y"),
            date_format(previous_start, "F Y"),
        )
    if preset == Preset.QUARTER:
        start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = _months_back(start, -3) - datetime.timedelta(days=1)
        previous_start = _months_back(start, 3)
        number = (start.month - 1) // 3 + 1
        previous_number = (previous_start.month - 1) // 3 + 1
        return Period(
            start,
            end,
            previous_start,
            start - datetime.timedelta(days=1),
            f"{number}{'er' if number == 1 else 'e'} trimestre {start.year}",
            f"{previous_number}{'er' if previous_number == 1 else 'e'} trimestre {previous_start.year}",
        )
    start = datetime.date(today.year, 1, 1)
    end = datetime.date(today.year, 12, 31)
    return Period(
        start,
        end,
        datetime.date(today.year - 1, 1, 1),
        datetime.date(today.year - 1, 12, 31),
        f"année {today.year}",
        f"année {today.year - 1}",
    )


def custom_period(start: datetime.date, end: datetime.date) -> Period:
    length = end - start
    previous_end = start - datetime.timedelta(days=1)
    previous_start = previous_end - length
    return Period(start, end, previous_start, previous_end, _span(start, end), _span(previous_start, previous_end))


class StatisticsFilterForm(forms.Form):
    """The statistics' filters. Only Maisons the person may see are offered; none chosen means all of them."""

    periode = forms.ChoiceField(label="Période", choices=Preset.CHOICES, required=False)
    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Pour « Dates choisies » ; format AAAA-MM-JJ.",
    )
    au = forms.DateField(
        label="Au (inclus)", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    maison = forms.ModelChoiceField(
        label="Maison",
        queryset=Maison.objects.none(),
        required=False,
        empty_label="Toutes mes Maisons",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choisissez une Maison de la liste."},
        widget=LongSelect(),  # A hundred Maisons for the project lead: options written without a template each.
    )

    def __init__(self, *args, maisons=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if maisons is not None:
            self.fields["maison"].queryset = maisons
        if len(self.fields["maison"].queryset) == 1:
            self.fields["maison"].empty_label = None

    def clean(self):
        data = super().clean()
        preset = data.get("periode") or Preset.MONTH
        start, end = data.get("du"), data.get("au")
        if preset == Preset.CUSTOM or (start or end) and "periode" not in self.data:
            if not start and not self.has_error("du"):
                self.add_error("du", "Indiquez le premier jour.")
            if not end and not self.has_error("au"):
                self.add_error("au", "Indiquez le dernier jour.")
            if start and end:
                if start > end:
                    self.add_error("au", "Le dernier jour doit suivre le premier.")
                elif (end - start).days >= MAX_DAYS:
                    self.add_error("au", "Choisissez une période de trois ans au plus.")
                elif start.year < 2000 or end.year > self.today.year + 1:
                    self.add_error("du", "Choisissez des dates entre l’an 2000 et l’an prochain.")
                else:
                    data["period"] = custom_period(start, end)
        else:
            data["period"] = preset_period(preset, self.today)
        data["preset"] = preset
        return data

    def maison_ids(self, visible_ids: list[int]) -> list[int]:
        maison = self.cleaned_data.get("maison")
        return [maison.pk] if maison else visible_ids
