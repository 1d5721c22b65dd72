from django import forms
from django.core.exceptions import ValidationError

from core.uploads import IMAGE_TYPES, MB, FileContentValidator
from core.validators import single_line_text

from .enums import Equipment
from .models import ExceptionalClosure, Maison, MaisonPhoto, OpeningHours, Room, RoomBlock
from .opening import format_time

PHOTO_MAX_SIZE = 8 * MB
ALT_TEXT_REQUIRED = "Décrivez la photo (texte alternatif) ou indiquez qu’elle est décorative."


class RoomForm(forms.ModelForm):
    # Ticked boxes rather than the comma-separated text Django gives an ArrayField.
    equipment = forms.MultipleChoiceField(
        label="Équipements", choices=Equipment.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Room
        fields = [
            "maison",
            "name",
            "capacity",
            "equipment",
            "step_free_access",
            "description",
            "is_active",
            "requires_approval",
            "approval_delay",
            "booking_horizon_days",
            "outside_hours",
        ]


class RoomSettingsForm(forms.ModelForm):
    """A room's booking settings, on the project lead's screen (/gestion/salles/<pk>/)."""

    class Meta:
        model = Room
        fields = [
            "capacity",
            "is_active",
            "requires_approval",
            "approval_delay",
            "booking_horizon_days",
            "outside_hours",
        ]
        widgets = {"outside_hours": forms.RadioSelect}


class RoomBlockForm(forms.ModelForm):
    """A blocked period of a room: start and end as a date and a time each, in Paris time."""

    starts_at = forms.DateTimeField(
        label="Début", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label="Fin",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="La salle redevient réservable à cet instant.",
    )

    class Meta:
        model = RoomBlock
        fields = ["starts_at", "ends_at", "reason"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "La fin de l’indisponibilité doit suivre son début.")
        return data


# Hours and closures: the forms compare the rows of one submission with each other (the database's exclusion
# constraints compare them with the rows already saved, through the model's validation). ----------------------


def _live_forms(formset):
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if not hasattr(form, "cleaned_data"):
            continue
        yield form


def _saved_elsewhere(formset, related_name):
    """The Maison's saved rows that the formset does not show (its own forms are compared with each other)."""
    if formset.instance.pk is None:
        return []
    shown = {form.instance.pk for form in formset.forms if form.instance.pk}
    return getattr(formset.instance, related_name).exclude(pk__in=shown)


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """Refuses two ranges of the same weekday that overlap, naming both, in French.

    The model's own validation cannot: Django leaves the inline foreign key out of it, and so the exclusion
    constraint's check (maisons.models.OpeningHours.Meta) with it; the database still refuses what slips through.
    """

    def clean(self):
        super().clean()
        seen: dict[int, list[tuple]] = {day: [] for day in range(7)}
        for hours in _saved_elsewhere(self, "opening_hours"):
            seen[hours.weekday].append((hours.opens_at, hours.closes_at))
        for form in _live_forms(self):
            weekday, opens, closes = (form.cleaned_data.get(key) for key in ("weekday", "opens_at", "closes_at"))
            if weekday is None or opens is None or closes is None or opens >= closes:
                continue
            for other_opens, other_closes in seen.setdefault(weekday, []):
                if opens < other_closes and other_opens < closes:
                    day = OpeningHours(weekday=weekday).get_weekday_display()
                    raise ValidationError(
                        "Deux plages du %(day)s se chevauchent : %(a)s et %(b)s. Corrigez l’une des deux.",
                        code="overlap",
                        params={
                            "day": day,
                            "a": f"{format_time(other_opens)} – {format_time(other_closes)}",
                            "b": f"{format_time(opens)} – {format_time(closes)}",
                        },
                    )
            seen[weekday].append((opens, closes))


class ExceptionalClosureFormSet(forms.BaseInlineFormSet):
    """Refuses two closures of one submission that overlap."""

    def clean(self):
        super().clean()
        periods = list(_saved_elsewhere(self, "closures"))
        for form in _live_forms(self):
            data = form.cleaned_data
            if not data.get("start_date") or not data.get("end_date") or data.get("reason") is None:
                continue
            closure = ExceptionalClosure(
                start_date=data["start_date"],
                start_time=data.get("start_time"),
                end_date=data["end_date"],
                end_time=data.get("end_time"),
                reason=data["reason"],
            )
            if closure.starts_at >= closure.ends_at:
                continue
            for other in periods:
                if closure.starts_at < other.ends_at and other.starts_at < closure.ends_at:
                    raise ValidationError(
                        "Deux fermetures se chevauchent : « %(a)s » (%(a_period)s) et « %(b)s » (%(b_period)s).",
                        code="overlap",
                        params={
                            "a": other.reason,
                            "a_period": other.period_text,
                            "b": closure.reason,
                            "b_period": closure.period_text,
                        },
                    )
            periods.append(closure)


# A Maison's public presentation, edited by the project lead and the communication service. ---------------------


class MaisonPresentationForm(forms.ModelForm):
    class Meta:
        model = Maison
        fields = ["description", "accessibility"]
        labels = {"description": "Présentation", "accessibility": "Accès et accessibilité"}
        help_texts = {
            "description": "Quelques phrases pour le public : ce que l’on trouve à la Maison. "
            "Une ligne vide sépare deux paragraphes.",
            "accessibility": "Accès pour les personnes à mobilité réduite, stationnement, transports en commun, "
            "aides à l’accueil (boucle à induction…).",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 4}),
        }


class PhotoForm(forms.ModelForm):
    """An existing photo: its text alternative, whether it is decorative, its place; or its removal."""

    class Meta:
        model = MaisonPhoto
        fields = ["alt_text", "is_decorative", "order"]

    def clean(self):
        data = super().clean()
        if not data.get("is_decorative") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", ALT_TEXT_REQUIRED)
        return data


PhotoFormSet = forms.modelformset_factory(MaisonPhoto, form=PhotoForm, extra=0, can_delete=True)


class NewPhotoForm(forms.Form):
    """A photo to add (optional): the file, checked by its content, and its text alternative."""

    image = forms.ImageField(
        label="Ajouter une photo",
        required=False,
        help_text="JPEG, PNG, GIF ou WebP, 8 Mo au plus. Elle est affichée recadrée au format paysage.",
        validators=[FileContentValidator(IMAGE_TYPES, max_size=PHOTO_MAX_SIZE)],
    )
    alt_text = forms.CharField(
        label="Texte alternatif de la nouvelle photo",
        required=False,
        max_length=250,
        help_text="Ce que montre la photo, par exemple « Façade de la Maison, entrée de plain-pied ».",
        validators=[single_line_text],
    )
    is_decorative = forms.BooleanField(
        label="La nouvelle photo est décorative (aucun texte alternatif)", required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("is_decorative") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", ALT_TEXT_REQUIRED)
        if not data.get("image") and (data.get("alt_text") or "").strip() and "image" not in self.errors:
            self.add_error("image", "Choisissez le fichier de la photo à ajouter, ou effacez son texte alternatif.")
        return data
