"""Writing to the partner directory: every change goes through here, so the search vector and the public page
cache follow (core/pagecache.py: anything a public page shows calls `public_pages_changed()`)."""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from core.pagecache import public_pages_changed
from maisons.models import Commune
from search import index as site_index

from . import search
from .models import Partner, PartnerContact, Service, Theme


def partner_reindex(*, partner_id: int) -> None:
    """Rebuild a partner's search vector from its texts, its themes and its published services (4 queries)."""
    partner = Partner.objects.select_related("commune").get(pk=partner_id)
    services = list(Service.objects.published().filter(partner_id=partner_id).prefetch_related("themes"))
    themes = {theme.label for theme in partner.themes.all()}
    themes.update(theme.label for service in services for theme in service.themes.all())
    vector = (
        search.weighted(f"{partner.name} {partner.acronym}", "A")
        + search.weighted(" ".join(sorted(themes)) + " " + " ".join(service.name for service in services), "B")
        + search.weighted(
            " ".join([partner.description, partner.commune.name if partner.commune else ""])
            + " "
            + " ".join(service.summary for service in services),
            "C",
        )
        + search.weighted(" ".join(service.description for service in services), "D")
    )
    Partner.objects.filter(pk=partner_id).update(search_vector=vector)


def partner_reindex_all(queryset: QuerySet | None = None) -> int:
    """Rebuild every vector (demo data, benchmark, after a bulk change); returns how many."""
    ids = list((queryset if queryset is not None else Partner.objects.all()).values_list("pk", flat=True))
    for partner_id in ids:
        partner_reindex(partner_id=partner_id)
    return len(ids)


def partners_reindex_fields(queryset: QuerySet) -> int:
    """One UPDATE giving partners created in bulk (benchmark, future imports) a vector from their own fields only
    (name, acronym, description); `partner_reindex` adds themes and services."""
    return queryset.update(
        search_vector=SearchVector(
            search.unaccent(F("name")), search.unaccent(F("acronym")), config=search.CONFIG, weight="A"
        )
        + SearchVector(search.unaccent(F("description")), config=search.CONFIG, weight="C")
    )


def _was_listed(partner: Partner) -> bool:
    return partner.pk is not None and Partner.objects.published().filter(pk=partner.pk).exists()


@transaction.atomic
def partner_save(*, partner: Partner, themes: Iterable[Theme] | None = None) -> Partner:
    """Create or update a partner (validated), its themes; reindex it; public pages change if it is or was listed."""
    was_listed = _was_listed(partner)
    partner.full_clean()
    partner.save()
    if themes is not None:
        partner.themes.set(themes)
    partner_reindex(partner_id=partner.pk)
    site_index.update(partner)
    if was_listed or partner.is_listed:
        public_pages_changed()
    return partner


@transaction.atomic
def partner_retire(*, partner: Partner) -> Partner:
    """Take a partner out of the directory for good. Its row stays: the reception log and the occupancies of the
    past point to it, and its contacts are erased after PARTNER_CONTACT_RETENTION_DAYS (personal_data.py)."""
    if partner.retired_at is None:
        was_listed = partner.is_listed
        partner.retired_at = timezone.now()
        partner.save(update_fields=["retired_at", "updated_at"])
        site_index.update(partner)
        if was_listed:
            public_pages_changed()
    return partner


@transaction.atomic
def partner_restore(*, partner: Partner) -> Partner:
    """Bring a retired partner back (a retirement by mistake)."""
    if partner.retired_at is not None:
        partner.retired_at = None
        partner.save(update_fields=["retired_at", "updated_at"])
        site_index.update(partner)
        if partner.is_listed:
            public_pages_changed()
    return partner


@transaction.atomic
def service_save(
    *, service: Service, themes: Iterable[Theme] | None = None, communes: Iterable[Commune] | None = None
) -> Service:
    service.full_clean()
    service.save()
    if themes is not None:
        service.themes.set(themes)
    if communes is not None:
        service.communes.set(communes)
    partner_reindex(partner_id=service.partner_id)
    site_index.update(service.partner)
    if service.partner.is_listed:
        public_pages_changed()
    return service


@transaction.atomic
def service_delete(*, service: Service) -> None:
    partner = service.partner
    service.delete()
    partner_reindex(partner_id=partner.pk)
    site_index.update(partner)
    if partner.is_listed:
        public_pages_changed()


@transaction.atomic
def contact_save(*, contact: PartnerContact) -> PartnerContact:
    """Contacts are never public: no page cache to clear."""
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: PartnerContact) -> None:
    contact.delete()
