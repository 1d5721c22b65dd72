"""Exports of the directory (django-import-export resources): organisations, services, internal contacts.

The columns are the import's (partenaires/imports.py), with the same names, so that an exported file, edited in a
spreadsheet, imports back; unchanged rows stay unchanged. Every cell goes through `core.spreadsheets.safe_cell`
in `export_resource`, whatever the format (django-import-export's own escaping is off by default and only knows
`=`, for XLSX and ODS). Internal contacts are staff-only: only the pages and the administration of the roles that
manage the directory export them (accounts.perms.can_import_partners); the open data exports are elsewhere.
"""

from import_export import fields, resources

from core.spreadsheets import safe_row

from .models import ImportKind, Partner, PartnerContact, Service

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _codes(values) -> str:
    return "|".join(sorted(values))


class SafeResource(resources.ModelResource):
    def export_resource(self, instance, selected_fields=None, **kwargs):
        return safe_row(super().export_resource(instance, selected_fields=selected_fields, **kwargs))

    def filter_export(self, queryset, **kwargs):
        """From the partners' administration, the services or contacts of the partners listed."""
        if queryset is not None and queryset.model is Partner and self._meta.model is not Partner:
            queryset = self.get_queryset().filter(partner__in=queryset)
        return super().filter_export(queryset, **kwargs)


def column(attribute: str | None, name: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=name, readonly=True)


class PartnerResource(SafeResource):
    identifiant = column("slug", "identifiant")
    nom = column("name", "nom")
    sigle = column("acronym", "sigle")
    siret = column("siret", "siret")
    type = column("kind", "type")
    presentation = column("description", "presentation")
    site_internet = column("website", "site_internet")
    telephone = column("phone", "telephone")
    courriel = column("email", "courriel")
    adresse = column("address", "adresse")
    code_postal = column("postal_code", "code_postal")
    commune_insee = column("commune_id", "commune_insee")
    horaires = column("opening_hours", "horaires")
    thematiques = column(None, "thematiques")
    permanences = column(None, "permanences")
    publie = column(None, "publie")
    source = column("source", "source")
    verifiee_le = column(None, "verifiee_le")

    class Meta:
        model = Partner
        name = "Organisations"
        fields = export_order = (
            "identifiant",
            "nom",
            "sigle",
            "siret",
            "type",
            "presentation",
            "site_internet",
            "telephone",
            "courriel",
            "adresse",
            "code_postal",
            "commune_insee",
            "horaires",
            "thematiques",
            "permanences",
            "publie",
            "source",
            "verifiee_le",
        )

    def get_queryset(self):
        return Partner.objects.prefetch_related("themes").order_by("name")

    def dehydrate_commune_insee(self, partner):
        return partner.commune_id or ""

    def dehydrate_thematiques(self, partner):
        return _codes(theme.code for theme in partner.themes.all())

    def dehydrate_permanences(self, partner):
        return _yes_no(partner.holds_permanences)

    def dehydrate_publie(self, partner):
        return _yes_no(partner.is_published)

    def dehydrate_verifiee_le(self, partner):
        return partner.last_verified_on.strftime("%d/%m/%Y") if partner.last_verified_on else ""


class ServiceResource(SafeResource):
    partenaire = column(None, "partenaire")
    nom = column("name", "nom")
    resume = column("summary", "resume")
    description = column("description", "description")
    thematiques = column(None, "thematiques")
    publics = column(None, "publics")
    modes_acces = column(None, "modes_acces")
    frais = column("fees", "frais")
    precisions_frais = column("fees_details", "precisions_frais")
    pieces_a_fournir = column("documents", "pieces_a_fournir")
    territoire = column("area", "territoire")
    communes_insee = column(None, "communes_insee")
    intercommunalites = column(None, "intercommunalites")
    telephone = column("contact_phone", "telephone")
    courriel = column("contact_email", "courriel")
    publie = column(None, "publie")

    class Meta:
        model = Service
        name = "Services"
        fields = export_order = (
            "partenaire",
            "nom",
            "resume",
            "description",
            "thematiques",
            "publics",
            "modes_acces",
            "frais",
            "precisions_frais",
            "pieces_a_fournir",
            "territoire",
            "communes_insee",
            "intercommunalites",
            "telephone",
            "courriel",
            "publie",
        )

    def get_queryset(self):
        return (
            Service.objects.select_related("partner")
            .prefetch_related("themes", "communes")
            .order_by("partner__name", "position", "name")
        )

    def dehydrate_partenaire(self, service):
        return service.partner.slug

    def dehydrate_thematiques(self, service):
        return _codes(theme.code for theme in service.themes.all())

    def dehydrate_publics(self, service):
        return _codes(service.audiences)

    def dehydrate_modes_acces(self, service):
        return _codes(service.access_modes)

    def dehydrate_communes_insee(self, service):
        return _codes(commune.pk for commune in service.communes.all())

    def dehydrate_intercommunalites(self, service):
        return _codes(service.epci_codes)

    def dehydrate_publie(self, service):
        return _yes_no(service.is_published)


class PartnerContactResource(SafeResource):
    partenaire = column(None, "partenaire")
    nom = column("name", "nom")
    fonction = column("role", "fonction")
    telephone = column("phone", "telephone")
    courriel = column("email", "courriel")
    notes = column("notes", "notes")

    class Meta:
        model = PartnerContact
        name = "Contacts internes"
        fields = export_order = ("partenaire", "nom", "fonction", "telephone", "courriel", "notes")

    def get_queryset(self):
        return PartnerContact.objects.select_related("partner").order_by("partner__name", "name")

    def dehydrate_partenaire(self, contact):
        return contact.partner.slug


RESOURCES = {
    ImportKind.PARTNERS: PartnerResource,
    ImportKind.SERVICES: ServiceResource,
    ImportKind.CONTACTS: PartnerContactResource,
}


def export(kind: str, file_format: str) -> bytes:
    """The whole directory's `kind` as a CSV (UTF-8 with a BOM, for spreadsheets), XLSX or ODS file."""
    dataset = RESOURCES[kind]().export()
    data = dataset.export(file_format)
    if isinstance(data, str):
        return "\ufeff".encode() + data.encode("utf-8")
    return data
