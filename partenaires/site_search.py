"""The partners in the site search (search.index): one entry per partner of the public directory.

partenaires.services calls `index.update(partner)` after every change, so an entry follows its partner (and
disappears when it is unpublished or retired: `partner_document` returns None).
"""

from search import index

from .models import Partner


def partner_document(partner: Partner) -> index.Document | None:
    if not partner.is_listed:
        return None
    services = [service for service in partner.services.all() if service.is_published]
    themes = sorted({theme.label for theme in partner.themes.all()})
    body = [
        partner.description,
        f"Thématiques : {', '.join(themes)}." if themes else "",
        *(f"{service.name} : {service.summary}" for service in services),
    ]
    place = " ".join(filter(None, [partner.postal_code, partner.commune.name if partner.commune else ""]))
    return index.Document(
        kind="partenaire",
        title=partner.display_name,
        url=partner.get_absolute_url(),
        summary=" ".join(filter(None, [partner.get_kind_display().capitalize() + ".", place, partner.phone])),
        body="\n".join(filter(None, body)),
    )


def register() -> None:
    index.register(
        index.Provider(
            name="partenaire",
            model=Partner,
            kinds={"partenaire": "Partenaires"},
            objects=lambda: (
                Partner.objects.published().select_related("commune").prefetch_related("themes", "services")
            ),
            document=partner_document,
            order=30,
        )
    )
