"""The directory's reference list of themes: data·inclusion's thematic list, from its published package.

Migration 0004 loads a frozen copy; `themes_sync()` adds what is missing from the installed package (a newer list,
or a database flushed by tests that run against a live server) and never removes a theme partners may use.
"""

from data_inclusion.schema.v1.thematiques import Categorie, Thematique

from .models import Theme


def themes_sync() -> int:
    """Create the missing themes; return how many were created."""
    existing = {theme.code: theme for theme in Theme.objects.all()}
    created = 0
    for position, category in enumerate(Categorie, start=1):
        if category.value not in existing:
            existing[category.value] = Theme.objects.create(
                code=category.value, label=category._label, position=position * 100
            )
            created += 1
    for position, item in enumerate(Thematique, start=1):
        if item.value not in existing:
            parent = existing[item.value.split("--")[0]]
            existing[item.value] = Theme.objects.create(
                code=item.value, label=item._label, parent=parent, position=parent.position + position
            )
            created += 1
    return created
