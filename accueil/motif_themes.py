"""Reception reasons and the partner directory's themes, where they match (issue 7: one reference list of themes,
shared with the reception reasons).

The link lives here because `accueil/` may import `partenaires/` and not the reverse (DESIGN.md). It is kept as
data·inclusion theme codes per reason label, so that no migration of the reception log is needed; a theme code is
either a category (« famille ») or a sub-theme (« famille--garde-denfants »). accueil/tests check that every code
exists in the directory's list. An agent can go from a reason to the partners who handle it with
`directory_url(motif)`.
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from partenaires.models import Theme

MOTIF_THEMES: dict[str, tuple[str, ...]] = {
    "Aides aux personnes âgées et handicapées": (
        "famille--prise-en-charge-personne-dependante",
        "famille--soutien-aidants",
        "sante--constituer-un-dossier-mdph-invalidite",
    ),
    "Insertion, RSA et emploi": (
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "trouver-un-emploi",
        "preparer-sa-candidature",
        "choisir-un-metier",
    ),
    "Enfance, famille et PMI": ("famille",),
    "Routes et déplacements": ("mobilite",),
    "Logement": ("logement-hebergement",),
    "Démarches en ligne et numérique": (
        "numerique",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ),
}


def theme_codes(motif) -> tuple[str, ...]:
    return MOTIF_THEMES.get(motif.label, ())


def themes_for(motif) -> QuerySet:
    """The directory's themes matching a reason (none for « Autre demande »)."""
    return Theme.objects.filter(code__in=theme_codes(motif))


def directory_url(motif) -> str | None:
    """The public directory filtered on the reason's first theme, or None when no theme matches."""
    codes = theme_codes(motif)
    if not codes:
        return None
    return f"{reverse('partenaires:directory')}?{urlencode({'theme': codes[0]})}"
