import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Commune, insee_code_validator

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


def _commune_from_row(row: dict) -> Commune:
    code = (row.get("code_insee") or "").strip()
    insee_code_validator(code)
    name = (row.get("nom") or "").strip()
    if not name:
        raise ValueError("le nom est vide")
    population = (row.get("population") or "").strip()
    if population and not population.isdigit():
        raise ValueError(f"population « {population} » n’est pas un nombre entier")
    postal_codes = (row.get("codes_postaux") or "").split()
    if any(len(code) != 5 or not code.isdigit() for code in postal_codes):
        raise ValueError(f"codes postaux « {row.get('codes_postaux')} » invalides")
    return Commune(
        code_insee=code,
        name=name,
        departement=(row.get("departement") or "").strip(),
        region=(row.get("region") or "").strip(),
        postal_codes=postal_codes,
        population=int(population) if population else None,
        epci_siren=(row.get("epci_siren") or "").strip(),
        epci_name=(row.get("epci_nom") or "").strip(),
    )


def communes_load(*, path: Path = COMMUNES_CSV, departements: list[str] | None = None) -> ImportReport:
    """Load the reference list of communes; with any faulty row, report every one and change nothing."""
    report = ImportReport()
    communes = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(COMMUNE_COLUMNS) - set(reader.fieldnames or [])
            if missing:
                report.errors.append(f"Colonnes manquantes : {', '.join(sorted(missing))}.")
                return report
            for line, row in enumerate(reader, start=2):
                if departements and row.get("departement") not in departements:
                    continue
                try:
                    communes.append(_commune_from_row(row))
                except Exception as error:  # Each faulty row is reported with its line; none is imported.
                    message = getattr(error, "messages", [str(error)])[0]
                    report.errors.append(f"Ligne {line} : {message}")
    except UnicodeDecodeError:
        report.errors.append("Le fichier n’est pas encodé en UTF-8.")
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
