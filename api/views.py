"""/api/: the portal's read-only open data (django-ninja), described by its OpenAPI schema at /api/openapi.json and
in French at /api/ (docs/api.md).

- Reading only: GET (and HEAD), for anyone, without cookie or account; CORS open on /api/ (settings CORS_*).
- Cacheable: `Cache-Control: public, max-age=…` and an ETag (a repeated request with If-None-Match gets a 304);
  anonymous GETs also go through the public page cache (core/pagecache.py), made stale by any change.
- Bounded: every list runs a fixed number of SQL queries whatever the data size (api/tests).
- Public data only: published Maisons, partners and services; public occurrences of events. Internal contacts,
  notes, reservations and internal meetings are never read here.
- A bad parameter gets a 422 whose JSON says in French which one and why.
"""

import datetime
import hashlib
from functools import wraps

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from maisons.enums import Weekday
from maisons.models import Commune, ExceptionalClosure, Maison
from partenaires import data_inclusion
from partenaires.enums import AccessMode, Area, Audience, Fees, PartnerKind
from partenaires.forms import DirectoryFilterForm
from partenaires.models import Partner, Service, Theme

from . import errors
from .schemas import (
    ErreurOut,
    EvenementOut,
    MaisonOut,
    PartenaireOut,
    ServiceOut,
)

CACHE_SECONDS = 300
MAX_PAGE_SIZE = 200


class FrenchJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="API ouverte des Maisons du Département de la Haute-Marne",
    version="1",
    description=(
        "Données ouvertes, en lecture seule : les Maisons du Département et leurs horaires, les événements publics "
        "à venir, l’annuaire des partenaires et leurs services, et leurs exports au schéma data·inclusion. "
        "Documentation en français : /api/."
    ),
    docs_url=None,  # Swagger UI loads from a CDN: /api/ is a page of the portal instead (api/docs.py).
    openapi_url="/openapi.json",
    renderer=FrenchJSONRenderer(),
    urls_namespace="api",
)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    return api.create_response(request, errors.french(exc.errors), status=422)


def cacheable(view):
    """Cache-Control public, an ETag of the body, and 304 when the reader already has it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponse) or response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            not_modified = HttpResponse(status=304)
            not_modified["ETag"] = etag
            patch_cache_control(not_modified, public=True, max_age=CACHE_SECONDS)
            return not_modified
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    return wrapped


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _page(queryset, page: int, size: int) -> tuple[int, list]:
    total = queryset.count()
    offset = (page - 1) * size
    return total, list(queryset[offset : offset + size]) if offset < total else []


def _paged(request, queryset, pagination, convert, schema):
    total, rows = _page(queryset, pagination.page, pagination.par_page)
    data = {
        "total": total,
        "page": pagination.page,
        "par_page": pagination.par_page,
        "pages": (total + pagination.par_page - 1) // pagination.par_page,
        "resultats": [schema.model_validate(convert(row)).model_dump(mode="json") for row in rows],
    }
    return api.create_response(request, data, status=200)


class Pagination(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de la page, à partir de 1.")
    par_page: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Résultats par page, {MAX_PAGE_SIZE} au plus.")


def page_schema(name: str, item):
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"total": int, "page": int, "par_page": int, "pages": int, "resultats": list[item]},
        },
    )


MaisonsPage = page_schema("PageMaisons", MaisonOut)
PartenairesPage = page_schema("PagePartenaires", PartenaireOut)
ServicesPage = page_schema("PageServices", ServiceOut)
EvenementsPage = page_schema("PageEvenements", EvenementOut)
ERRORS = {404: ErreurOut, 422: ErreurOut}


# Maisons ---------------------------------------------------------------------------------------------------------


def _maisons():
    upcoming = ExceptionalClosure.objects.filter(end_date__gte=timezone.localdate()).order_by("start_date")
    return (
        Maison.objects.published()
        .select_related("commune")
        .prefetch_related("opening_hours", Prefetch("closures", queryset=upcoming, to_attr="upcoming_closures"))
        .order_by("name")
    )


def maison_data(maison: Maison) -> dict:
    hours = sorted(maison.opening_hours.all(), key=lambda item: (item.weekday, item.opens_at))
    return {
        "slug": maison.slug,
        "nom": maison.name,
        "description": maison.description,
        "adresse": maison.address,
        "code_postal": maison.postal_code,
        "commune": {"code_insee": maison.commune.code_insee, "nom": maison.commune.name},
        "latitude": float(maison.latitude),
        "longitude": float(maison.longitude),
        "telephone": maison.phone,
        "courriel": maison.email,
        "accessibilite": maison.accessibility,
        "url": _absolute(maison.get_absolute_url()),
        "horaires": [
            {
                "jour": Weekday(item.weekday).label,
                "ouverture": item.opens_at.strftime("%H:%M"),
                "fermeture": item.closes_at.strftime("%H:%M"),
            }
            for item in hours
        ],
        "fermetures_exceptionnelles": [
            {"debut": closure.starts_at, "fin": closure.ends_at, "motif": closure.reason}
            for closure in maison.upcoming_closures
        ],
        "mis_a_jour_le": maison.updated_at,
    }


@api.get("/maisons", response={200: MaisonsPage, 422: ErreurOut}, tags=["Maisons"], summary="Les Maisons")
@cacheable
def maisons_list(request, pagination: Query[Pagination]):
    """Les Maisons du Département publiées, avec leurs horaires de la semaine et leurs fermetures à venir."""
    return _paged(request, _maisons(), pagination, maison_data, MaisonOut)


@api.get("/maisons/{slug}", response={200: MaisonOut, **ERRORS}, tags=["Maisons"], summary="Une Maison")
@cacheable
def maison_detail(request, slug: str):
    maison = _maisons().filter(slug=slug).first()
    if maison is None:
        return api.create_response(request, errors.not_found("Aucune Maison publiée à cette adresse."), status=404)
    return api.create_response(
        request, MaisonOut.model_validate(maison_data(maison)).model_dump(mode="json"), status=200
    )


# Partners and services -----------------------------------------------------------------------------------------


def theme_data(theme: Theme) -> dict:
    return {"code": theme.code, "libelle": theme.label}


def service_data(service: Service, *, partner_slug: str | None = None) -> dict:
    return {
        "id": service.pk,
        "partenaire": partner_slug or service.partner.slug,
        "nom": service.name,
        "resume": service.summary,
        "description": service.description,
        "thematiques": [theme_data(theme) for theme in service.themes.all()],
        "publics": [value for value in service.audiences if value in Audience.values],
        "modes_acces": [value for value in service.access_modes if value in AccessMode.values],
        "frais": service.fees,
        "frais_precisions": service.fees_details,
        "pieces_a_fournir": service.documents,
        "territoire": service.area,
        "communes": [commune.code_insee for commune in service.communes.all()],
        "intercommunalites": list(service.epci_codes),
        "telephone": service.contact_phone,
        "courriel": service.contact_email,
        "mis_a_jour_le": service.updated_at,
    }


def _services_prefetch():
    return Service.objects.published().prefetch_related(
        "themes", Prefetch("communes", queryset=Commune.objects.only("code_insee"))
    )


def partner_data(partner: Partner) -> dict:
    commune = partner.commune
    return {
        "slug": partner.slug,
        "nom": partner.name,
        "sigle": partner.acronym,
        "type": partner.kind,
        "description": partner.description,
        "siret": partner.siret,
        "adresse": partner.address,
        "code_postal": partner.postal_code,
        "commune": {"code_insee": commune.code_insee, "nom": commune.name} if commune else None,
        "telephone": partner.phone,
        "courriel": partner.email,
        "site_internet": partner.website,
        "horaires_osm": partner.opening_hours,
        "horaires": partner.hours().lines(),
        "thematiques": [theme_data(theme) for theme in partner.themes.all()],
        "tient_des_permanences": partner.holds_permanences,
        "verifiee_le": partner.last_verified_on,
        "mis_a_jour_le": partner.updated_at,
        "url": _absolute(partner.get_absolute_url()),
        "services": [service_data(service, partner_slug=partner.slug) for service in partner.public_services],
    }


def _partners():
    return (
        Partner.objects.published()
        .select_related("commune")
        .prefetch_related("themes", Prefetch("services", queryset=_services_prefetch(), to_attr="public_services"))
    )


class PartnerFilters(Pagination):
    q: str = Field("", max_length=200, description="Mots cherchés (recherche en français, sans accents).")
    thematique: str = Field(
        "", max_length=120, description="Code d’une thématique data·inclusion (une catégorie prend ses thèmes)."
    )
    commune: str = Field("", max_length=100, description="Commune servie : nom, code INSEE ou code postal.")


def _directory_form(filters) -> DirectoryFilterForm:
    themes = list(Theme.objects.order_by("position"))
    return DirectoryFilterForm(
        {"q": filters.q, "theme": filters.thematique, "commune": filters.commune}, themes=themes
    )


FORM_TO_PARAMETER = {"q": "q", "theme": "thematique", "commune": "commune"}


@api.get(
    "/partenaires", response={200: PartenairesPage, 422: ErreurOut}, tags=["Partenaires"], summary="Les partenaires"
)
@cacheable
def partners_list(request, filters: Query[PartnerFilters]):
    """L’annuaire des partenaires publiés, avec leurs services publiés ; filtres : mots, thématique, commune servie
    (comme la page /partenaires/). Jamais de contact interne ni de note."""
    form = _directory_form(filters)
    if not form.is_valid():
        return api.create_response(request, errors.from_form(form, FORM_TO_PARAMETER), status=422)
    return _paged(request, form.filter_queryset(_partners()), filters, partner_data, PartenaireOut)


@api.get("/partenaires/{slug}", response={200: PartenaireOut, **ERRORS}, tags=["Partenaires"], summary="Un partenaire")
@cacheable
def partner_detail(request, slug: str):
    partner = _partners().filter(slug=slug).first()
    if partner is None:
        return api.create_response(request, errors.not_found("Aucun partenaire publié à cette adresse."), status=404)
    return api.create_response(
        request, PartenaireOut.model_validate(partner_data(partner)).model_dump(mode="json"), status=200
    )


class ServiceFilters(Pagination):
    thematique: str = Field("", max_length=120, description="Code d’une thématique data·inclusion.")
    commune: str = Field("", max_length=5, description="Code INSEE d’une commune : les services qui la desservent.")
    partenaire: str = Field("", max_length=80, description="Identifiant (slug) d’un partenaire.")


@api.get("/services", response={200: ServicesPage, 422: ErreurOut}, tags=["Partenaires"], summary="Les services")
@cacheable
def services_list(request, filters: Query[ServiceFilters]):
    """Les services publiés des partenaires publiés ; filtres : thématique, commune desservie, partenaire."""
    services = (
        _services_prefetch()
        .filter(partner__in=Partner.objects.published())
        .select_related("partner")
        .order_by("partner__name", "position", "name")
    )
    if filters.thematique:
        services = services.filter(
            pk__in=Service.objects.filter(
                Q(themes__code=filters.thematique) | Q(themes__parent__code=filters.thematique)
            ).values("pk")
        )
    if filters.commune:
        commune = Commune.objects.filter(code_insee=filters.commune).first()
        if commune is None:
            return api.create_response(
                request,
                errors.invalid("commune", "Code INSEE inconnu : 5 caractères, par exemple 52448 pour Saint-Dizier."),
                status=422,
            )
        services = services.filter(
            Q(area=Area.DEPARTEMENT, partner__commune__departement=commune.departement)
            | Q(area=Area.DEPARTEMENT, partner__commune__isnull=True)
            | Q(area=Area.EPCI, epci_codes__contains=[commune.epci_siren])
            | Q(area=Area.COMMUNES, pk__in=Service.objects.filter(communes=commune).values("pk"))
        )
    if filters.partenaire:
        services = services.filter(partner__slug=filters.partenaire)
    return _paged(request, services, filters, service_data, ServiceOut)


# Events: the public occurrences to come (events.Occupancy), read through the contract of /work/brief ----------


class EventFilters(Pagination):
    maison: str = Field("", max_length=80, description="Identifiant (slug) d’une Maison.")
    categorie: str = Field("", max_length=80, description="Identifiant (slug) d’une catégorie.")
    debut: datetime.date | None = Field(None, description="À partir de ce jour (AAAA-MM-JJ) ; par défaut aujourd’hui.")
    fin: datetime.date | None = Field(None, description="Jusqu’à ce jour inclus (AAAA-MM-JJ).")


def event_data(occurrence) -> dict:
    return {
        "slug": occurrence.slug,
        "titre": occurrence.title,
        "description": occurrence.description,
        "categorie": occurrence.category.name if occurrence.category else None,
        "nature": occurrence.kind,
        "maison": occurrence.maison.slug,
        "salle": occurrence.room.name if occurrence.room else None,
        "debut": occurrence.period.lower,
        "fin": occurrence.period.upper,
        "toute_la_journee": bool(getattr(occurrence, "all_day", False)),
        "partenaire": occurrence.partner.slug if occurrence.partner else None,
        "url": _event_url(occurrence),
    }


def _event_url(occurrence) -> str | None:
    """The occurrence's page of the public agenda (/agenda/<slug>/), when there is one."""
    if not occurrence.slug:
        return None
    try:
        return _absolute(reverse("agenda:detail", args=[occurrence.slug]))
    except NoReverseMatch:
        return None


@api.get("/evenements", response={200: EvenementsPage, 422: ErreurOut}, tags=["Événements"], summary="Les événements")
@cacheable
def events_list(request, filters: Query[EventFilters]):
    """Les occurrences publiques à venir (événements, permanences des partenaires), les plus proches d’abord ;
    filtres : Maison, catégorie, période."""
    from events.models import Occupancy  # Imported here: the API reads events only through this endpoint.

    today = timezone.localdate()
    start = filters.debut or today
    if filters.fin and filters.fin < start:
        return api.create_response(
            request, errors.invalid("fin", "La fin de la période précède son début."), status=422
        )
    since = max(timezone.now(), timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)))
    occurrences = (
        Occupancy.objects.filter(
            is_public=True, status="confirmed", maison__is_published=True, period__endswith__gt=since
        )
        .select_related("maison", "room", "category", "partner")
        .order_by("period")
    )
    if filters.fin:
        until = timezone.make_aware(
            datetime.datetime.combine(filters.fin + datetime.timedelta(days=1), datetime.time.min)
        )
        occurrences = occurrences.filter(period__startswith__lt=until)
    if filters.maison:
        occurrences = occurrences.filter(maison__slug=filters.maison)
    if filters.categorie:
        occurrences = occurrences.filter(category__slug=filters.categorie)
    return _paged(request, occurrences, filters, event_data, EvenementOut)


# data·inclusion exports ----------------------------------------------------------------------------------------


def _file(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@api.get(
    "/data-inclusion/structures.json",
    url_name="data_inclusion_structures_json",
    tags=["data·inclusion"],
    summary="Structures (JSON)",
)
@cacheable
def di_structures_json(request):
    """Toutes les structures publiées, au schéma data·inclusion (v1) : une liste JSON."""
    return api.create_response(request, _records_json(data_inclusion.structures()), status=200)


@api.get(
    "/data-inclusion/services.json",
    url_name="data_inclusion_services_json",
    tags=["data·inclusion"],
    summary="Services (JSON)",
)
@cacheable
def di_services_json(request):
    """Tous les services publiés, au schéma data·inclusion (v1) : une liste JSON."""
    return api.create_response(request, _records_json(data_inclusion.services()), status=200)


@api.get(
    "/data-inclusion/structures.csv",
    url_name="data_inclusion_structures_csv",
    tags=["data·inclusion"],
    summary="Structures (CSV)",
)
@cacheable
def di_structures_csv(request):
    """Les mêmes structures en CSV (UTF-8, virgule ; listes séparées par des virgules)."""
    return _file(
        data_inclusion.to_csv(data_inclusion.structures(), data_inclusion.STRUCTURE_FIELDS),
        "text/csv; charset=utf-8",
        "structures.csv",
    )


@api.get(
    "/data-inclusion/services.csv",
    url_name="data_inclusion_services_csv",
    tags=["data·inclusion"],
    summary="Services (CSV)",
)
@cacheable
def di_services_csv(request):
    """Les mêmes services en CSV (UTF-8, virgule ; listes séparées par des virgules)."""
    return _file(
        data_inclusion.to_csv(data_inclusion.services(), data_inclusion.SERVICE_FIELDS),
        "text/csv; charset=utf-8",
        "services.csv",
    )


def _records_json(records) -> list[dict]:
    return [
        {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in record.items()}
        for record in records
    ]


# Kept for the enumerations' sake in the documentation page (api/docs.py).
ENUMERATIONS = {
    "type (partenaire)": PartnerKind,
    "publics": Audience,
    "modes_acces": AccessMode,
    "frais": Fees,
    "territoire": Area,
}
