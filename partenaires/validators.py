"""Validators of the partner directory: SIRET (with its check digit) and opening hours (OSM syntax)."""

import re

from django.core.exceptions import ValidationError

from . import opening_hours

# La Poste's establishments share one SIREN and are numbered past what the Luhn key allows; INSEE checks their
# SIRET by the sum of its digits, a multiple of 5 (INSEE, « Le numéro SIRET »).
LA_POSTE_SIREN = "356000000"


def normalise_siret(value: str) -> str:
    """« 534 083 665 00034 » → « 53408366500034 »: people copy SIRETs with spaces or dots."""
    return re.sub(r"[\s.\u00a0\u202f]", "", value or "")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def siret_validator(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError("Le numéro SIRET compte 14 chiffres (par exemple 534 083 665 00034).", code="format")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(char) for char in value) % 5 == 0
    else:
        valid = luhn_valid(value)
    if not valid:
        raise ValidationError(
            "Ce numéro SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez les chiffres sur l’avis de "
            "situation SIRENE ou sur annuaire-entreprises.data.gouv.fr.",
            code="checksum",
        )


def opening_hours_validator(value: str) -> None:
    try:
        opening_hours.parse(value)
    except opening_hours.OpeningHoursError as error:
        raise ValidationError(str(error), code="opening_hours") from error


def epci_code_validator(value: str) -> None:
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError(
            f"« {value} » n’est pas un numéro SIREN d’intercommunalité (9 chiffres, par exemple 200068732).",
            code="epci",
        )
