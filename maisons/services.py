import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Commune

COMMUNES_CSV = Path(__file__).resolve().parent / "data" / "communes-france-2026.csv"
COMMUNE_COLUMNS = [
    "code_insee",
    "nom",
    "departement",
    "region",
    "codes_postaux",
    "population",
    "epci_siren",
    "epci_nom",
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


# The model field each CSV column fills, to name the column in a validation error.
FIELD_COLUMNS = {
    "code_insee": "code_insee",
    "name": "nom",
    "departement": "departement",
    "region": "region",
    "postal_codes": "codes_postaux",
    "population": "population",
    "epci_siren": "epci_siren",
    "epci_name": "epci_nom",
}
CSV_ERRORS = {"field larger than field limit": "une valeur est démesurément longue"}


def _commune_from_row(row: dict) -> tuple[Commune, list[tuple[str, str]]]:
    """The commune a row describes, and its faults as (column, French reason) pairs."""
    values = {column: (row.get(column) or "").strip() for column in COMMUNE_COLUMNS}
    errors = [(column, "contient un caractère nul") for column, value in values.items() if "\x00" in value]
    if row.get(None):  # More values than columns: DictReader keeps the surplus under None.
        errors.append(("—", f"{len(row[None])} valeur(s) de plus que de colonnes"))
    faulty = {column for column, _ in errors}
    code, population = values["code_insee"], values["population"]
    if "code_insee" not in faulty and not code.isascii():
        errors.append(("code_insee", "Le code INSEE compte cinq caractères (ex. 52269)."))
    if population and not (population.isascii() and population.isdigit()) and "population" not in faulty:
        errors.append(("population", f"« {population[:20]} » n’est pas un nombre entier"))
    postal_codes = values["codes_postaux"].split()
    if any(len(postal) != 5 or not (postal.isascii() and postal.isdigit()) for postal in postal_codes):
        errors.append(("codes_postaux", f"« {values['codes_postaux'][:40]} » : cinq chiffres par code postal"))
    commune = Commune(
        code_insee=code,
        name=values["nom"],
        departement=values["departement"],
        region=values["region"],
        postal_codes=postal_codes,
        population=int(population) if population.isascii() and population.isdigit() else None,
        epci_siren=values["epci_siren"],
        epci_name=values["epci_nom"],
    )
    try:
        # Lengths, the INSEE code's form, the safe-text rules: the model's own validation, in French. Postal
        # codes are checked above: a few communes have none, which the model's form validation would refuse.
        commune.full_clean(exclude=["postal_codes"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        faulty = {column for column, _ in errors}
        for name, messages in error.message_dict.items():
            column = FIELD_COLUMNS.get(name, name)
            if column not in faulty:
                errors.append((column, messages[0]))
    return commune, errors


def communes_load(*, path: Path = COMMUNES_CSV, departements: list[str] | None = None) -> ImportReport:
    """Load the reference list of communes; with any faulty row, report every one and change nothing.

    Each error names its line (the header is line 1), its column and the reason, in French. The file is UTF-8,
    with or without the byte order mark spreadsheets add, separated by commas or semicolons.
    """
    report = ImportReport()
    communes = []
    first_line: dict[str, int] = {}
    line = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            handle.seek(0)
            delimiter = ";" if header.count(";") > header.count(",") else ","
            reader = csv.DictReader(handle, delimiter=delimiter)
            missing = set(COMMUNE_COLUMNS) - set(reader.fieldnames or [])
            if missing:
                report.errors.append(f"Colonnes manquantes : {', '.join(sorted(missing))}.")
                return report
            for line, row in enumerate(reader, start=2):
                if departements and (row.get("departement") or "").strip() not in departements:
                    continue
                commune, errors = _commune_from_row(row)
                if commune.code_insee in first_line and not errors:
                    errors = [("code_insee", f"code INSEE déjà présent ligne {first_line[commune.code_insee]}")]
                first_line.setdefault(commune.code_insee, line)
                # Each faulty row is reported with its line and column; none is imported.
                report.errors += [f"Ligne {line}, colonne {column} : {reason}" for column, reason in errors]
                communes.append(commune)
    except UnicodeDecodeError:
        report.errors.append("Le fichier n’est pas encodé en UTF-8.")
    except csv.Error as error:
        reason = next((french for english, french in CSV_ERRORS.items() if english in str(error)), None)
        report.errors.append(
            f"Ligne {line + 1} : lecture impossible, "
            + (reason or "guillemets ou séparateurs mal placés")
            + " ; la suite du fichier n’a pas été lue."
        )
    if report.errors:
        return report
    existing = set(Commune.objects.values_list("code_insee", flat=True))
    with transaction.atomic():
        Commune.objects.bulk_create(
            communes,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["code_insee"],
            update_fields=["name", "departement", "region", "postal_codes", "population", "epci_siren", "epci_name"],
        )
    report.created = sum(1 for commune in communes if commune.code_insee not in existing)
    report.updated = len(communes) - report.created
    return report
