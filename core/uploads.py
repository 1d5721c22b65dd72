"""Uploaded files: checked by their content, stored under random names (see docs/security.md, « Fichiers déposés »).

A file's name and the Content-Type its browser sends are chosen by whoever uploads it; only its first bytes say
what it is. `FileContentValidator` reads them (python `filetype`, magic numbers) and refuses anything outside an
allowed list, or too large, with a French message; `RandomFilename` stores the file under a random name, so that
a user's filename never becomes a path on the server. Use both on every `FileField`/`ImageField`:

    logo = models.ImageField(
        upload_to=RandomFilename("partenaires/logos"),
        validators=[FileContentValidator(IMAGE_TYPES, max_size=2 * MB)],
    )
"""

import re
import uuid
from collections.abc import Iterable
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible

MB = 1024 * 1024

# Content type → the extensions a file of that type may carry. SVG is absent on purpose: it is XML that may hold
# scripts, so an SVG served from the portal's origin could run code in a visitor's session.
KNOWN_TYPES: dict[str, tuple[str, ...]] = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "text/csv": ("csv",),
}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
DOCUMENT_TYPES = (
    "application/pdf",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
IMPORT_TYPES = (
    "text/csv",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

TYPE_LABELS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/pdf": "PDF",
    "application/vnd.oasis.opendocument.text": "texte OpenDocument (ODT)",
    "application/vnd.oasis.opendocument.spreadsheet": "tableur OpenDocument (ODS)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "text/csv": "CSV",
}
HEAD_SIZE = 8192  # What `filetype` reads at most; also enough to tell text from binary.
# Plain text has no magic number: a CSV is accepted when its start decodes as text, holds no control character
# other than tab and line breaks, and does not open like markup or code (an HTML or PHP page renamed .csv).
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKUP_START = re.compile(rb"^\s*(<|#!)")


def _read_head(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(HEAD_SIZE)
    file.seek(position)
    return head


def _looks_like_text(head: bytes) -> bool:
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head or MARKUP_START.match(head):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # Only a character cut by the end of the head.
            text = head[: error.start].decode("utf-8")
        else:  # Spreadsheets often export CSV in Windows-1252.
            text = head.decode("cp1252", errors="replace")
    return not TEXT_CONTROL.search(text)


def detect_content_type(file) -> str | None:
    """The content type that `file`'s first bytes show, or None when they show nothing known."""
    head = _read_head(file)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if _looks_like_text(head):
        return "text/csv"
    return None


@deconstructible
class FileContentValidator:
    """Refuse a file whose content is not one of `allowed` content types, or larger than `max_size` bytes.

    The extension must match the content too: a PNG named « rapport.pdf » is refused, so that the extension kept
    by `RandomFilename` always tells the truth about the file.
    """

    def __init__(self, allowed: Iterable[str], max_size: int):
        self.allowed = tuple(allowed)
        unknown = set(self.allowed) - set(KNOWN_TYPES)
        if unknown:
            raise ValueError(f"Unknown content types: {sorted(unknown)}; add them to KNOWN_TYPES.")
        self.max_size = max_size

    def __eq__(self, other):
        return (
            isinstance(other, FileContentValidator)
            and self.allowed == other.allowed
            and self.max_size == other.max_size
        )

    def __call__(self, file) -> None:
        labels = ", ".join(TYPE_LABELS[mime] for mime in self.allowed)
        if file.size > self.max_size:
            raise ValidationError(
                "Ce fichier pèse %(size)s : la taille maximale est de %(max)s.",
                code="file_too_large",
                params={"size": filesizeformat(file.size), "max": filesizeformat(self.max_size)},
            )
        mime = detect_content_type(file)
        if mime not in self.allowed:
            raise ValidationError(
                "Le contenu de ce fichier n’est pas d’un type accepté (%(types)s).",
                code="file_type_refused",
                params={"types": labels},
            )
        extension = PurePosixPath(file.name or "").suffix.lower().lstrip(".")
        if extension not in KNOWN_TYPES[mime]:
            raise ValidationError(
                "L’extension de ce fichier (« %(extension)s ») ne correspond pas à son contenu (%(type)s).",
                code="file_extension_mismatch",
                params={"extension": extension or "aucune", "type": TYPE_LABELS[mime]},
            )


@deconstructible
class RandomFilename:
    """`upload_to` for a FileField: « <folder>/<random hex>.<extension> », never the uploader's filename.

    The original name may hold a path (« ../../config/x.py »), characters a file system refuses, or personal data;
    only its extension is kept, lower-cased, and only when it is one of KNOWN_TYPES' (FileContentValidator has
    checked it against the content).
    """

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __eq__(self, other):
        return isinstance(other, RandomFilename) and self.folder == other.folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
        known = {ext for extensions in KNOWN_TYPES.values() for ext in extensions}
        suffix = f".{extension}" if extension in known else ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"
