from django.apps import AppConfig


class ApiConfig(AppConfig):
    """/api/: the portal's read-only open data (django-ninja, OpenAPI at /api/openapi.json), docs/api.md.

    Sits above every app it reads (maisons, events, partenaires), as config/ does: no app imports it.
    """

    name = "api"
    verbose_name = "API ouverte"
