import datetime
import re
import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.validators import multiline_text, single_line_text
from maisons.models import Commune, Direction
from partenaires import search as partner_search
from partenaires.models import Partner

from . import services
from .enums import AgeBand, Channel, DurationBand, MotifGroup, Outcome, ReferralAnswer, Residence, Satisfaction, Sex
from .models import NOTE_MAX_LENGTH, OTHER_MOTIF_MAX_LENGTH, Motif, Visit

ABROAD = "Hors de France"
# The partner field offers at most this many partners: as suggestions while typing, or as choices when a name typed
# without JavaScript fits several.
PARTNER_CHOICES = 8
_INSEE = re.compile(r"\((?P<code>[0-9][0-9AB][0-9]{3})\)\s*$")


def parse_local_datetime(value: str) -> datetime.datetime:
    """A `datetime-local` value read in Europe/Paris. On the night clocks go back, 02:30 happens twice: the first is
    taken; on the night they go forward, 02:30 does not exist and is refused."""
    try:
        naive = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise forms.ValidationError("Saisissez une date et une heure valides.") from error
    if naive.tzinfo is not None:
        raise forms.ValidationError("Saisissez une date et une heure valides.")
    tz = timezone.get_current_timezone()
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise forms.ValidationError("Cette heure n’existe pas ce jour-là (passage à l’heure d’été).")
    return aware


class MotifChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class VisitForm(forms.Form):
    """The entry screen: everything but the reasons has a default, so a reason and « Enregistrer » log a visit."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    motifs = MotifChoiceField(
        label="Motifs",
        queryset=Motif.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un motif."},
    )
    other_motif = forms.CharField(
        label="Autre motif, en quelques mots",
        required=False,
        max_length=OTHER_MOTIF_MAX_LENGTH,
        validators=[single_line_text],
    )
    channel = forms.ChoiceField(
        label="Canal", choices=Channel.choices, initial=Channel.IN_PERSON, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label="Suite donnée", choices=Outcome.choices, initial=Outcome.ANSWERED, widget=forms.RadioSelect
    )
    direction = forms.ModelChoiceField(
        label="Direction", queryset=Direction.objects.filter(is_active=True), required=False
    )
    # A name typed (with suggestions from the directory as one types, accueil.views.partner_suggestions), not a
    # <select> of the whole directory: 5,000 options made every answer of the screen 400 KB (issue 8's benchmark).
    partner = forms.CharField(
        label="Partenaire",
        required=False,
        max_length=200,
        help_text="Quelques lettres de son nom ou de son sigle, puis choisissez dans la liste.",
    )
    commune = forms.CharField(
        label="Commune de résidence",
        required=False,
        max_length=120,
        help_text="Laisser vide si la personne ne l’indique pas ; « Hors de France » est proposé.",
    )
    occurred_at = forms.CharField(
        label="Date et heure",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Maintenant si vide ; pour une saisie après coup.",
    )
    duration_band = forms.ChoiceField(
        label="Durée", choices=DurationBand.choices, initial=DurationBand.FROM_5_TO_15, widget=forms.RadioSelect
    )
    first_visit = forms.TypedChoiceField(
        label="Première visite",
        choices=[("", "ne sait pas"), ("oui", "oui"), ("non", "non")],
        coerce=lambda value: {"oui": True, "non": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label="Tranche d’âge",
        choices=[("", "non indiquée"), *AgeBand.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    sex = forms.ChoiceField(
        label="Sexe", choices=[("", "non indiqué"), *Sex.choices], required=False, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label="Satisfaction",
        choices=[("", "pas demandée"), *Satisfaction.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Remarque",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[multiline_text],
        help_text="N’écrivez ni nom, ni coordonnées, ni information sur la santé ou la situation de la personne.",
    )

    def __init__(self, *args, visit: Visit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_candidates: list[Partner] = []
        motifs = Motif.objects.active()
        if visit is not None:  # A retired reason of the visit being corrected stays selectable.
            motifs = Motif.objects.filter(Q(is_active=True) | Q(visits=visit)).distinct()
        self.fields["motifs"].queryset = motifs.select_related("theme")
        if not self.is_bound and visit is None:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_partner(self) -> Partner | None:
        """The partner the typed name designates, among those the public directory lists. Without JavaScript a name
        that fits several partners comes back with them as choices (`partner_candidates`, the `partner_choice`
        radio buttons). Only read when the visitor is oriented to a partner."""
        self.partner_candidates = []
        name = " ".join(self.cleaned_data["partner"].split())
        if self.cleaned_data.get("outcome") != Outcome.PARTNER:
            return None
        published = Partner.objects.published()
        choice = str(self.data.get("partner_choice", ""))
        if choice.isdigit():
            partner = published.filter(pk=choice).first()
            if partner is not None:
                return partner
        if not name:
            return None
        # The name as a suggestion writes it (unique index), else the same name in other letter case.
        partner = Partner.objects.filter(name=name).first()
        if partner is None:
            same = list(Partner.objects.filter(name__iexact=name)[:2])
            partner = same[0] if len(same) == 1 else None
        if partner is not None:
            if not partner.is_listed:
                raise forms.ValidationError(
                    f"« {partner.name} » ne figure pas dans l’annuaire publié : choisissez un partenaire publié."
                )
            return partner
        candidates = list(partner_search.by_name(published, name)[:PARTNER_CHOICES])
        if len(candidates) == 1 and candidates[0].place < 2:
            return candidates[0]
        self.partner_candidates = candidates
        if candidates:
            raise forms.ValidationError(f"Plusieurs partenaires peuvent correspondre à « {name} » : choisissez-le.")
        raise forms.ValidationError(f"Aucun partenaire publié de l’annuaire ne correspond à « {name} ».")

    def clean_commune(self):
        value = " ".join(self.cleaned_data["commune"].split())
        if not value:
            return None
        if value.casefold() == ABROAD.casefold():
            return Residence.ABROAD
        match = _INSEE.search(value)
        if match:
            commune = Commune.objects.filter(code_insee=match["code"]).first()
        else:
            candidates = list(Commune.objects.filter(name__iexact=value).order_by("departement")[:5])
            in_52 = [c for c in candidates if c.departement == "52"]
            commune = (in_52 or candidates)[0] if len(in_52) == 1 or len(candidates) == 1 else None
        if commune is None:
            raise forms.ValidationError("Choisissez une commune de la liste, ou « Hors de France ».")
        return commune

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"].strip()
        return parse_local_datetime(value) if value else None

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.DIRECTION and not data.get("direction"):
            self.add_error("direction", "Indiquez la direction vers laquelle le visiteur est orienté.")
        if data.get("outcome") == Outcome.PARTNER and not data.get("partner") and "partner" not in self.errors:
            self.add_error("partner", "Indiquez le partenaire vers lequel le visiteur est orienté.")
        motifs = data.get("motifs") or []
        if any(m.group == MotifGroup.OTHER for m in motifs) and not data.get("other_motif", "").strip():
            self.add_error("other_motif", "Précisez en quelques mots l’autre motif.")
        if data.get("occurred_at"):
            try:
                services.check_not_in_future(data["occurred_at"])
            except forms.ValidationError as error:
                self.add_error("occurred_at", error.message_dict["occurred_at"])
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        commune = data["commune"]
        return {
            "motifs": data["motifs"],
            "other_motif": data["other_motif"],
            "occurred_at": data["occurred_at"],
            "channel": data["channel"],
            "outcome": data["outcome"],
            "direction": data["direction"],
            "partner": data["partner"],
            "commune": commune if isinstance(commune, Commune) else None,
            "residence": Residence.ABROAD if commune == Residence.ABROAD else Residence.NOT_GIVEN,
            "age_band": data["age_band"],
            "sex": data["sex"],
            "duration_band": data["duration_band"],
            "first_visit": data["first_visit"],
            "satisfaction": data["satisfaction"],
            "note": data["note"],
        }

    @classmethod
    def initial_for(cls, visit: Visit) -> dict:
        commune = ""
        if visit.commune_id:
            commune = f"{visit.commune.name} ({visit.commune_id})"
        elif visit.residence == Residence.ABROAD:
            commune = ABROAD
        return {
            "motifs": list(visit.motifs.all()),
            "other_motif": visit.other_motif,
            "channel": visit.channel,
            "outcome": visit.outcome,
            "direction": visit.direction_id,
            "partner": visit.partner.name if visit.partner_id else "",
            "commune": commune,
            "occurred_at": timezone.localtime(visit.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "duration_band": visit.duration_band,
            "first_visit": {True: "oui", False: "non"}.get(visit.first_visit, ""),
            "age_band": visit.age_band,
            "sex": visit.sex,
            "satisfaction": visit.satisfaction,
            "note": visit.note,
        }


class MaisonChoiceForm(forms.Form):
    maison = forms.ModelChoiceField(label="Maison", queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, maisons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maison"].queryset = maisons


class ReferralForm(forms.Form):
    consent = forms.BooleanField(
        label="La personne a entendu ce texte et donne son accord",
        error_messages={"required": "Sans l’accord de la personne, rien n’est transmis."},
    )
    visitor_name = forms.CharField(label="Nom de la personne", max_length=150, validators=[single_line_text])
    visitor_contact = forms.CharField(
        label="Comment la joindre",
        max_length=150,
        validators=[single_line_text],
        help_text="Un numéro de téléphone ou une adresse électronique.",
    )
    need = forms.CharField(
        label="Son besoin, en une phrase",
        max_length=300,
        validators=[single_line_text],
        help_text="Rien sur sa santé ni sa situation au-delà de ce qui est utile.",
    )
    follow_up_days = forms.TypedChoiceField(
        label="Me le rappeler",
        choices=[(days, f"dans {days} jours") for days in services.FOLLOW_UP_DAYS],
        coerce=int,
        initial=7,
        widget=forms.RadioSelect,
    )


class ReferralAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="La personne a-t-elle eu une réponse ?",
        choices=[c for c in ReferralAnswer.choices if c[0] != ReferralAnswer.PENDING],
        widget=forms.RadioSelect,
    )


class MotifForm(forms.ModelForm):
    class Meta:
        model = Motif
        fields = ["label", "group", "theme", "position", "is_active"]


class DirectionForm(forms.ModelForm):
    class Meta:
        model = Direction
        fields = ["name", "acronym", "mailbox", "phone", "missions", "is_active"]
