"""Every page, public and staff, as the person who uses it: zero axe-core violations (WCAG 2.1 A/AA)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from accounts.tests.factories import InvitationFactory, UserFactory
from events.tests.factories import OccupancyFactory
from maisons.tests.factories import ExceptionalClosureFactory, RoomFactory
from pages.tests.factories import editorial_content
from partenaires.tests import factories as partner_factories

from .axe import assert_no_axe_violations

PAGES = [
    # (url, role or None for the public, expected h1)
    ("/", None, "Les Maisons du Département"),
    ("/maisons/langres/", None, "Maison du Département de Langres"),
    (
        "/maisons/langres/modifier/",
        Role.COMMUNICATION,
        "Modifier la présentation de la Maison du Département de Langres",
    ),
    (
        "/maisons/langres/modifier/",
        Role.PROJECT_LEAD,
        "Modifier la présentation de la Maison du Département de Langres",
    ),
    ("/accessibilite/", None, "Déclaration d’accessibilité"),
    ("/mentions-legales/", None, "Mentions légales"),
    ("/donnees-personnelles/", None, "Données personnelles"),
    ("/plan-du-site/", None, "Plan du site"),
    ("/recherche/?q=maison+langres", None, "Rechercher sur le site"),
    ("/recherche/?q=xylophone", None, "Rechercher sur le site"),
    ("/comptes/login/", None, "Connexion à l’espace professionnel"),
    ("/comptes/password/reset/", None, "Réinitialisation du mot de passe"),
    ("/comptes/signup/", None, "Inscriptions fermées"),
    ("/page-inexistante/", None, "Page introuvable"),
    ("/comptes/invitation/lien-inconnu/", None, "Cette invitation n’est plus valable"),
    ("/comptes/invitation/", None, "Cette invitation n’est plus valable"),
    ("/comptes/", Role.AGENT, "Mon espace"),
    ("/comptes/password/change/", Role.AGENT, "Modifier le mot de passe"),
    ("/comptes/reauthenticate/", Role.AGENT, "Confirmer votre identité"),
    ("/comptes/2fa/", Role.AGENT, "Double authentification"),
    ("/comptes/2fa/", Role.PROJECT_LEAD, "Double authentification"),
    ("/comptes/2fa/reauthenticate/", Role.PROJECT_LEAD, "Confirmer votre identité"),
    ("/comptes/sessions/", Role.AGENT, "Mes sessions"),
    ("/comptes/mes-donnees/", Role.AGENT, "Mes données personnelles"),
    ("/accueil/", Role.AGENT, "Accueil des visiteurs"),
    ("/accueil/", Role.PROJECT_LEAD, "Dans quelle Maison accueillez-vous ?"),
    ("/accueil/statistiques/", Role.AGENT, "Statistiques de l’accueil"),
    ("/accueil/statistiques/?periode=annee", Role.PROJECT_LEAD, "Statistiques de l’accueil"),
    ("/accueil/statistiques/rapport-mensuel/", Role.PROJECT_LEAD, "Rapport d’activité des Maisons du Département"),
    ("/gestion/accueil/", Role.PROJECT_LEAD, "Listes de l’accueil des visiteurs"),
    ("/gestion/accueil/motifs/nouveau/", Role.PROJECT_LEAD, "Motif de visite"),
    ("/reservations/", Role.ELECTED, "Réservations de salles"),
    ("/reservations/?maison=saint-dizier", Role.PROJECT_LEAD, "Réservations de salles"),
    ("/reservations/mes-reservations/", Role.ELECTED, "Mes réservations"),
    ("/gestion/reservations/", Role.PROJECT_LEAD, "Demandes de réservation"),
    ("/gestion/salles/", Role.PROJECT_LEAD, "Salles et réglages de réservation"),
    ("/gestion/", Role.PROJECT_LEAD, "Gestion des Maisons du Département"),
    ("/gestion/planning/?maison=saint-dizier", Role.PROJECT_LEAD, "Planning des salles"),
    ("/gestion/planning/evenements/nouveau/", Role.PROJECT_LEAD, "Nouvel événement"),
    ("/comptes/invitations/", Role.PROJECT_LEAD, "Invitations"),
    ("/comptes/invitations/nouvelle/", Role.PROJECT_LEAD, "Inviter une personne"),
    ("/gestion/", Role.ELECTED, "Accès refusé"),
    ("/admin/", Role.ADMINISTRATOR, "Administration"),
    ("/partenaires/", None, "Annuaire des partenaires"),
    ("/partenaires/?q=zzzz&commune=Atlantide", None, "Annuaire des partenaires"),
    ("/partenaires/caf/", None, "Caisse d’allocations familiales de la Haute-Marne (CAF)"),
    ("/partenaires/caf/", Role.AGENT, "Caisse d’allocations familiales de la Haute-Marne (CAF)"),
    ("/gestion/partenaires/", Role.PROJECT_LEAD, "Partenaires"),
    ("/gestion/partenaires/nouveau/", Role.PROJECT_LEAD, "Ajouter un partenaire"),
    ("/gestion/partenaires/caf/", Role.PROJECT_LEAD, "Modifier « Caisse d’allocations familiales de la Haute-Marne »"),
    (
        "/gestion/partenaires/caf/services/nouveau/",
        Role.PROJECT_LEAD,
        "Ajouter un service à « Caisse d’allocations familiales de la Haute-Marne »",
    ),
    (
        "/gestion/partenaires/caf/contacts/nouveau/",
        Role.PROJECT_LEAD,
        "Ajouter un contact interne à « Caisse d’allocations familiales de la Haute-Marne »",
    ),
    # The import's report pages (errors, check, result) are checked by test_partner_import_journey.py.
    ("/gestion/partenaires/importer/", Role.PROJECT_LEAD, "Importer des partenaires"),
    ("/gestion/partenaires/exporter/", Role.PROJECT_LEAD, "Exporter l’annuaire"),
    ("/gestion/partenaires/qualite/", Role.PROJECT_LEAD, "Qualité des fiches"),
    ("/gestion/partenaires/verifications/", Role.PROJECT_LEAD, "Vérifications par les partenaires"),
    ("/api/", None, "API ouverte"),
    ("/admin/audit/changelogentry/", Role.ADMINISTRATOR, "modification enregistrée"),
    # Wagtail's pages (pages/tests/factories.py editorial_content: every block type on /routes/) and its admin.
    ("/routes/", None, "Routes départementales"),
    ("/actualites/", None, "Actualités"),
    ("/actualites/?categorie=routes-et-mobilite", None, "Actualités"),
    ("/actualites/plan-hiver/", None, "Le plan hiver est en place"),
    ("/cms/", Role.COMMUNICATION, "Maisons du Département de la Haute-Marne"),  # Wagtail’s dashboard.
    # The public agenda, registration, calendar subscription, the organiser's lists (events/urls_agenda.py).
    ("/agenda/", None, "Agenda"),
    ("/agenda/?vue=mois", None, "Agenda"),
    ("/agenda/atelier-numerique/", None, "Atelier numérique"),
    ("/agenda/atelier-numerique/inscription/", None, "Inscription : Atelier numérique"),
    ("/agenda/abonnement/", Role.AGENT, "S’abonner à mon agenda"),
    ("/gestion/agenda/inscriptions/", Role.PROJECT_LEAD, "Inscriptions aux événements"),
    # E-mails and reminders (notifications/): preferences, the project lead's rules, a rule's texts, the messages.
    ("/comptes/notifications/", Role.ELECTED, "Courriels et rappels que je reçois"),
    ("/comptes/notifications/", Role.AGENT, "Courriels et rappels que je reçois"),
    ("/gestion/rappels/", Role.PROJECT_LEAD, "Courriels et rappels"),
    ("/gestion/rappels/events.reservation_reminder/", Role.PROJECT_LEAD, "Réservation : rappel"),
    ("/gestion/rappels/envois/", Role.PROJECT_LEAD, "Envois"),
]


@pytest.fixture
def content(maison_langres, maison_saint_dizier, user_with_role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    editorial_content()
    RoomFactory(maison=maison_langres, name="Salle Diderot")
    ExceptionalClosureFactory(maison=maison_langres, reason="Inventaire annuel")
    elected = user_with_role(Role.ELECTED)
    OccupancyFactory(maison=maison_saint_dizier, holder=elected, title="Rencontre avec les habitants")
    InvitationFactory(email="invitee@haute-marne.fr")
    from accueil.tests.factories import VisitFactory

    for traits in ({}, {"to_partner": True}, {"in_commune": True}):  # Charts and tables with something to show.
        VisitFactory(maison=maison_langres, **traits)
    from events.tests.agenda_support import public_event, soon

    workshop = public_event(maison_langres, soon(days=5), title="Atelier numérique", registration=True, capacity=12)
    type(workshop).objects.filter(pk=workshop.pk).update(slug="atelier-numerique")
    caf = partner_factories.PartnerFactory(slug="caf", name="Caisse d’allocations familiales de la Haute-Marne")
    caf.acronym, caf.opening_hours = "CAF", "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
    caf.save()
    partner_factories.PartnerContactFactory(partner=partner_factories.ServiceFactory(partner=caf).partner)
    return {"elected": elected}


@pytest.mark.parametrize(("url", "role", "heading"), PAGES, ids=[f"{u} {r or 'public'}" for u, r, _ in PAGES])
def test_page_has_no_accessibility_violation(page, live_server, sign_in, user_with_role, content, url, role, heading):
    if role == Role.ELECTED:
        sign_in(content["elected"])
    elif role is not None:
        sign_in(user_with_role(role))
    page.goto(live_server.url + url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_no_axe_violations(page)


def test_invitation_form_errors_are_accessible_and_linked(page_as, live_server, content):
    page = page_as(Role.PROJECT_LEAD)
    page.goto(live_server.url + "/comptes/invitations/nouvelle/")
    page.get_by_label("Adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.get_by_role("alert")).to_contain_text("erreur")
    # The error is part of the field's accessible name, so a screen reader announces it with the field.
    expect(page.get_by_label("Saisissez une adresse de courriel valide.")).to_have_value("pas-une-adresse")
    assert_no_axe_violations(page)


def test_invitation_accept_page_is_accessible(page, live_server):
    invitation = InvitationFactory(email="nouvelle@haute-marne.fr")
    token = invitation.set_new_token()
    invitation.save()
    page.goto(f"{live_server.url}/comptes/invitation/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    assert page.url == f"{live_server.url}/comptes/invitation/"  # The token left the address bar.
    assert_no_axe_violations(page)
    page.get_by_label("Mot de passe", exact=False).first.fill("Un-mot-de-passe-solide-52")
    page.get_by_label("Confirmation du mot de passe").fill("Un-mot-de-passe-solide-52")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    assert UserFactory._meta.model.objects.filter(email="nouvelle@haute-marne.fr").exists()


def test_csrf_failure_page_is_accessible(page, live_server):
    page.goto(live_server.url + "/comptes/login/")
    page.context.clear_cookies()  # As if the CSRF cookie had been lost: the form is refused.
    page.get_by_label("Adresse électronique").fill("personne@haute-marne.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-quelconque")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaire expiré")
    assert_no_axe_violations(page)
