from django.utils.functional import SimpleLazyObject

from . import services


def accessibility(request) -> dict:
    """The accessibility statement for the footer's « Accessibilité : <état> », from the cache, read only if shown."""
    return {"accessibility_statement": SimpleLazyObject(services.accessibility_statement)}
