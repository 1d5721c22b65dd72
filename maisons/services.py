import csv
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.images import get_image_model

from .models import Commune, Maison, MaisonPhoto, Room, RoomBlock

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


# A Maison's public presentation --------------------------------------------------------------------------------

# The renditions the public page shows (templates/maisons/maison_detail.html): made when a photo is added, so
# that the first reader does not wait for them and the page's query count does not depend on it.
PHOTO_RENDITIONS = ("fill-800x500|format-webp", "fill-800x500|format-jpeg")


@dataclass
class PhotoChange:
    photo: MaisonPhoto
    alt_text: str
    is_decorative: bool
    order: int
    delete: bool = False


@transaction.atomic
def maison_presentation_update(
    *,
    maison: Maison,
    description: str,
    accessibility: str,
    photo_changes: list[PhotoChange] = (),
    new_photo: UploadedFile | None = None,
    new_photo_alt_text: str = "",
    new_photo_is_decorative: bool = False,
    user,
) -> Maison:
    """Save a Maison's text and access information, its photos' texts and order, a new photo.

    Each change is journalled by django-auditlog (Maison and MaisonPhoto are tracked, the actor is `user`); the
    public pages' cache is made stale by maisons/receivers.py. Photos are Wagtail images (renditions, never the
    original, are served); a removed photo leaves its image in the content library, for the communication service.
    """
    maison.description = description
    maison.accessibility = accessibility
    maison.full_clean()
    maison.save()
    for change in photo_changes:
        if change.photo.maison_id != maison.pk:
            raise ValidationError("Cette photo n’appartient pas à cette Maison.")
        if change.delete:
            change.photo.delete()
            continue
        change.photo.alt_text = "" if change.is_decorative else change.alt_text.strip()
        change.photo.is_decorative = change.is_decorative
        change.photo.order = change.order
        change.photo.full_clean()
        change.photo.save()
    if new_photo is not None:
        maison_photo_add(
            maison=maison,
            file=new_photo,
            alt_text=new_photo_alt_text,
            is_decorative=new_photo_is_decorative,
            user=user,
        )
    return maison


def maison_photo_add(*, maison: Maison, file, alt_text: str, is_decorative: bool, user=None) -> MaisonPhoto:
    """A photo for `maison`: a Wagtail image stored under a random name, its renditions made now."""
    Image = get_image_model()
    extension = PurePosixPath(file.name or "").suffix.lower()
    file.name = f"maison-{maison.slug}-{uuid.uuid4().hex[:12]}{extension}"  # Never the uploader's file name.
    alt_text = "" if is_decorative else alt_text.strip()
    image = Image(title=alt_text or f"Photo de la {maison.name}", file=file, uploaded_by_user=user)
    image.save()
    last = max((photo.order for photo in maison.photos.all()), default=-1)
    photo = MaisonPhoto(maison=maison, image=image, alt_text=alt_text, is_decorative=is_decorative, order=last + 1)
    photo.full_clean()
    photo.save()
    image.get_renditions(*PHOTO_RENDITIONS)
    return photo


@transaction.atomic
def room_block_create(*, room: Room, starts_at, ends_at, reason: str, user=None) -> RoomBlock:
    """Block a room for a period (works, closure): bookings that overlap it are refused from now on
    (events/reservations.py). Bookings already made over the period stay; the screen lists them for the project
    lead to settle. Journalled by django-auditlog (RoomBlock is tracked)."""
    block = RoomBlock(room=room, starts_at=starts_at, ends_at=ends_at, reason=reason.strip())
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def room_block_delete(*, block: RoomBlock, user=None) -> None:
    """Lift a blocked period: the room can be booked again over it."""
    block.delete()
