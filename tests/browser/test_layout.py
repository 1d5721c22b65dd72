"""The first browser journeys: the home page is accessible, each demonstration account signs in."""

import re

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from accounts.models import User
from accounts.perms import must_use_mfa
from accounts.tests.test_mfa import totp_code
from demo.data import ACCOUNTS, DEMO_PASSWORD

from .axe import assert_no_axe_violations

# The navigation each demonstration account must see (labels of the staff navigation), and not see.
EXPECTED_AREAS = {
    "agent.langres@demo.test": ["Accueil des visiteurs"],
    "agent.saint-dizier@demo.test": ["Accueil des visiteurs"],
    "chef.projet@demo.test": ["Accueil des visiteurs", "Réservations", "Gestion", "Invitations"],
    "elu@demo.test": ["Réservations"],
    "communication@demo.test": ["Contenus"],
    "admin@demo.test": ["Gestion", "Contenus", "Invitations", "Administration"],
}
ALL_AREAS = {"Accueil des visiteurs", "Réservations", "Gestion", "Contenus", "Invitations", "Administration"}


def test_home_page_lists_both_maisons_without_accessibility_violation(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Accueil"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    cards = page.locator(".maison-cards .card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Langres")
    expect(cards.nth(0)).to_contain_text(re.compile("(Ouverte — ferme|Fermée — ouvre) "))
    expect(cards.nth(1)).to_contain_text("Saint-Dizier")
    assert_no_axe_violations(page)


def test_skip_link_moves_focus_to_the_content(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize("email", [email for email, *_ in ACCOUNTS])
def test_each_demo_account_signs_in_with_the_keyboard_and_sees_its_navigation(page, live_server, demo_data, email):
    page.goto(live_server.url + "/comptes/login/")
    assert_no_axe_violations(page)
    page.get_by_label("Adresse électronique").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    if must_use_mfa(User.objects.get(email=email)):
        # Their role requires MFA and the demonstration accounts have none: activation comes first, by keyboard.
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre identité")
        page.get_by_label("Mot de passe").focus()
        page.keyboard.type(DEMO_PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
        secret = page.locator("#mfa-secret").inner_text().strip()
        page.get_by_label("Code", exact=False).focus()
        page.keyboard.type(totp_code(secret))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
        page.goto(live_server.url + "/comptes/")

    expect(page).to_have_url(live_server.url + "/comptes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    staff_nav = page.get_by_role("navigation", name="Navigation professionnelle")
    expected = EXPECTED_AREAS[email]
    for label in expected:
        expect(staff_nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in ALL_AREAS - set(expected):
        expect(staff_nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_no_axe_violations(page)

    # Each area the navigation offers opens, and is itself accessible.
    for label in expected:
        staff_nav.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if label != "Administration":  # Django's admin is third-party markup, checked in test_pages.
            assert_no_axe_violations(page)
        page.go_back()


def test_wrong_password_is_refused_with_a_french_message(page, live_server, demo_data):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill("elu@demo.test")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("sont incorrects")
    assert_no_axe_violations(page)


def test_roles_match_the_demo_accounts():
    # Guards EXPECTED_AREAS against a change of the demonstration accounts.
    assert {email for email, *_ in ACCOUNTS} == set(EXPECTED_AREAS)
    assert {role for *_, roles, _ in ACCOUNTS for role in roles} == set(Role)
