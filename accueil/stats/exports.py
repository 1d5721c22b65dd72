"""Exports of the statistics: the visits themselves (streamed, bounded memory) and every aggregate, as CSV or XLSX.

Every cell goes through core.spreadsheets.safe_cell (invariant 5). CSV is UTF-8 with a BOM and semicolons, what a
French spreadsheet opens without asking. The visits are read by batches keyed on (occurred_at, id), so a million
rows never sit in memory: a CSV is streamed as it is read; an XLSX is written by openpyxl's write-only mode into a
temporary file (on disk past a few megabytes), then sent.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import Q
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from accueil.models import Visit
from core.spreadsheets import safe_row

from .figures import Labels, _choices

BATCH = 2000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Iterable[list]]]) -> FileResponse:
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append(safe_row(row))
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it.
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


VISIT_HEADER = [
    "identifiant",
    "Maison",
    "date",
    "heure",
    "canal",
    "motifs",
    "autre motif",
    "suite donnée",
    "direction",
    "partenaire",
    "résidence",
    "commune (INSEE)",
    "commune",
    "intercommunalité",
    "tranche d’âge",
    "sexe",
    "durée",
    "première visite",
    "satisfaction",
]


def _has(name):
    return name in {field.name for field in Visit._meta.get_fields()}


def visit_rows(maison_ids: list[int], start: datetime.date, end: datetime.date) -> Iterator[list]:
    """The header, then one row per visit of these Maisons over the local days start..end, oldest first.

    No note and no agent: the export is for figures (invariant 3)."""
    yield VISIT_HEADER
    low = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    high = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    manager = Visit.objects
    visits = manager.filter(maison_id__in=maison_ids, occurred_at__gte=low, occurred_at__lt=high)
    if _has("deleted_at"):
        visits = visits.filter(deleted_at__isnull=True)
    optional = {
        "other_motif": _has("other_motif"),
        "residence": _has("residence"),
        "commune": _has("commune"),
    }
    fields = ["id", "maison__name", "occurred_at", "channel", "outcome", "direction__name", "partner__name"]
    extra = [name for name in ("age_band", "sex", "duration_band", "first_visit", "satisfaction") if _has(name)]
    fields += extra
    if optional["other_motif"]:
        fields.append("other_motif")
    if optional["residence"]:
        fields.append("residence")
    if optional["commune"]:
        fields += ["commune_id", "commune__name", "commune__epci_name"]
    labels = {name: _choices(Visit, name) for name in ("channel", "outcome", "residence", *extra)}
    through = Visit.motifs.through
    last = None
    while True:
        batch = visits
        if last is not None:
            # The plain bound first: PostgreSQL uses it as the index scan's start, where the OR alone is a filter
            # over every row before it (each batch reading the whole export so far).
            batch = batch.filter(occurred_at__gte=last[0]).filter(
                Q(occurred_at__gt=last[0]) | Q(occurred_at=last[0], id__gt=last[1])
            )
        rows = list(batch.order_by("occurred_at", "id").values(*fields)[:BATCH])
        if not rows:
            return
        motifs: dict[int, list[str]] = {}
        for visit_id, label in (
            through.objects.filter(visit_id__in=[row["id"] for row in rows])
            .order_by("visit_id", "motif__position", "motif__label")
            .values_list("visit_id", "motif__label")
        ):
            motifs.setdefault(visit_id, []).append(label)
        for row in rows:
            local = timezone.localtime(row["occurred_at"])
            first = row.get("first_visit")
            yield [
                row["id"],
                row["maison__name"],
                local.date(),
                local.strftime("%H:%M"),
                labels["channel"].get(row["channel"], row["channel"]),
                " ; ".join(motifs.get(row["id"], [])),
                row.get("other_motif", ""),
                labels["outcome"].get(row["outcome"], row["outcome"]),
                row["direction__name"] or "",
                row["partner__name"] or "",
                labels["residence"].get(row.get("residence") or "", row.get("residence") or ""),
                row.get("commune_id") or "",
                row.get("commune__name") or "",
                row.get("commune__epci_name") or "",
                *[
                    {True: "oui", False: "non", None: ""}[first]
                    if name == "first_visit"
                    else labels[name].get(row.get(name) or "", row.get(name) or "")
                    for name in ("age_band", "sex", "duration_band", "first_visit", "satisfaction")
                    if name in extra
                ],
            ]
        last = (rows[-1]["occurred_at"], rows[-1]["id"])


def aggregate_rows(chart, period) -> list[list]:
    """A chart's table: value, visits, share, and the previous period's figures."""
    rows = [[chart.label_column, "visites", "part", "période précédente", "évolution"]]
    for row in chart.rows:
        rows.append([row.label, row.value, row.share, row.previous, row.change])
    return rows


__all__ = ["Labels", "aggregate_rows", "csv_response", "visit_rows", "xlsx_response"]
