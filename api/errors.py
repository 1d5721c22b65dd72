"""French error bodies for the API: which parameter, and why, in words (never pydantic's English)."""

from collections.abc import Mapping

# pydantic's error types (pydantic-core « Error Handling ») and what to say instead.
MESSAGES = {
    "missing": "est obligatoire",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "bool_parsing": "doit valoir true ou false",
    "date_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "doit être une date au format AAAA-MM-JJ, sans heure",
    "date_type": "doit être une date au format AAAA-MM-JJ",
    "string_type": "doit être un texte",
    "string_unicode": "doit être un texte",
    "literal_error": "n’est pas une des valeurs permises",
    "enum": "n’est pas une des valeurs permises",
}


def _parameter(location) -> str:
    parts = [str(part) for part in location if part not in ("query", "path", "body", "filters", "pagination")]
    return ".".join(parts) or "requête"


def _message(error: Mapping) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"doit être supérieur ou égal à {context.get('ge')}"
    if kind == "greater_than":
        return f"doit être supérieur à {context.get('gt')}"
    if kind == "less_than_equal":
        return f"doit être inférieur ou égal à {context.get('le')}"
    if kind == "less_than":
        return f"doit être inférieur à {context.get('lt')}"
    if kind == "string_too_long":
        return f"compte {context.get('max_length')} caractères au plus"
    if kind == "string_too_short":
        return f"compte au moins {context.get('min_length')} caractères"
    return MESSAGES.get(kind, "n’est pas valide")


def french(errors) -> dict:
    """The body of a 422 from pydantic's errors."""
    items = [{"parametre": _parameter(error.get("loc", ())), "message": _message(error)} for error in errors]
    summary = " ; ".join(f"« {item['parametre']} » {item['message']}" for item in items)
    return {"message": f"Paramètre invalide : {summary}." if items else "Requête invalide.", "erreurs": items}


def invalid(parameter: str, message: str) -> dict:
    return {
        "message": f"Paramètre invalide : « {parameter} » : {message}",
        "erreurs": [{"parametre": parameter, "message": message}],
    }


def from_form(form, names: Mapping[str, str]) -> dict:
    """A Django form's French errors, named by the API's parameters."""
    items = [
        {"parametre": names.get(field, field), "message": " ".join(messages)}
        for field, messages in form.errors.items()
    ]
    summary = " ; ".join(f"« {item['parametre']} » : {item['message']}" for item in items)
    return {"message": f"Paramètre invalide : {summary}", "erreurs": items}


def not_found(message: str) -> dict:
    return {"message": message, "erreurs": []}
