"""The staff navigation: the areas a signed-in person may use, by role (invariant 4: show only what is allowed)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from . import perms


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    description: str
    allowed: Callable


AREAS = [
    Area("Accueil des visiteurs", "accueil:home", "Enregistrer et orienter les visiteurs.", perms.can_use_reception),
    Area("Réservations", "events:bookings", "Réserver une salle d’une Maison.", perms.can_book_rooms),
    Area("Gestion", "gestion", "Agenda, salles, partenaires et chiffres.", perms.can_manage_portal),
    Area("Contenus", "wagtailadmin_home", "Pages d’information et actualités.", perms.can_edit_content),
    Area("Invitations", "accounts:invitation_list", "Créer des comptes par invitation.", perms.can_invite),
    Area("Administration", "admin:index", "Comptes, rôles et listes de référence.", perms.can_administer),
]


def staff_areas(user) -> list[dict]:
    """The areas `user` may open, skipping those whose pages are not installed yet."""
    areas = []
    for area in AREAS:
        if not area.allowed(user):
            continue
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue
        areas.append({"label": area.label, "url": url, "description": area.description})
    return areas
