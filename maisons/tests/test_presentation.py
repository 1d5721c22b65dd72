"""The Maison's public presentation, edited from /maisons/<slug>/modifier/ by the project lead and the communication
service (accounts.perms.can_edit_maison_presentation): text, access, photos with their text alternative."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from accounts import perms
from accounts.enums import Role
from maisons.models import MaisonPhoto
from maisons.services import maison_photo_add

URL = "/maisons/langres/modifier/"


def image_file(name="facade.jpg", fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 400), (90, 120, 160)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_data(maison, **overrides) -> dict:
    photos = list(maison.photos.order_by("order", "pk"))
    data = {
        "description": "Un lieu d’accueil pour tous.",
        "accessibility": "Entrée de plain-pied.",
        "photos-TOTAL_FORMS": str(len(photos)),
        "photos-INITIAL_FORMS": str(len(photos)),
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "nouvelle-alt_text": "",
    }
    for index, photo in enumerate(photos):
        data |= {
            f"photos-{index}-id": str(photo.pk),
            f"photos-{index}-alt_text": photo.alt_text,
            f"photos-{index}-order": str(photo.order),
        }
        if photo.is_decorative:
            data[f"photos-{index}-is_decorative"] = "on"
    return data | overrides


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROJECT_LEAD, True),
        (Role.COMMUNICATION, True),
        (Role.ADMINISTRATOR, True),
        (Role.AGENT, False),
        (Role.ELECTED, False),
        (None, False),
    ],
)
def test_who_may_edit_the_presentation(user_with_role, role, allowed):
    assert perms.can_edit_maison_presentation(user_with_role(role)) is allowed


def test_communication_edits_the_text_and_the_change_is_journalled(client_for, maison_langres):
    client = client_for(Role.COMMUNICATION)
    page = client.get(URL).content.decode()
    assert "Modifier la présentation de la Maison du Département de Langres" in page
    response = client.post(
        URL, form_data(maison_langres, description="Bienvenue à Langres.\n\nAccueil sans rendez-vous.")
    )
    assert response.status_code == 302 and response["Location"] == "/maisons/langres/"
    maison_langres.refresh_from_db()
    assert maison_langres.description == "Bienvenue à Langres.\n\nAccueil sans rendez-vous."
    entry = LogEntry.objects.get_for_object(maison_langres).latest("timestamp")
    assert entry.actor.has_role(Role.COMMUNICATION)
    assert "description" in entry.changes_dict
    html = client.get("/maisons/langres/").content.decode()
    assert "La présentation de la Maison du Département de Langres est enregistrée." in html
    assert "<p>Bienvenue à Langres.</p>" in html and "<p>Accueil sans rendez-vous.</p>" in html


def test_project_lead_adds_a_photo_with_its_alternative_text(client_for, maison_langres):
    client = client_for(Role.PROJECT_LEAD)
    data = form_data(maison_langres) | {
        "nouvelle-image": image_file("Ma photo perso.JPG"),
        "nouvelle-alt_text": "Façade de la Maison, rue Diderot",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    photo = MaisonPhoto.objects.get(maison=maison_langres)
    assert photo.alt_text == "Façade de la Maison, rue Diderot"
    assert "perso" not in photo.image.file.name  # Stored under a name of the portal's own.
    assert photo.image.renditions.count() == 2  # WebP and JPEG, made at once.
    assert LogEntry.objects.get_for_object(photo).exists()
    html = client.get("/maisons/langres/").content.decode()
    assert 'alt="Façade de la Maison, rue Diderot"' in html


def test_a_photo_needs_an_alternative_text_unless_decorative(client_for, maison_langres):
    client = client_for(Role.COMMUNICATION)
    response = client.post(URL, form_data(maison_langres) | {"nouvelle-image": image_file()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Décrivez la photo (texte alternatif) ou indiquez qu’elle est décorative." in html
    assert "<title>Erreur" in html
    assert not MaisonPhoto.objects.exists()
    response = client.post(
        URL, form_data(maison_langres) | {"nouvelle-image": image_file(), "nouvelle-is_decorative": "on"}
    )
    assert response.status_code == 302
    assert MaisonPhoto.objects.get().is_decorative


def test_a_file_that_is_not_an_image_is_refused(client_for, maison_langres):
    client = client_for(Role.COMMUNICATION)
    fake = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>")
    response = client.post(URL, form_data(maison_langres) | {"nouvelle-image": fake, "nouvelle-alt_text": "x"})
    assert response.status_code == 200
    assert "Téléversez une image valide" in response.content.decode()
    assert not MaisonPhoto.objects.exists()


def test_existing_photos_are_described_reordered_and_removed(client_for, maison_langres):
    first = maison_photo_add(maison=maison_langres, file=image_file(), alt_text="Accueil", is_decorative=False)
    second = maison_photo_add(maison=maison_langres, file=image_file(), alt_text="Salle", is_decorative=False)
    client = client_for(Role.PROJECT_LEAD)
    data = form_data(maison_langres)
    data |= {"photos-0-alt_text": "", "photos-1-order": "0", "photos-0-order": "1"}
    response = client.post(URL, data)
    assert "Décrivez la photo (texte alternatif) ou indiquez qu’elle est décorative." in response.content.decode()
    data |= {"photos-0-alt_text": "Le guichet d’accueil", "photos-1-DELETE": "on"}
    assert client.post(URL, data).status_code == 302
    first.refresh_from_db()
    assert (first.alt_text, first.order) == ("Le guichet d’accueil", 1)
    assert not MaisonPhoto.objects.filter(pk=second.pk).exists()


def test_control_characters_are_refused_in_french(client_for, maison_langres):
    client = client_for(Role.COMMUNICATION)
    response = client.post(URL, form_data(maison_langres, description="Bonjour\u202eeruoj"))
    assert response.status_code == 200
    assert "caractère invisible de changement de sens d’écriture" in response.content.decode()


def test_public_page_offers_the_edit_link_only_to_editors(client, client_for, maison_langres):
    assert URL not in client.get("/maisons/langres/").content.decode()
    assert URL not in client_for(Role.AGENT).get("/maisons/langres/").content.decode()
    assert URL in client_for(Role.COMMUNICATION).get("/maisons/langres/").content.decode()
