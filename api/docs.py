"""/api/: the API's documentation in French, written from its own OpenAPI schema (no Swagger UI: it loads from a
CDN, and public pages make no third-party request)."""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .views import api


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if method != "get":
                continue
            operations.append(
                {
                    "path": "/api" + path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in_path": parameter.get("in") == "path",
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                }
            )
    return operations


@transaction.non_atomic_requests
@require_safe
@login_not_required
def index(request):
    """The endpoints, grouped by subject, with their parameters; the schema for machines is /api/openapi.json."""
    schema = api.get_openapi_schema(path_prefix="")
    groups: dict[str, list[dict]] = {}
    for operation in _operations(schema):
        groups.setdefault(operation["tag"], []).append(operation)
    return render(request, "api/index.html", {"groups": groups.items(), "version": schema["info"]["version"]})
