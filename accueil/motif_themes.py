"""Reception reasons and the partner directory's themes, where they match (issue 7: one reference list of themes,
shared with the reception reasons).

The link is `Motif.theme` (a foreign key to `partenaires.Theme`, filled by migration 0004 and editable in
/gestion/accueil/motifs/); `accueil/` may import `partenaires/` and not the reverse (DESIGN.md). An agent can go from
a reason to the partners who handle it with `directory_url(motif)`.
"""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from partenaires.models import Theme


def themes_for(motif) -> QuerySet:
    """The directory's themes matching a reason: its theme and, for a category, the sub-themes under it (none for
    « Autre »)."""
    if motif.theme_id is None:
        return Theme.objects.none()
    return Theme.objects.filter(Q(pk=motif.theme_id) | Q(parent_id=motif.theme_id)).order_by("position")


def directory_url(motif) -> str | None:
    """The public directory filtered on the reason's theme, or None when no theme matches."""
    if motif.theme_id is None:
        return None
    return f"{reverse('partenaires:directory')}?{urlencode({'theme': motif.theme.code})}"
