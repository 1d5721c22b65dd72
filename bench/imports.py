"""Benchmark of the partner import (partenaires/imports.py): 10,000 organisations, then 30,000 services.

Run by `make bench` (bench/run.py) in a process of its own, so that its peak memory (the resident set size,
`VmHWM`) is the import's and nothing else's; it can also be run alone against a migrated database:

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python -m bench.imports

The files are generated (CSV, as a spreadsheet exports them); each import is checked then written in one
transaction, as the project lead's confirmation does, and everything is rolled back at the end: the database is
left as it was. Target (issue 7): both imports in under 60 seconds, with memory bounded by the file's size.
"""

import csv
import io
import json
import time

from bench import child

RESULT_MARKER = "BENCH_IMPORT "
PARTNERS = 10_000
SERVICES_PER_PARTNER = 3
TARGET_SECONDS = 60


def partner_file(count: int) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["identifiant", "nom", "type", "presentation", "telephone", "courriel", "code_postal", "publie"])
    for n in range(count):
        writer.writerow(
            [
                f"bench-import-{n}",
                f"Organisation importée n° {n}",
                "association",
                "Accompagne les habitants dans leurs démarches administratives et sociales.",
                "03 25 00 00 00",
                f"contact{n}@exemple.test",
                "52000",
                "oui",
            ]
        )
    return buffer.getvalue().encode()


def service_file(count: int, per_partner: int) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["partenaire", "nom", "resume", "publics", "modes_acces", "frais", "territoire"])
    for n in range(count):
        for k in range(per_partner):
            writer.writerow(
                [
                    f"bench-import-{n}",
                    f"Service {k + 1}",
                    "Un accompagnement personnalisé, sur rendez-vous.",
                    "tous-publics|familles",
                    "sur_place|telephone",
                    "gratuit",
                    "departement",
                ]
            )
    return buffer.getvalue().encode()


def run(partners: int = PARTNERS, per_partner: int = SERVICES_PER_PARTNER) -> dict:
    import django

    django.setup()
    from django.db import transaction

    from partenaires import imports

    files = {"organisations": partner_file(partners), "services": service_file(partners, per_partner)}
    result = {"organisations": partners, "services": partners * per_partner, "steps": {}}
    started = time.perf_counter()
    with transaction.atomic():
        for kind, content in files.items():
            step = time.perf_counter()
            report = imports.apply(content, "csv", kind, file_name=f"bench-{kind}.csv")
            if report.errors:
                raise SystemExit(f"L’import de mesure a échoué : {report.errors[:3]}")
            result["steps"][kind] = {
                "rows": report.total_rows,
                "created": report.created,
                "seconds": round(time.perf_counter() - step, 2),
                "file_bytes": len(content),
            }
        result["seconds"] = round(time.perf_counter() - started, 2)
        transaction.set_rollback(True)
    result["peak_rss_mb"] = round(child.peak_rss_mb(), 1)
    result["target_seconds"] = TARGET_SECONDS
    result["met"] = result["seconds"] < TARGET_SECONDS
    return result


def measure_in_subprocess() -> dict:
    return child.measure_in_subprocess("bench.imports", RESULT_MARKER, "de l’import")


def summary(result: dict) -> str:
    steps = ", ".join(
        f"{name} {step['rows']} lignes en {step['seconds']:.1f} s".replace(".", ",")
        for name, step in result["steps"].items()
    )
    verdict = "atteint" if result["met"] else "manqué"
    return (
        f"Import de partenaires : {steps} ; total {result['seconds']:.1f} s".replace(".", ",")
        + f" (objectif < {result['target_seconds']} s : {verdict}), mémoire maximale {result['peak_rss_mb']} Mo."
    )


if __name__ == "__main__":
    figures = run()
    print(summary(figures))
    print(RESULT_MARKER + json.dumps(figures))
