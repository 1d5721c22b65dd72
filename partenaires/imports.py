"""Importing organisations, services and internal contacts from a CSV, XLSX or ODS file (docs/partenaires-import.md).

Two steps, the same code: `check()` reads the whole file, validates every row and says what each one would do
(create, update, leave unchanged) without writing anything; `apply()` runs the check again inside one transaction
and, if nothing is wrong, writes every row in bulk, with one history entry per created or changed row
(django-auditlog's LogEntry, written in bulk as well, since bulk writes send no signal) and one for the import.

Rules (invariant 5 of DESIGN.md):
- every faulty row is reported with its line (the header is line 1), its column and the reason in French, and
  nothing is written while there is one;
- rows are matched on a natural key: an organisation by its `identifiant` (the slug of its page), else its SIRET,
  else its name; a service or a contact by its organisation and its name. Importing the same file twice changes
  nothing (the second time, every row is « inchangée »), and a file exported from the portal imports as it is;
- a column absent from the file leaves that field as it is; an empty cell empties it;
- CSV in UTF-8 (with or without BOM) or Windows-1252, separated by commas or semicolons; XLSX and ODS with real
  dates, Excel's date serial numbers, and numbers where text is expected (a SIRET, a postal code).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify

from core.pagecache import public_pages_changed
from core.spreadsheets import FORMULA_TRIGGERS
from maisons.models import Commune
from search import index as site_index

from . import search
from .enums import AccessMode, Area, Audience, Fees, PartnerKind
from .models import ImportJob, ImportKind, ImportStatus, Partner, PartnerContact, Service, Theme
from .validators import epci_code_validator, normalise_siret

FORMATS = ("csv", "xlsx", "ods")
PROGRESS_EVERY = 500
# The fixed addresses under /gestion/partenaires/ (partenaires/urls.py, partenaires/verification/urls.py): a partner
# with one of them as its slug would be hidden behind a page; the partner form refuses them too
# (partenaires/tests/test_reserved_slugs.py checks the list against the URLs).
RESERVED_SLUGS = {"nouveau", "importer", "exporter", "qualite", "verifications"}
BATCH_SIZE = 1000

ProgressCallback = Callable[[int, int], None]
# An empty « oui/non » cell: the field is left as it is (its default for a new row).
KEEP = object()


# Reports --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"Ligne {self.line}, colonne {self.column} : {self.message}"


@dataclass
class PlannedRow:
    line: int
    action: str  # "create", "update" or "unchanged"
    label: str
    values: dict = field(default_factory=dict)
    m2m: dict = field(default_factory=dict)
    pk: int | None = None
    changes: dict = field(default_factory=dict)  # field name → (before, after), as text


ACTION_LABELS = {"create": "création", "update": "modification", "unchanged": "inchangée"}


@dataclass
class Report:
    """What a file would do (after `check`) or did (after `apply`). `errors` are French sentences."""

    kind: str
    total_rows: int = 0
    row_errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    applied: bool = False

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [str(error) for error in self.row_errors]

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.action == "update")

    @property
    def unchanged(self) -> int:
        return sum(1 for row in self.rows if row.action == "unchanged")

    def as_json(self, preview: int = 500) -> dict:
        """What the job keeps: every error, and the first `preview` rows with what they change."""
        return {
            "file_errors": self.file_errors,
            "warnings": self.warnings,
            "row_errors": [
                {"line": error.line, "column": error.column, "message": error.message} for error in self.row_errors
            ],
            "rows": [
                {
                    "line": row.line,
                    "action": row.action,
                    "action_label": ACTION_LABELS[row.action],
                    "label": row.label,
                    "changes": [[name, before, after] for name, (before, after) in row.changes.items()],
                }
                for row in self.rows
                if row.action != "unchanged"
            ][:preview],
        }


class FileRefused(Exception):
    """The file as a whole cannot be read: the message says why, in French."""


# Reading the file -----------------------------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """« Code postal », « code_postal », « CODE-POSTAL » → « code_postal »."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _cell(value):
    """A cell as the checks read it: text stripped, numbers as text (a SIRET, a postal code), dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    text = str(value).strip()
    # An export of the portal writes « '=… » for a text that a spreadsheet would run (core/spreadsheets.py): read
    # back, it is the text itself, so that a re-import changes nothing.
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, list]]  # (line, cells)
    formula_cells: set = field(default_factory=set)  # (line, index) of cells holding a formula


CSV_ERRORS = {
    "field larger than field limit": "une valeur est démesurément longue",
    "line contains NUL": "le fichier contient un caractère nul (ce n’est pas du texte)",
    "new-line character seen in unquoted field": "un retour à la ligne hors guillemets",
}


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # What spreadsheets on Windows write by default (« CSV (séparateur : point-virgule) »).
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileRefused("Le fichier n’est pas encodé en UTF-8.") from error


def read_csv(content: bytes) -> Sheet:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    line = 1
    try:
        header = next(reader, [])
        for cells in reader:
            line = reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append((line, [_cell(cell) for cell in cells]))
    except csv.Error as error:
        reason = next((french for english, french in CSV_ERRORS.items() if english in str(error)), None)
        raise FileRefused(
            f"Ligne {line + 1} : lecture impossible, "
            + (reason or "guillemets ou séparateurs mal placés")
            + " ; la suite du fichier n’a pas été lue."
        ) from error
    return Sheet(header, rows)


def check_archive(content: bytes) -> None:
    """An XLSX or ODS file is a zip archive: refuse one that would unpack into far more than it weighs (a « zip
    bomb ») before any library opens it."""
    limit = settings.PARTNER_IMPORT_MAX_UNPACKED_SIZE
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused("Ce classeur est endommagé : il ne peut pas être lu.") from error
    unpacked = sum(member.file_size for member in members)
    if len(members) > 1000 or unpacked > limit:
        raise FileRefused(
            f"Ce classeur se décompresse en {filesizeformat(unpacked)}, au-delà de la limite de "
            f"{filesizeformat(limit)} : il est refusé. Enregistrez-le à nouveau depuis votre tableur, ou en CSV."
        )


def read_xlsx(content: bytes) -> Sheet:
    import openpyxl

    check_archive(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged file.
        raise FileRefused("Ce classeur Excel est endommagé : il ne peut pas être lu.") from error
    try:
        sheet = workbook.worksheets[0]
        header, rows, formulas = [], [], set()
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for index, cell in enumerate(cells):
                value = cell.value
                if getattr(cell, "data_type", None) == "f":
                    formulas.add((line, index))
                    value = ""
                values.append(value)
            if line == 1:
                header = [_cell(value) for value in values]
                continue
            row = [_cell(value) for value in values]
            if any(value != "" for value in row) or any((line, i) in formulas for i in range(len(row))):
                rows.append((line, row))
    finally:
        workbook.close()
    return Sheet([str(value) for value in header], rows, formulas)


def read_ods(content: bytes) -> Sheet:
    import tablib

    check_archive(content)
    try:
        dataset = tablib.Dataset().load(content, format="ods")
    except Exception as error:  # odfpy raises many kinds of errors on a damaged file.
        raise FileRefused("Ce classeur OpenDocument est endommagé : il ne peut pas être lu.") from error
    rows = []
    for line, values in enumerate(dataset, start=2):
        row = [_cell(value) for value in values]
        if any(value != "" for value in row):
            rows.append((line, row))
    return Sheet([str(name or "") for name in dataset.headers or []], rows)


def read(content: bytes, file_format: str) -> Sheet:
    return {"csv": read_csv, "xlsx": read_xlsx, "ods": read_ods}[file_format](content)


# Columns --------------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def parse_bool(value) -> bool | None:
    text = normalise_header(_text(value))
    if text == "":
        return None
    if text in {"oui", "o", "vrai", "true", "1", "x", "yes"}:
        return True
    if text in {"non", "n", "faux", "false", "0", "no"}:
        return False
    raise ValidationError(f"« {value} » n’est ni « oui » ni « non ».")


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # Excel's serial number of a day (a date cell saved as a number).
        return EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"« {text} » n’est pas une date : écrivez-la JJ/MM/AAAA, par exemple 15/03/2025.")


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[normalise_header(value)] = value
        lookup[normalise_header(label)] = value
    return lookup


def parse_choice(value, choices) -> str:
    text = _text(value)
    found = _choice_lookup(choices).get(normalise_header(text))
    if found is None:
        allowed = ", ".join(f"« {value} »" for value, _ in choices)
        raise ValidationError(f"« {text} » n’est pas une valeur prévue ({allowed}).")
    return found


def split_list(value) -> list[str]:
    return [part.strip() for part in re.split(r"[|,;\n]", _text(value)) if part.strip()]


def parse_choices(value, choices) -> list[str]:
    return sorted({parse_choice(part, choices) for part in split_list(value)})


@dataclass(frozen=True)
class Column:
    """One column of an import file: its name (in headers and error messages), the model field it fills, how a
    cell is read (`parse`, which raises ValidationError with a French message) and what the documentation says."""

    name: str
    field: str
    help: str
    required: bool = False
    parse: Callable | None = None
    m2m: bool = False


def _model_field_clean(model, name: str, value):
    """The value as the model field accepts it (its validators, its length), or its French error."""
    model_field = model._meta.get_field(name)
    # A TextField's max_length is only enforced by forms: an import checks it as a form would.
    if isinstance(value, str) and model_field.max_length and len(value) > model_field.max_length:
        raise ValidationError(f"{len(value)} signes, pour {model_field.max_length} au plus.")
    try:
        return model_field.clean(value, None)
    except ValidationError as error:
        raise ValidationError(" ".join(error.messages)) from error


PARTNER_COLUMNS = [
    Column(
        "identifiant",
        "slug",
        "Fin de l’adresse de la page (« caf » pour /partenaires/caf/) ; clé de l’import. Vide pour un nouveau "
        "partenaire : déduit du nom.",
    ),
    Column("nom", "name", "Nom de l’organisme.", required=True),
    Column("sigle", "acronym", "Sigle (CAF, CPAM…)."),
    Column("siret", "siret", "14 chiffres, clé de contrôle vérifiée ; sert de clé quand l’identifiant est vide."),
    Column(
        "type",
        "kind",
        "Type d’organisme : " + ", ".join(f"« {label} »" for label in PartnerKind.labels) + ".",
        parse=lambda value: parse_choice(value, PartnerKind.choices) if _text(value) else None,
    ),
    Column("presentation", "description", "Présentation."),
    Column("site_internet", "website", "Adresse du site (https://…)."),
    Column("telephone", "phone", "Téléphone, par exemple 03 25 32 88 88."),
    Column("courriel", "email", "Adresse électronique."),
    Column("adresse", "address", "Numéro et rue."),
    Column("code_postal", "postal_code", "Cinq chiffres."),
    Column("commune_insee", "commune", "Code INSEE de la commune (52269 pour Langres)."),
    Column("horaires", "opening_hours", "Horaires, syntaxe OpenStreetMap (Mo-Fr 08:30-12:00; PH off)."),
    Column("thematiques", "themes", "Codes des thématiques data·inclusion, séparés par « | ».", m2m=True),
    Column(
        "permanences", "holds_permanences", "Tient des permanences dans une Maison : oui ou non.", parse=parse_bool
    ),
    Column("publie", "is_published", "Publié dans l’annuaire : oui ou non.", parse=parse_bool),
    Column("source", "source", "D’où vient la fiche."),
    Column("verifiee_le", "last_verified_on", "Date de dernière vérification (JJ/MM/AAAA).", parse=parse_date),
]

SERVICE_COLUMNS = [
    Column("partenaire", "partner", "Identifiant (ou SIRET) de l’organisme qui propose le service.", required=True),
    Column("nom", "name", "Nom du service ; avec l’organisme, clé de l’import.", required=True),
    Column("resume", "summary", "Une phrase, 280 signes au plus."),
    Column("description", "description", "Description détaillée."),
    Column("thematiques", "themes", "Codes des thématiques data·inclusion, séparés par « | ».", m2m=True),
    Column(
        "publics",
        "audiences",
        "Publics, séparés par « | » : " + ", ".join(f"« {value} »" for value in Audience.values) + ".",
        parse=lambda value: parse_choices(value, Audience.choices),
    ),
    Column(
        "modes_acces",
        "access_modes",
        "Modes d’accès, séparés par « | » : " + ", ".join(f"« {value} »" for value in AccessMode.values) + ".",
        parse=lambda value: parse_choices(value, AccessMode.choices),
    ),
    Column(
        "frais",
        "fees",
        "« gratuit » ou « payant ».",
        parse=lambda value: parse_choice(value, Fees.choices) if _text(value) else "",
    ),
    Column("precisions_frais", "fees_details", "Précisions sur les frais."),
    Column("pieces_a_fournir", "documents", "Pièces à fournir."),
    Column(
        "territoire",
        "area",
        "« departement » (tout le département, par défaut), « epci » ou « communes ».",
        parse=lambda value: parse_choice(value, Area.choices) if _text(value) else Area.DEPARTEMENT.value,
    ),
    Column("communes_insee", "communes", "Codes INSEE des communes desservies, séparés par « | ».", m2m=True),
    Column("intercommunalites", "epci_codes", "SIREN des intercommunalités desservies, séparés par « | »."),
    Column("telephone", "contact_phone", "Téléphone du service, s’il diffère de l’organisme."),
    Column("courriel", "contact_email", "Courriel du service, s’il diffère."),
    Column("publie", "is_published", "Publié : oui ou non.", parse=parse_bool),
]

CONTACT_COLUMNS = [
    Column("partenaire", "partner", "Identifiant (ou SIRET) de l’organisme.", required=True),
    Column("nom", "name", "Nom de la personne ; avec l’organisme, clé de l’import.", required=True),
    Column("fonction", "role", "Sa fonction."),
    Column("telephone", "phone", "Téléphone direct."),
    Column("courriel", "email", "Courriel direct."),
    Column("notes", "notes", "Notes pour l’accueil (jours de présence, délais…)."),
]

COLUMNS = {
    ImportKind.PARTNERS: PARTNER_COLUMNS,
    ImportKind.SERVICES: SERVICE_COLUMNS,
    ImportKind.CONTACTS: CONTACT_COLUMNS,
}
MODELS = {ImportKind.PARTNERS: Partner, ImportKind.SERVICES: Service, ImportKind.CONTACTS: PartnerContact}


# Checking ---------------------------------------------------------------------------------------------------------


class _Lookups:
    """The reference data a file's rows point to, loaded in a few queries whatever the number of rows."""

    def __init__(self, sheet: Sheet, positions: dict[str, int]):
        self.themes = {}
        for theme_id, code, label in Theme.objects.values_list("pk", "code", "label"):
            self.themes[code] = theme_id
            self.themes.setdefault(normalise_header(label), theme_id)
        codes = set()
        for name in ("commune_insee", "communes_insee"):
            if name in positions:
                for _, cells in sheet.rows:
                    codes.update(_insee(part) for part in split_list(_value(cells, positions[name])))
        self.communes = set(Commune.objects.filter(code_insee__in=codes).values_list("code_insee", flat=True))

    def theme_ids(self, value) -> set[int]:
        found, unknown = set(), []
        for part in split_list(value):
            theme_id = self.themes.get(part) or self.themes.get(normalise_header(part))
            if theme_id is None:
                unknown.append(part)
            else:
                found.add(theme_id)
        if unknown:
            raise ValidationError(
                "thématique inconnue : "
                + ", ".join(f"« {part} »" for part in unknown)
                + " (codes de la liste data·inclusion, par exemple « famille--garde-denfants »)."
            )
        return found

    def commune_codes(self, value, *, single=False) -> list[str]:
        parts = [_insee(part) for part in split_list(value)]
        if single and len(parts) > 1:
            raise ValidationError("une seule commune par organisme.")
        unknown = [part for part in parts if part not in self.communes]
        if unknown:
            raise ValidationError(
                "commune inconnue : "
                + ", ".join(f"« {part} »" for part in unknown)
                + " (code INSEE de la commune, par exemple 52269 pour Langres)."
            )
        return parts


def _insee(text: str) -> str:
    text = str(text).strip()
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text  # A spreadsheet drops the leading zero.


def _value(cells: list, position: int):
    return cells[position] if position < len(cells) else ""


def _positions(sheet: Sheet, columns: list[Column], report: Report) -> dict[str, int] | None:
    known = {column.name for column in columns}
    positions: dict[str, int] = {}
    for index, name in enumerate(sheet.header):
        normal = normalise_header(name)
        if normal in known and normal not in positions:
            positions[normal] = index
        elif normal:
            report.warnings.append(f"La colonne « {name} » n’est pas une colonne de l’import : elle est ignorée.")
    missing = [column.name for column in columns if column.required and column.name not in positions]
    if missing:
        report.file_errors.append(f"Colonnes manquantes : {', '.join(missing)}.")
        return None
    return positions


def _display(value) -> str:
    if value is None or value == "" or value == [] or value == set():
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | set | tuple):
        return ", ".join(sorted(str(item) for item in value))
    return str(value)


class _Checker:
    """Reads each row into field values, or errors; then matches rows with the database (kind-specific)."""

    model: type
    kind: str

    def __init__(self, sheet: Sheet, positions: dict[str, int], report: Report):
        self.sheet = sheet
        self.positions = positions
        self.report = report
        self.columns = [column for column in COLUMNS[self.kind] if column.name in positions]
        self.lookups = _Lookups(sheet, positions)

    def error(self, line: int, column: str, message: str) -> None:
        self.report.row_errors.append(RowError(line, column, message))

    def parse_row(self, line: int, cells: list) -> tuple[dict, dict, bool]:
        """(field values, m2m values, ok) of one row: each column parsed and validated as the model would."""
        values, m2m, ok = {}, {}, True
        for column in self.columns:
            raw = _value(cells, self.positions[column.name])
            if (line, self.positions[column.name]) in self.sheet.formula_cells:
                self.error(line, column.name, "la cellule contient une formule : collez plutôt sa valeur.")
                ok = False
                continue
            if column.required and _text(raw).strip() == "":
                self.error(line, column.name, "champ obligatoire : il est vide.")
                ok = False
                continue
            try:
                value = self.parse(column, raw)
            except ValidationError as error:
                self.error(line, column.name, " ".join(error.messages))
                ok = False
                continue
            (m2m if column.m2m else values)[column.field] = value
        return values, m2m, ok

    def parse(self, column: Column, raw):
        if column.field == "themes":
            return self.lookups.theme_ids(raw)
        if column.field == "communes":
            return set(self.lookups.commune_codes(raw))
        if column.field == "partner":
            return _text(raw)
        if column.parse:
            value = column.parse(raw)
            if value is None:
                return KEEP
            return (
                value
                if column.field in {"audiences", "access_modes"}
                else _model_field_clean(self.model, column.field, value)
            )
        text = _text(raw)
        if column.field == "slug" and not text:  # A new partner's identifier comes from its name.
            return ""
        if column.field == "siret":
            text = normalise_siret(text)
        elif column.field in {"website"} and text and "://" not in text:
            text = "https://" + text
        elif column.field == "postal_code" and text.isdigit() and len(text) == 4:
            text = text.zfill(5)
        elif column.field == "commune":
            codes = self.lookups.commune_codes(text, single=True)
            return codes[0] if codes else None
        elif column.field == "epci_codes":
            codes = split_list(text)
            for code in codes:
                epci_code_validator(code)
            return sorted(set(codes))
        return _model_field_clean(self.model, column.field, text)


def _partner_defaults() -> dict:
    return {"kind": PartnerKind.OTHER.value, "is_published": True, "holds_permanences": False}


class _PartnerChecker(_Checker):
    model = Partner
    kind = ImportKind.PARTNERS
    fields = [
        "slug",
        "name",
        "acronym",
        "siret",
        "kind",
        "description",
        "website",
        "phone",
        "email",
        "address",
        "postal_code",
        "commune_id",
        "opening_hours",
        "holds_permanences",
        "is_published",
        "source",
        "last_verified_on",
    ]

    def plan(self, progress: ProgressCallback | None) -> None:
        existing = {row["pk"]: row for row in Partner.objects.values("pk", *self.fields)}
        by_slug = {row["slug"]: pk for pk, row in existing.items()}
        by_siret = {row["siret"]: pk for pk, row in existing.items() if row["siret"]}
        by_name = {row["name"].casefold(): pk for pk, row in existing.items()}
        themes = _m2m_sets(Partner.themes.through, "partner_id", "theme_id") if "thematiques" in self.positions else {}
        seen_keys: dict[int | str, int] = {}
        seen_names: dict[str, int] = {}
        seen_sirets: dict[str, int] = {}
        new_slugs: set[str] = set()
        for count, (line, cells) in enumerate(self.sheet.rows, start=1):
            if progress and count % PROGRESS_EVERY == 0:
                progress(count, len(self.sheet.rows))
            values, m2m, ok = self.parse_row(line, cells)
            if "commune" in values:
                values["commune_id"] = values.pop("commune")
            if not ok:
                continue
            name, siret, slug = values.get("name", ""), values.get("siret", ""), values.get("slug", "")
            # The natural key: the identifier, else the SIRET, else the name.
            if slug:
                pk, key_column = by_slug.get(slug), "identifiant"
            elif siret:
                pk, key_column = by_siret.get(siret) or by_name.get(name.casefold()), "siret"
            else:
                pk, key_column = by_name.get(name.casefold()), "nom"
            key = pk if pk is not None else f"{key_column}:{slug or siret or name.casefold()}"
            if key in seen_keys:
                self.error(line, key_column, f"cette ligne désigne le même partenaire que la ligne {seen_keys[key]}.")
                continue
            seen_keys[key] = line
            faulty = False
            if name.casefold() in seen_names:
                self.error(line, "nom", f"ce nom figure déjà ligne {seen_names[name.casefold()]}.")
                faulty = True
            elif by_name.get(name.casefold(), pk) != pk:
                self.error(line, "nom", "un autre partenaire de l’annuaire porte déjà ce nom.")
                faulty = True
            seen_names.setdefault(name.casefold(), line)
            if siret:
                if siret in seen_sirets:
                    self.error(line, "siret", f"ce numéro SIRET figure déjà ligne {seen_sirets[siret]}.")
                    faulty = True
                elif by_siret.get(siret, pk) != pk:
                    other = existing[by_siret[siret]]["name"]
                    self.error(line, "siret", f"ce numéro SIRET est celui d’un autre partenaire (« {other} »).")
                    faulty = True
                seen_sirets.setdefault(siret, line)
            if pk is None:
                if slug and slug in RESERVED_SLUGS:
                    self.error(line, "identifiant", "cette adresse est réservée : choisissez-en une autre.")
                    faulty = True
                elif not slug:
                    slug = _free_slug(name, by_slug, new_slugs)
                    if not slug:
                        self.error(line, "nom", "ce nom ne donne pas d’adresse de page : ajoutez un identifiant.")
                        faulty = True
                    values["slug"] = slug
                new_slugs.add(slug)
            if faulty:
                continue
            if pk is None:
                self.report.rows.append(
                    PlannedRow(line, "create", name, {**_partner_defaults(), **_not_none(values)}, m2m)
                )
            else:
                values.pop("slug", None)
                self.report.rows.append(_compare(line, name, pk, existing[pk], values, m2m, {"themes": themes}))


def _free_slug(name: str, taken: dict, new: set) -> str:
    base = slugify(name)[:80].strip("-")
    if not base:
        return ""
    slug, number = base, 2
    while slug in taken or slug in new or slug in RESERVED_SLUGS:
        suffix = f"-{number}"
        slug = base[: 80 - len(suffix)].strip("-") + suffix
        number += 1
    return slug


def _not_none(values: dict) -> dict:
    return {name: value for name, value in values.items() if value is not KEEP}


def _m2m_sets(through, owner: str, target: str, owners: Iterable[int] | None = None) -> dict[int, set]:
    rows = through.objects.all()
    if owners is not None:
        rows = rows.filter(**{f"{owner}__in": list(owners)})
    sets: dict[int, set] = {}
    for owner_id, target_id in rows.values_list(owner, target):
        sets.setdefault(owner_id, set()).add(target_id)
    return sets


def _compare(line, label, pk, before: dict, values: dict, m2m: dict, current_m2m: dict) -> PlannedRow:
    changes, changed_values, changed_m2m = {}, {}, {}
    for name, value in values.items():
        if value is KEEP:
            continue
        old = before.get(name)
        if isinstance(value, list):
            old = sorted(old or [])
        if old != value:
            changes[name] = (_display(old), _display(value))
            changed_values[name] = value
    for name, value in m2m.items():
        old = current_m2m[name].get(pk, set())
        if old != value:
            changes[name] = (_display(old), _display(value))
            changed_m2m[name] = value
    action = "update" if changes else "unchanged"
    return PlannedRow(line, action, label, changed_values, changed_m2m, pk=pk, changes=changes)


class _PartnerScopedChecker(_Checker):
    """Services and contacts: keyed by their organisation (identifier or SIRET) and their name."""

    fields: list[str]
    m2m_fields: dict = {}

    def plan(self, progress: ProgressCallback | None) -> None:
        partners = {}
        for pk, slug, siret, name in Partner.objects.values_list("pk", "slug", "siret", "name"):
            partners[slug] = (pk, name)
            if siret:
                partners.setdefault(siret, (pk, name))
        parsed = []
        for count, (line, cells) in enumerate(self.sheet.rows, start=1):
            if progress and count % PROGRESS_EVERY == 0:
                progress(count, len(self.sheet.rows))
            values, m2m, ok = self.parse_row(line, cells)
            reference = values.pop("partner", "")
            partner = partners.get(reference) or partners.get(re.sub(r"[\s.]", "", reference))
            if reference and partner is None:
                self.error(
                    line,
                    "partenaire",
                    f"partenaire inconnu « {reference} » : indiquez l’identifiant d’un partenaire de l’annuaire "
                    "(la fin de l’adresse de sa page) ou son SIRET.",
                )
                ok = False
            ok = self.cross_check(line, values) and ok
            if ok:
                parsed.append((line, partner, values, m2m))
        partner_ids = {partner[0] for _, partner, _, _ in parsed}
        existing = {
            (row["partner_id"], row["name"].casefold()): row
            for row in self.model.objects.filter(partner_id__in=partner_ids).values("pk", "partner_id", *self.fields)
        }
        ids = [row["pk"] for row in existing.values()]
        current = {
            name: _m2m_sets(getattr(self.model, name).through, owner, target, ids)
            for name, (owner, target) in self.m2m_fields.items()
            if any(column.field == name for column in self.columns)
        }
        seen: dict[tuple, int] = {}
        for line, (partner_id, partner_name), values, m2m in parsed:
            key = (partner_id, values["name"].casefold())
            if key in seen:
                self.error(line, "nom", f"« {values['name']} » de ce partenaire figure déjà ligne {seen[key]}.")
                continue
            seen[key] = line
            label = f"{values['name']} ({partner_name})"
            before = existing.get(key)
            if before is None:
                self.report.rows.append(
                    PlannedRow(
                        line, "create", label, {**self.defaults(), **_not_none(values), "partner_id": partner_id}, m2m
                    )
                )
            else:
                self.report.rows.append(_compare(line, label, before["pk"], before, values, m2m, current))

    def cross_check(self, line: int, values: dict) -> bool:
        return True

    def defaults(self) -> dict:
        return {}


class _ServiceChecker(_PartnerScopedChecker):
    model = Service
    kind = ImportKind.SERVICES
    fields = [
        "name",
        "summary",
        "description",
        "audiences",
        "access_modes",
        "fees",
        "fees_details",
        "documents",
        "area",
        "epci_codes",
        "contact_phone",
        "contact_email",
        "is_published",
    ]
    m2m_fields = {"themes": ("service_id", "theme_id"), "communes": ("service_id", "commune_id")}

    def cross_check(self, line, values) -> bool:
        area, epci = values.get("area"), values.get("epci_codes")
        if area == Area.EPCI and "epci_codes" in values and not epci:
            self.error(
                line, "intercommunalites", "indiquez au moins une intercommunalité desservie (territoire « epci »)."
            )
            return False
        if area is not None and area != Area.EPCI and epci:
            self.error(line, "intercommunalites", "ne listez des intercommunalités que pour le territoire « epci ».")
            return False
        return True

    def defaults(self) -> dict:
        return {"area": Area.DEPARTEMENT.value, "is_published": True}


class _ContactChecker(_PartnerScopedChecker):
    model = PartnerContact
    kind = ImportKind.CONTACTS
    fields = ["name", "role", "phone", "email", "notes"]


CHECKERS = {
    ImportKind.PARTNERS: _PartnerChecker,
    ImportKind.SERVICES: _ServiceChecker,
    ImportKind.CONTACTS: _ContactChecker,
}


def check(content: bytes, file_format: str, kind: str, *, progress: ProgressCallback | None = None) -> Report:
    """Read and validate the whole file; say what each row would do. Writes nothing."""
    report = Report(kind=kind)
    try:
        sheet = read(content, file_format)
    except FileRefused as refusal:
        report.file_errors.append(str(refusal))
        return report
    report.total_rows = len(sheet.rows)
    positions = _positions(sheet, COLUMNS[kind], report)
    if positions is None:
        return report
    CHECKERS[kind](sheet, positions, report).plan(progress)
    report.row_errors.sort(key=lambda error: error.line)
    return report


# Writing ------------------------------------------------------------------------------------------------------


def apply(
    content: bytes,
    file_format: str,
    kind: str,
    *,
    author=None,
    job: ImportJob | None = None,
    file_name: str = "",
    progress: ProgressCallback | None = None,
) -> Report:
    """Check the file again and, if it has no error, write every row in one transaction (the caller's, or one of
    its own): all rows or none."""
    with transaction.atomic():
        report = check(content, file_format, kind, progress=progress)
        if report.errors:
            return report
        model = MODELS[kind]
        created = [row for row in report.rows if row.action == "create"]
        updated = [row for row in report.rows if row.action == "update"]
        objects = [model(**row.values) for row in created]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        for row, obj in zip(created, objects, strict=True):
            row.pk = obj.pk
        _bulk_update(model, updated)
        _write_m2m(model, created + updated)
        _write_history(model, created, updated, author=author, job=job, file_name=file_name)
        _after_write(kind, created + updated)
        report.applied = True
    return report


def _bulk_update(model, rows: list[PlannedRow]) -> None:
    by_fields: dict[tuple, list] = {}
    for row in rows:
        if row.values:
            by_fields.setdefault(tuple(sorted(row.values)), []).append(model(pk=row.pk, **row.values))
    now = timezone.now()
    for names, objects in by_fields.items():
        for obj in objects:
            obj.updated_at = now
        model.objects.bulk_update(objects, [*names, "updated_at"], batch_size=BATCH_SIZE)


M2M_TARGETS = {"themes": "theme_id", "communes": "commune_id"}


def _write_m2m(model, rows: list[PlannedRow]) -> None:
    owner = f"{model._meta.model_name}_id"
    names = {name for row in rows for name in row.m2m}
    for name in names:
        through = getattr(model, name).through
        target = M2M_TARGETS[name]
        touched = [row for row in rows if name in row.m2m]
        through.objects.filter(**{f"{owner}__in": [row.pk for row in touched if row.action == "update"]}).delete()
        through.objects.bulk_create(
            [through(**{owner: row.pk, target: value}) for row in touched for value in row.m2m[name]],
            batch_size=BATCH_SIZE * 5,
        )


def _write_history(model, created, updated, *, author, job, file_name) -> None:
    """One auditlog entry per created or changed row, as its signals would have written for a single save."""
    content_type = ContentType.objects.get_for_model(model)
    additional = {"import": job.pk if job else None, "fichier": file_name}
    actor_email = getattr(author, "email", None)
    entries = []
    for action, rows in ((LogEntry.Action.CREATE, created), (LogEntry.Action.UPDATE, updated)):
        for row in rows:
            if action == LogEntry.Action.CREATE:
                changes = {
                    name.removesuffix("_id"): ["None", _display(value)]
                    for name, value in {**row.values, **row.m2m}.items()
                    if _display(value)
                }
            else:
                changes = {name.removesuffix("_id"): [before, after] for name, (before, after) in row.changes.items()}
            entries.append(
                LogEntry(
                    content_type=content_type,
                    object_pk=str(row.pk),
                    object_id=row.pk,
                    object_repr=row.label[:200],
                    action=action,
                    changes=changes,
                    changes_text="",
                    actor=author if getattr(author, "pk", None) else None,
                    actor_email=actor_email,
                    additional_data=additional,
                )
            )
    LogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def _after_write(kind: str, rows: list[PlannedRow]) -> None:
    """The directory's search vectors, the site search and the public pages follow the rows written."""
    if not rows or kind == ImportKind.CONTACTS:
        return
    if kind == ImportKind.PARTNERS:
        partner_ids = sorted({row.pk for row in rows})
    else:
        partner_ids = sorted(
            set(Service.objects.filter(pk__in=[row.pk for row in rows]).values_list("partner_id", flat=True))
        )
    partners_reindex(partner_ids)
    for start in range(0, len(partner_ids), BATCH_SIZE):
        batch = (
            Partner.objects.filter(pk__in=partner_ids[start : start + BATCH_SIZE])
            .select_related("commune")
            .prefetch_related("themes", "services")
        )
        site_index.update_many(batch)
    public_pages_changed()


REINDEX_SQL = """
UPDATE partenaires_partner AS p SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, unaccent(p.name || ' ' || p.acronym)), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, unaccent(
        coalesce((SELECT string_agg(t.label, ' ' ORDER BY t.label) FROM partenaires_theme t WHERE t.id IN (
            SELECT pt.theme_id FROM partenaires_partner_themes pt WHERE pt.partner_id = p.id
            UNION SELECT st.theme_id FROM partenaires_service_themes st
                JOIN partenaires_service s ON s.id = st.service_id WHERE s.partner_id = p.id AND s.is_published
        )), '')
        || ' ' || coalesce((SELECT string_agg(s.name, ' ') FROM partenaires_service s
            WHERE s.partner_id = p.id AND s.is_published), '')
    )), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, unaccent(
        p.description || ' ' || coalesce((SELECT c.name FROM maisons_commune c WHERE c.code_insee = p.commune_id), '')
        || ' ' || coalesce((SELECT string_agg(s.summary, ' ') FROM partenaires_service s
            WHERE s.partner_id = p.id AND s.is_published), '')
    )), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, unaccent(
        coalesce((SELECT string_agg(s.description, ' ') FROM partenaires_service s
            WHERE s.partner_id = p.id AND s.is_published), '')
    )), 'D')
WHERE p.id = ANY(%(ids)s)
"""


def partners_reindex(partner_ids: list[int]) -> None:
    """`partenaires.services.partner_reindex` for many partners, one UPDATE per thousand: the same texts, with the
    same weights, computed by PostgreSQL."""
    with connection.cursor() as cursor:
        for start in range(0, len(partner_ids), BATCH_SIZE):
            cursor.execute(REINDEX_SQL, {"config": search.CONFIG, "ids": partner_ids[start : start + BATCH_SIZE]})


def import_path(path: Path, kind: str, *, dry_run: bool = False, author=None) -> Report:
    """Import a file from disk (tests, fuzzing, benchmark): its format from its extension, CSV by default."""
    file_format = path.suffix.lower().lstrip(".")
    file_format = file_format if file_format in FORMATS else "csv"
    content = path.read_bytes()
    if dry_run:
        return check(content, file_format, kind)
    return apply(content, file_format, kind, author=author, file_name=path.name)


# Jobs: what /gestion/partenaires/importer/ and the Celery task run -------------------------------------------


def progress_key(job_id: int) -> str:
    return f"partenaires:import:{job_id}:progress"


def _progress_saver(job: ImportJob) -> ProgressCallback:
    """Progress goes to the cache (Redis): the import's transaction hides its own writes until it ends."""

    def save(done: int, total: int) -> None:
        cache.set(progress_key(job.pk), [done, total], 3600)

    return save


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in the file) of a job being checked or imported."""
    if job.is_working:
        done, total = cache.get(progress_key(job.pk)) or [0, job.total_rows]
        return done, total
    return job.processed_rows, job.total_rows


def _store_report(job: ImportJob, report: Report) -> None:
    job.total_rows = report.total_rows
    job.processed_rows = report.total_rows
    job.error_count = len(report.errors)
    job.created_count = report.created
    job.updated_count = report.updated
    job.unchanged_count = report.unchanged
    job.report = report.as_json()


def import_job_check(*, job_id: int) -> ImportJob:
    """The dry run: read the job's file, report errors or what would change. Idempotent."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in {ImportStatus.PENDING, ImportStatus.CHECKING}:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    job.status = ImportStatus.CHECKING
    report = check(bytes(job.content), job.file_format, job.kind, progress=_progress_saver(job))
    _store_report(job, report)
    job.status = ImportStatus.INVALID if report.errors else ImportStatus.CHECKED
    job.checked_at = timezone.now()
    if report.errors:
        job.content = b""  # Nothing more to do with the file: it is not kept.
    job.save()
    return job


def import_job_apply(*, job_id: int) -> ImportJob:
    """Import the job's file for good, in one transaction with the job's own update: a retry after a worker's
    death imports it once. Recorded in the audit trail with the file's name, its author and the counts."""
    # Marked running first, in its own transaction, for the page to say so while the import's is open.
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportStatus.RUNNING:
            return job
        report = apply(
            bytes(job.content),
            job.file_format,
            job.kind,
            author=job.author,
            job=job,
            file_name=job.file_name,
            progress=_progress_saver(job),
        )
        _store_report(job, report)
        job.finished_at = timezone.now()
        job.status = ImportStatus.DONE if report.applied else ImportStatus.INVALID
        job.content = b""
        job.save()
        if report.applied:
            LogEntry.objects.create(
                content_type=ContentType.objects.get_for_model(ImportJob),
                object_pk=str(job.pk),
                object_id=job.pk,
                object_repr=str(job)[:200],
                action=LogEntry.Action.CREATE,
                changes={
                    "file_name": ["None", job.file_name],
                    "kind": ["None", job.get_kind_display()],
                    "created_count": ["None", str(job.created_count)],
                    "updated_count": ["None", str(job.updated_count)],
                    "unchanged_count": ["None", str(job.unchanged_count)],
                },
                changes_text="",
                actor=job.author,
                actor_email=getattr(job.author, "email", None),
                additional_data={
                    "fichier": job.file_name,
                    "créées": job.created_count,
                    "modifiées": job.updated_count,
                    "inchangées": job.unchanged_count,
                },
            )
    return job


def import_job_create(*, author, kind: str, file_name: str, file_format: str, content: bytes) -> ImportJob:
    """Record a file to import and check it: here for a small file, by a Celery task (on commit) for a large one."""
    from . import tasks

    job = ImportJob.objects.create(
        author=author,
        kind=kind,
        file_name=file_name[:255],
        file_format=file_format,
        file_size=len(content),
        content=content,
        task_id=str(uuid.uuid4()),
    )
    if len(content) <= settings.PARTNER_IMPORT_BACKGROUND_SIZE:
        return import_job_check(job_id=job.pk)
    transaction.on_commit(lambda: tasks.import_job_check_task.apply_async(args=[job.pk], task_id=job.task_id))
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """The project lead confirms a checked file: import it, here or by a task as for its check."""
    from . import tasks

    if job.status != ImportStatus.CHECKED:
        return job
    job.status = ImportStatus.QUEUED
    job.task_id = str(uuid.uuid4())
    job.save(update_fields=["status", "task_id"])
    if job.file_size <= settings.PARTNER_IMPORT_BACKGROUND_SIZE:
        return import_job_apply(job_id=job.pk)
    transaction.on_commit(lambda: tasks.import_job_apply_task.apply_async(args=[job.pk], task_id=job.task_id))
    return job


def import_job_cancel(*, job: ImportJob) -> ImportJob:
    """Give up a checked file: it is not kept."""
    if job.status in {ImportStatus.CHECKED, ImportStatus.INVALID}:
        job.status = ImportStatus.INVALID if job.status == ImportStatus.INVALID else ImportStatus.FAILED
        job.content = b""
        job.save(update_fields=["status", "content"])
    return job
