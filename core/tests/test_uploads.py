"""Uploaded files are judged by their content, not by their name (core/uploads.py)."""

import struct
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import IMAGE_TYPES, IMPORT_TYPES, MB, FileContentValidator, RandomFilename


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A real, minimal PNG (grey pixels), built by hand: Pillow is not a dependency."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PHP = b"<?php system($_GET['c']); ?>\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
images = FileContentValidator(IMAGE_TYPES, max_size=1 * MB)


class LogoForm(forms.Form):
    logo = forms.FileField(label="Logo", validators=[images])


def test_a_png_is_accepted():
    images(SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"))


def test_an_accepted_file_can_still_be_read_from_the_start():
    upload = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    upload.read(3)
    images(upload)
    assert upload.read(3) == b"G\r\n"  # The validator put the position back where it was.


@pytest.mark.parametrize("content", [PHP, HTML], ids=["php", "html"])
def test_a_script_or_a_page_renamed_png_is_refused(content):
    # The browser's Content-Type is the uploader's word too: it proves nothing.
    upload = SimpleUploadedFile("photo.png", content, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        images(upload)
    assert error.value.code == "file_type_refused"
    assert error.value.messages == ["Le contenu de ce fichier n’est pas d’un type accepté (PNG, JPEG, GIF, WebP)."]


def test_a_file_too_large_is_refused():
    small = FileContentValidator(IMAGE_TYPES, max_size=50)
    upload = SimpleUploadedFile("grand.png", png_bytes(), content_type="image/png")
    assert upload.size > 50
    with pytest.raises(ValidationError) as error:
        small(upload)
    assert error.value.code == "file_too_large"
    assert "la taille maximale est de 50\xa0octets" in error.value.messages[0]


def test_a_png_named_pdf_is_refused():
    upload = SimpleUploadedFile("rapport.pdf", png_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        images(upload)
    assert error.value.messages == ["L’extension de ce fichier (« pdf ») ne correspond pas à son contenu (PNG)."]


def test_the_form_shows_the_french_message():
    upload = SimpleUploadedFile("photo.png", PHP, content_type="image/png")
    form = LogoForm(data={}, files={"logo": upload})
    assert not form.is_valid()
    assert form.errors["logo"] == ["Le contenu de ce fichier n’est pas d’un type accepté (PNG, JPEG, GIF, WebP)."]
    assert LogoForm(data={}, files={"logo": SimpleUploadedFile("logo.png", png_bytes())}).is_valid()


def test_an_import_accepts_csv_text_but_not_markup():
    imports = FileContentValidator(IMPORT_TYPES, max_size=1 * MB)
    imports(SimpleUploadedFile("partenaires.csv", "nom;commune\nCAF;Chaumont é\n".encode()))
    imports(SimpleUploadedFile("partenaires.csv", "nom;commune\nMSA;Saint-Dizier é\n".encode("cp1252")))
    for content in (HTML, PHP, b"\x00\x01binary\x02"):
        with pytest.raises(ValidationError):
            imports(SimpleUploadedFile("partenaires.csv", content))


def test_an_unknown_content_type_is_a_programming_error():
    with pytest.raises(ValueError, match="image/svg\\+xml"):
        FileContentValidator(["image/svg+xml"], max_size=MB)


def test_validators_deconstruct_for_migrations():
    path, args, kwargs = images.deconstruct()
    assert path == "core.uploads.FileContentValidator"
    assert FileContentValidator(*args, **kwargs) == images
    assert RandomFilename("a").deconstruct()[0] == "core.uploads.RandomFilename"


@pytest.mark.parametrize(
    ("filename", "suffix"),
    [
        ("Photo de Mme Durand.PNG", ".png"),
        ("../../config/settings/base.py", ""),
        ("..\\..\\windows\\evil.php", ""),
        ("rapport.tar.gz", ""),
        ("sans-extension", ""),
    ],
)
def test_stored_names_are_random_and_never_the_users(filename, suffix):
    upload_to = RandomFilename("partenaires/logos/")
    first, second = upload_to(None, filename), upload_to(None, filename)
    assert first != second
    folder, name = first.rsplit("/", 1)
    assert folder == "partenaires/logos"
    assert name.endswith(suffix) and len(name) == 32 + len(suffix)
    assert "Durand" not in first and ".." not in first and "evil" not in first
