"""The project lead's pages: create, edit, retire partners; their services and contacts; French messages."""

import pytest
from auditlog.models import LogEntry

from accounts.enums import Role
from accueil.models import Motif
from accueil.tests.factories import VisitFactory
from core import personal_data, retention
from partenaires.enums import Area
from partenaires.models import Partner, PartnerContact, Service
from partenaires.personal_data import purge_retired_partners_contacts

from .factories import PartnerContactFactory, PartnerFactory, ServiceFactory, theme

VALID = {
    "name": "Centre social de Langres",
    "slug": "centre-social-langres",
    "kind": "association",
    "siret": "732 829 320 00074",
    "opening_hours": "Mo-Fr 09:00-12:00",
    "is_published": "on",
}


@pytest.fixture
def lead(client_for):
    return client_for(Role.PROJECT_LEAD)


def test_the_project_lead_creates_a_partner(lead, commune_langres):
    data = VALID | {"commune": commune_langres.pk, "themes": [theme("remobilisation--lien-social").pk]}
    response = lead.post("/gestion/partenaires/nouveau/", data)
    assert response.status_code == 302
    assert response["Location"] == "/gestion/partenaires/centre-social-langres/"
    partner = Partner.objects.get(slug="centre-social-langres")
    assert partner.siret == "73282932000074"  # Spaces removed.
    assert [t.code for t in partner.themes.all()] == ["remobilisation--lien-social"]
    assert LogEntry.objects.get_for_object(partner).filter(action=LogEntry.Action.CREATE).exists()
    page = lead.get(response["Location"]).content.decode()
    assert "Le partenaire « Centre social de Langres » est créé." in page
    assert lead.get("/partenaires/", {"q": "centre social"}).context["results"][0][0] == partner


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "clé de contrôle est fausse"),
        ("opening_hours", "Lundi 9h-12h", "n’est pas un jour reconnu"),
        ("phone", "12", "numéro de téléphone français"),
        ("name", "", "Ce champ est obligatoire."),
        ("website", "pas une adresse", "Saisissez une URL valide."),
    ],
)
def test_bad_input_is_refused_in_french(lead, field, value, message):
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Partner.objects.filter(slug=VALID["slug"]).exists()


def test_a_duplicate_siret_is_refused(lead):
    PartnerFactory(siret="73282932000074")
    response = lead.post("/gestion/partenaires/nouveau/", VALID)
    assert "Un autre partenaire porte déjà ce numéro SIRET." in response.content.decode()


def test_retiring_keeps_the_visits_and_takes_the_partner_out_of_the_directory(lead, client, maison_langres):
    partner = PartnerFactory(slug="cpam", name="CPAM")
    visit = VisitFactory(
        maison=maison_langres, motifs=[Motif.objects.create(label="Santé")], outcome="partenaire", partner=partner
    )
    response = lead.post("/gestion/partenaires/cpam/retirer/")
    assert response["Location"] == "/gestion/partenaires/"
    assert "est retiré de l’annuaire" in lead.get("/gestion/partenaires/").content.decode()
    partner.refresh_from_db()
    assert partner.retired_at is not None
    visit.refresh_from_db()
    assert visit.partner == partner
    lead.logout()
    assert client.get("/partenaires/cpam/").status_code == 404


def test_services_and_contacts_from_the_partner_page(lead, commune_langres):
    partner = PartnerFactory(slug="adil", name="ADIL")
    response = lead.post(
        "/gestion/partenaires/adil/services/nouveau/",
        {
            "name": "Conseil juridique",
            "summary": "Vos droits de locataire.",
            "area": Area.COMMUNES,
            "communes": [commune_langres.pk],
            "audiences": ["tous-publics"],
            "access_modes": ["telephone", "rendez_vous"],
            "fees": "gratuit",
            "themes": [theme("logement-hebergement--louer-un-logement").pk],
            "position": 0,
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    service = Service.objects.get(partner=partner)
    assert list(service.communes.all()) == [commune_langres]
    assert service.access_modes == ["telephone", "rendez_vous"]
    # An EPCI area needs EPCIs, said in French.
    response = lead.post(f"/gestion/partenaires/adil/services/{service.pk}/", {"name": "X", "area": Area.EPCI})
    assert "Indiquez au moins une intercommunalité desservie." in response.content.decode()
    page = lead.get("/partenaires/adil/").content.decode()
    assert "Par téléphone, sur rendez-vous" in page and "Langres" in page

    response = lead.post(
        "/gestion/partenaires/adil/contacts/nouveau/",
        {"name": "Marc Juriste", "role": "Juriste", "phone": "03 25 00 00 00", "notes": "Le mardi."},
    )
    assert response.status_code == 302
    contact = PartnerContact.objects.get(partner=partner)
    lead.post(f"/gestion/partenaires/adil/contacts/{contact.pk}/supprimer/")
    assert not PartnerContact.objects.exists()
    lead.post(f"/gestion/partenaires/adil/services/{service.pk}/supprimer/")
    assert not Service.objects.exists()


def test_a_contact_is_in_the_persons_data_and_erased_with_it(user_with_role):
    agent = user_with_role(Role.AGENT, email="marc.juriste@exemple.test")
    PartnerContactFactory(name="Marc Juriste", email="Marc.Juriste@exemple.test")
    PartnerContactFactory(name="Quelqu’un d’autre", email="autre@exemple.test")
    exported = personal_data.person_export(agent)["contacts-partenaires"]["données"]
    assert [row["nom"] for row in exported] == ["Marc Juriste"]
    assert personal_data.person_erase_all(agent)["partner-contacts"] == {"partner_contacts_deleted": 1}
    assert list(PartnerContact.objects.values_list("name", flat=True)) == ["Quelqu’un d’autre"]


def test_contacts_of_a_partner_retired_long_ago_are_purged(settings):
    import datetime

    from django.utils import timezone

    old = PartnerContactFactory(partner=PartnerFactory(retired_at=timezone.now() - datetime.timedelta(days=400)))
    recent = PartnerContactFactory(partner=PartnerFactory(retired_at=timezone.now() - datetime.timedelta(days=10)))
    active = PartnerContactFactory()
    assert retention.get("partner-contacts").run() == 1
    assert set(PartnerContact.objects.all()) == {recent, active}
    assert purge_retired_partners_contacts(datetime.timedelta(days=1)) == 1
    assert not PartnerContact.objects.filter(pk=old.pk).exists()


def test_the_service_page_of_another_partner_is_not_found(lead):
    ServiceFactory()
    other = PartnerFactory()
    service = ServiceFactory()
    assert lead.get(f"/gestion/partenaires/{other.slug}/services/{service.pk}/").status_code == 404


def test_a_logo_is_checked_and_needs_its_alternative_text(lead, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.tests.test_uploads import png_bytes

    settings.MEDIA_ROOT = tmp_path
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {"logo": logo})
    assert "Indiquez le texte alternatif du logo" in response.content.decode()
    fake = SimpleUploadedFile("logo.png", b"<?php echo 1; ?>", content_type="image/png")
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {"logo": fake, "logo_alt": "Centre social"})
    assert not Partner.objects.exists()
    logo.seek(0)
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {"logo": logo, "logo_alt": "Centre social"})
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.logo.name.startswith("partenaires/logos/") and "logo" not in partner.logo.name.split("/")[-1]
    page = lead.get("/partenaires/centre-social-langres/").content.decode()
    assert 'alt="Centre social"' in page


def test_the_address_comes_from_the_name_when_left_empty(lead):
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {"slug": "", "name": "Épicerie solidaire d’Is"})
    assert response["Location"] == "/gestion/partenaires/epicerie-solidaire-dis/"
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {"slug": "nouveau", "siret": ""})
    assert "Cette adresse est réservée" in response.content.decode()
    response = lead.post("/gestion/partenaires/nouveau/", VALID | {"slug": "epicerie-solidaire-dis", "siret": ""})
    assert "Un autre partenaire a déjà cette adresse" in response.content.decode()


def test_from_the_reception_screen_an_agent_finds_who_handles_a_lost_identity_card(client_for):
    agent = client_for(Role.AGENT)
    assert 'action="/partenaires/"' in agent.get("/accueil/").content.decode()
    services = PartnerFactory(name="France Services de Joinville", slug="france-services-joinville")
    ServiceFactory(partner=services, name="Carte d’identité perdue ou volée", summary="Préparer son dossier.")
    PartnerContactFactory(partner=services, name="Agnès Référente")
    PartnerFactory(name="Club de lecture")
    response = agent.get("/partenaires/", {"q": "carte d'identite perdue"})
    assert [partner.name for partner, _ in response.context["results"]] == ["France Services de Joinville"]
    assert "Agnès Référente" in agent.get("/partenaires/france-services-joinville/").content.decode()
