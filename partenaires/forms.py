from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from core.uploads import IMPORT_TYPES, FileContentValidator
from core.widgets import LongSelect
from maisons.models import Commune, Maison

from . import imports, search
from .enums import AccessMode, Area, Audience, Fees
from .models import ImportKind, Partner, PartnerContact, Service, Theme
from .validators import epci_code_validator, normalise_siret

# Addresses of /gestion/partenaires/ that a partner's slug would shadow.
RESERVED_SLUGS = imports.RESERVED_SLUGS


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Themes as ticked boxes, each sub-theme under its category's name."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Theme.objects.select_related("parent").order_by("position"),
            required=False,
            label="Thématiques",
            **kwargs,
        )

    def label_from_instance(self, obj):
        return f"{obj.parent.label} : {obj.label}" if obj.parent_id else obj.label


def department_communes() -> QuerySet:
    """The communes a partner of the portal sits in: those of the Maisons' département(s)."""
    departements = Maison.objects.values("commune__departement")
    return Commune.objects.filter(departement__in=departements)


class PartnerForm(forms.ModelForm):
    themes = ThemeChoiceField()
    website = forms.URLField(label="Site internet", required=False, assume_scheme="https", max_length=200)
    # Longer than 14: a SIRET copied with its spaces (« 732 829 320 00074 ») is accepted, then normalised.
    siret = forms.CharField(
        label="Numéro SIRET", required=False, max_length=20, help_text=Partner._meta.get_field("siret").help_text
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "acronym",
            "slug",
            "siret",
            "kind",
            "description",
            "address",
            "postal_code",
            "commune",
            "phone",
            "email",
            "website",
            "opening_hours",
            "themes",
            "logo",
            "logo_alt",
            "holds_permanences",
            "is_published",
            "source",
            "last_verified_on",
        ]
        widgets = {"last_verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "slug": "Fin de l’adresse de la page : lettres minuscules, chiffres et tirets (ex. caf) ; laissé vide, "
            "il est tiré du nom."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = department_communes()
        self.fields["commune"].label_from_instance = lambda commune: commune.name
        self.fields["siret"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["slug"].required = False
        self.fields["phone"].widget.attrs.update(autocomplete="off")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))[:80].strip("-")
        if slug in RESERVED_SLUGS:
            raise ValidationError("Cette adresse est réservée : choisissez-en une autre.", code="reserved")
        if slug and Partner.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            raise ValidationError(
                "Un autre partenaire a déjà cette adresse : complétez-la (par exemple avec la commune).",
                code="unique",
            )
        return slug

    def clean_siret(self):
        return normalise_siret(self.cleaned_data.get("siret", ""))

    def clean_opening_hours(self):
        return " ".join(self.cleaned_data.get("opening_hours", "").split())


class ServiceForm(forms.ModelForm):
    themes = ThemeChoiceField()
    audiences = forms.MultipleChoiceField(
        label="Pour qui", choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    access_modes = forms.MultipleChoiceField(
        label="Comment y accéder", choices=AccessMode.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    fees = forms.ChoiceField(
        label="Frais", choices=[("", "non précisé"), *Fees.choices], widget=forms.RadioSelect, required=False
    )
    area = forms.ChoiceField(label="Territoire desservi", choices=Area.choices, widget=forms.RadioSelect)
    epci_codes = SimpleArrayField(
        forms.CharField(validators=[epci_code_validator]),
        label="Intercommunalités desservies",
        required=False,
        help_text="Numéros SIREN séparés par des virgules, si le territoire desservi est « certaines "
        "intercommunalités » (ex. 200068732).",
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "summary",
            "description",
            "themes",
            "audiences",
            "access_modes",
            "fees",
            "fees_details",
            "documents",
            "area",
            "communes",
            "epci_codes",
            "contact_phone",
            "contact_email",
            "is_published",
            "position",
        ]

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        self.fields["communes"].queryset = department_communes()
        self.fields["communes"].label_from_instance = lambda commune: commune.name
        self.fields["communes"].help_text = "Si le territoire desservi est « certaines communes »."

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        if area == Area.COMMUNES and not cleaned.get("communes"):
            self.add_error("communes", "Choisissez au moins une commune desservie.")
        if area == Area.EPCI and not cleaned.get("epci_codes"):
            self.add_error("epci_codes", "Indiquez au moins une intercommunalité desservie.")
        if area != Area.EPCI:
            cleaned["epci_codes"] = []
        if area != Area.COMMUNES:
            cleaned["communes"] = Commune.objects.none()
        return cleaned


class PartnerContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "role", "phone", "email", "notes"]

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner


class DirectoryFilterForm(forms.Form):
    """The public directory's filters: words, a theme (a category takes its sub-themes along), a commune.

    The themes come as a list loaded once by the view (one query for the choices and the filter).
    """

    q = forms.CharField(label="Mots-clés", max_length=200, required=False, strip=True)
    theme = forms.ChoiceField(label="Thématique", required=False, widget=LongSelect())
    commune = forms.CharField(
        label="Commune",
        max_length=100,
        required=False,
        help_text="Nom ou code postal, par exemple Langres ou 52100.",
    )

    def __init__(self, *args, themes: list[Theme], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        choices = [("", "Toutes les thématiques")]
        for theme in themes:
            if theme.parent_id is None:
                children = [(child.code, child.label) for child in themes if child.parent_id == theme.pk]
                choices.append((theme.label, [(theme.code, f"{theme.label} (tout)"), *children]))
        self.fields["theme"].choices = choices
        self.fields["q"].widget.attrs.update(type="search", placeholder="ex. : sécurité sociale, logement, RSA")
        self.fields["commune"].widget.attrs.update(autocomplete="address-level2")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_commune(self):
        value = " ".join(self.cleaned_data["commune"].split())
        if not value:
            return []
        if value.isdigit() and len(value) == 5:
            communes = list(Commune.objects.filter(Q(code_insee=value) | Q(postal_codes__contains=[value])))
        else:
            communes = list(Commune.objects.filter(name__unaccent__iexact=value.replace("St ", "Saint-")))
        if not communes:
            raise ValidationError(
                "Commune inconnue : écrivez son nom en entier (par exemple Saint-Dizier) ou son code postal.",
                code="unknown_commune",
            )
        return communes

    def theme_codes(self) -> list[str]:
        code = self.cleaned_data.get("theme")
        if not code:
            return []
        parent = next((theme for theme in self.themes if theme.code == code), None)
        return [code] + [theme.code for theme in self.themes if parent and theme.parent_id == parent.pk]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        codes = self.theme_codes()
        if codes:
            queryset = queryset.filter(
                pk__in=Partner.objects.filter(
                    Q(themes__code__in=codes) | Q(services__themes__code__in=codes, services__is_published=True)
                ).values("pk")
            )
        communes = self.cleaned_data.get("commune") or []
        if communes:
            served = (
                Q(commune__in=communes)
                | Q(services__area=Area.DEPARTEMENT, commune__departement__in={c.departement for c in communes})
                | Q(services__area=Area.EPCI, services__epci_codes__overlap=[c.epci_siren for c in communes])
                | Q(services__area=Area.COMMUNES, services__communes__in=communes)
            )
            queryset = queryset.filter(pk__in=Partner.objects.filter(served).values("pk"))
        words = self.cleaned_data.get("q")
        if words:
            return search.matching(queryset, words)
        return queryset.order_by("name")


class ImportForm(forms.Form):
    """A file to import into the directory: judged by its content (core/uploads.py), its size and, for a
    spreadsheet (a zip archive), what it unpacks into; its rows are checked afterwards (partenaires/imports.py)."""

    kind = forms.ChoiceField(
        label="Le fichier contient des", choices=ImportKind.choices, widget=forms.RadioSelect, initial="organisations"
    )
    file = forms.FileField(
        label="Fichier",
        help_text="CSV (UTF-8 ou Windows-1252, séparé par des virgules ou des points-virgules), XLSX ou ODS.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = filesizeformat(settings.PARTNER_IMPORT_MAX_SIZE)
        self.fields["file"].help_text += f" {size} au plus."
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.ods"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        FileContentValidator(IMPORT_TYPES, max_size=settings.PARTNER_IMPORT_MAX_SIZE)(upload)
        extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
        upload.seek(0)
        content = upload.read()
        if extension in {"xlsx", "ods"}:
            try:
                imports.check_archive(content)
            except imports.FileRefused as refusal:
                raise ValidationError(str(refusal), code="archive") from refusal
        self.cleaned_data["content"] = content
        self.cleaned_data["file_format"] = extension
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Exporter les", choices=ImportKind.choices, widget=forms.RadioSelect, initial="organisations"
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=[("csv", "CSV (UTF-8, virgules)"), ("xlsx", "Excel (XLSX)"), ("ods", "OpenDocument (ODS)")],
        widget=forms.RadioSelect,
        initial="csv",
    )
