"""The directory in the data·inclusion schema (v1, `data-inclusion-schema` package): structures and services, with
the schema's field names and reference values, for the open-data exports (/api/data-inclusion/…) and the quality
score shown to the project lead (/gestion/partenaires/qualite/).

What the public never sees is never here: internal contacts and their notes, unpublished or retired partners,
unpublished services. Each record validates against the package's own pydantic models (partenaires/tests).

Choices where the directory and the schema differ (docs/api.md says the same):
- `id`: « <source>--<partner pk> » and « <source>--service-<service pk> », stable whatever the name or address;
- `description` of a service: its detailed description, else its summary, else « name – partner » (the schema
  requires 5 characters; the quality score then counts it as « très courte »);
- `thematiques`: only the schema's themes (« categorie--theme »); a category ticked alone has no theme to export;
- `modes_accueil`: on site or by appointment → `en-presentiel`, by phone or online → `a-distance`;
- `modes_mobilisation`: on site → `se-presenter`; by phone or by appointment → `telephoner` (with a phone number),
  else `envoyer-un-courriel` (with an address); online → `utiliser-lien-mobilisation` (with a website);
- `mobilisable_par`: `usagers`, always: the directory is the public's;
- `zone_eligibilite`: the département's code, the intercommunalities' SIREN or the communes' INSEE codes;
- `date_maj`: the later of the last change and the last verification by the partner.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from core.spreadsheets import safe_row
from maisons.models import Commune, Maison

from .enums import AccessMode, Area, Audience
from .models import Partner, Service

STRUCTURE_FIELDS = [
    "source",
    "id",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
]
SERVICE_FIELDS = [
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "lien_source",
    "date_maj",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "modes_accueil",
    "zone_eligibilite",
    "contact_nom_prenom",
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
    "horaires_accueil",
]
NAME_MAX = 150


def source() -> str:
    return settings.DATA_INCLUSION_SOURCE


def structure_id(partner_id: int) -> str:
    return f"{source()}--{partner_id}"


def service_id(service_id: int) -> str:
    return f"{source()}--service-{service_id}"


def _or_none(value):
    return value if value not in ("", [], None) else None


def _email(value: str) -> str | None:
    """The address if the schema takes it: its validator refuses reserved domains (RFC 6761) Django accepts."""
    if not value:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return None
    return value


def _name(value: str) -> str:
    return value if len(value) <= NAME_MAX else value[: NAME_MAX - 1].rstrip() + "…"


def _date_maj(updated_at: datetime.datetime, last_verified_on: datetime.date | None) -> datetime.date:
    day = timezone.localdate(updated_at)
    return max(day, last_verified_on) if last_verified_on else day


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def structures_queryset() -> QuerySet:
    return Partner.objects.published().select_related("commune").order_by("pk")


def services_queryset() -> QuerySet:
    return (
        Service.objects.published()
        .filter(partner__in=Partner.objects.published())
        .select_related("partner__commune")
        .prefetch_related("themes", Prefetch("communes", queryset=Commune.objects.only("code_insee")))
        .order_by("partner_id", "pk")
    )


def structure_record(partner: Partner) -> dict:
    commune = partner.commune
    return {
        "source": source(),
        "id": structure_id(partner.pk),
        "nom": _name(partner.name),
        "date_maj": _date_maj(partner.updated_at, partner.last_verified_on),
        "description": partner.description if len(partner.description.strip()) >= 5 else None,
        "lien_source": _absolute(partner.get_absolute_url()),
        "siret": _or_none(partner.siret),
        "commune": commune.name if commune else None,
        "code_postal": _or_none(partner.postal_code),
        "code_insee": commune.code_insee if commune else None,
        "adresse": _or_none(partner.address),
        "complement_adresse": None,
        "longitude": None,
        "latitude": None,
        "telephone": _or_none(partner.phone),
        "courriel": _email(partner.email),
        "site_web": _or_none(partner.website),
        "horaires_accueil": _or_none(partner.opening_hours),
        "accessibilite_lieu": None,
        "reseaux_porteurs": None,
    }


def _modes_accueil(modes: set[str]) -> list[str] | None:
    result = []
    if modes & {AccessMode.ON_SITE, AccessMode.APPOINTMENT}:
        result.append("en-presentiel")
    if modes & {AccessMode.PHONE, AccessMode.ONLINE}:
        result.append("a-distance")
    return result or None


def _modes_mobilisation(modes: set[str], *, phone: str, email: str, link: str) -> list[str] | None:
    result = []
    if AccessMode.ON_SITE in modes:
        result.append("se-presenter")
    if modes & {AccessMode.PHONE, AccessMode.APPOINTMENT}:
        if phone:
            result.append("telephoner")
        elif email:
            result.append("envoyer-un-courriel")
    if AccessMode.ONLINE in modes and link:
        result.append("utiliser-lien-mobilisation")
    return sorted(set(result)) or None


def _publics(audiences: list[str]) -> list[str] | None:
    values = [value for value in audiences if value in Audience.values]
    if Audience.EVERYONE in values:  # The schema: « tous-publics » stands alone.
        return [Audience.EVERYONE.value]
    return sorted(values) or None


def _zone(service: Service, departements: list[str]) -> list[str] | None:
    if service.area == Area.EPCI:
        return sorted(service.epci_codes) or None
    if service.area == Area.COMMUNES:
        return sorted(commune.code_insee for commune in service.communes.all()) or None
    return departements or None


def service_record(service: Service, *, departements: list[str]) -> dict:
    partner = service.partner
    commune = partner.commune
    modes = set(service.access_modes)
    phone = service.contact_phone or partner.phone
    email = service.contact_email or partner.email
    link = partner.website
    if len(service.description.strip()) >= 5:
        description = service.description
    elif len(service.summary.strip()) >= 5:
        description = service.summary
    else:
        description = f"{service.name} – {partner.name}"
    mobilisation = _modes_mobilisation(modes, phone=phone, email=email, link=link)
    on_site = bool(modes & {AccessMode.ON_SITE, AccessMode.APPOINTMENT})
    return {
        "source": source(),
        "structure_id": structure_id(partner.pk),
        "id": service_id(service.pk),
        "nom": _name(service.name),
        "description": description,
        "lien_source": _absolute(f"{partner.get_absolute_url()}#service-{service.pk}"),
        "date_maj": _date_maj(service.updated_at, partner.last_verified_on),
        "type": None,
        "thematiques": sorted(theme.code for theme in service.themes.all() if theme.parent_id) or None,
        "frais": _or_none(service.fees),
        "frais_precisions": _or_none(service.fees_details),
        "publics": _publics(service.audiences),
        "publics_precisions": None,
        "conditions_acces": f"Pièces à fournir : {service.documents}" if service.documents.strip() else None,
        "commune": commune.name if commune and on_site else None,
        "code_postal": _or_none(partner.postal_code) if on_site else None,
        "code_insee": commune.code_insee if commune and on_site else None,
        "adresse": _or_none(partner.address) if on_site else None,
        "complement_adresse": None,
        "longitude": None,
        "latitude": None,
        "telephone": _or_none(phone),
        "courriel": _email(email),
        "modes_accueil": _modes_accueil(modes),
        "zone_eligibilite": _zone(service, departements),
        "contact_nom_prenom": None,  # Internal contacts are never published.
        "lien_mobilisation": _or_none(link) if mobilisation and "utiliser-lien-mobilisation" in mobilisation else None,
        "modes_mobilisation": mobilisation,
        "mobilisable_par": ["usagers"],
        "mobilisation_precisions": None,
        "volume_horaire_hebdomadaire": None,
        "nombre_semaines": None,
        "horaires_accueil": _or_none(partner.opening_hours),
    }


def departements() -> list[str]:
    """The départements the Maisons serve: a service offered « in the whole département » is eligible there."""
    return sorted(set(Maison.objects.values_list("commune__departement", flat=True)))


def structures() -> Iterator[dict]:
    """Every published structure, in 1 query."""
    for partner in structures_queryset().iterator(chunk_size=500):
        yield structure_record(partner)


def services(queryset: QuerySet | None = None) -> Iterator[dict]:
    """Every published service of a published partner, in 4 queries (services, themes, communes, départements)."""
    codes = departements()
    for service in queryset if queryset is not None else services_queryset():
        yield service_record(service, departements=codes)


def _csv_value(value) -> str:
    """Lists are joined by commas, as data·inclusion's own CSV files do; dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_csv(records: Iterable[dict], fields: list[str]) -> str:
    """CSV (UTF-8, comma) with the schema's column names; every cell formula-safe (core.spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow(safe_row(_csv_value(record[name]) for name in fields))
    return buffer.getvalue()
