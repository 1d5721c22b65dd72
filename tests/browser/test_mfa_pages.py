"""The multi-factor authentication pages as people go through them: sign-in code, activation, recovery codes."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_mfa import totp_code

from .axe import assert_no_axe_violations


def sign_in_with_the_form(page, live_server, user):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def heading(page):
    return page.get_by_role("heading", level=1)


def test_sign_in_asks_for_the_code_of_those_with_mfa(page, live_server, user_with_role):
    user = user_with_role(Role.PROJECT_LEAD)
    sign_in_with_the_form(page, live_server, user)
    expect(heading(page)).to_have_text("Code de double authentification")
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill("000000" if totp_code() != "000000" else "111111")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    assert_no_axe_violations(page)
    page.get_by_label("Code", exact=False).fill(totp_code())
    page.get_by_role("button", name="Se connecter").click()
    expect(heading(page)).to_have_text("Mon espace")


def test_a_project_lead_without_mfa_activates_it_then_manages_recovery_codes(page, live_server, maison_langres):
    user = UserFactory(project_lead=True, mfa=False)
    sign_in_with_the_form(page, live_server, user)
    # Sent to activation, which first asks for the password again.
    expect(heading(page)).to_have_text("Confirmer votre identité")
    expect(page.get_by_role("status")).to_contain_text("double authentification")
    assert_no_axe_violations(page)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    expect(heading(page)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
    assert_no_axe_violations(page)
    secret = page.locator("#mfa-secret").inner_text().strip()
    page.get_by_label("Code", exact=False).fill(totp_code(secret))
    page.get_by_role("button", name="Activer").click()

    expect(heading(page)).to_have_text("Codes de secours")
    expect(page.get_by_role("list", name="Codes de secours non utilisés").get_by_role("listitem")).to_have_count(10)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Générer de nouveaux codes").click()
    expect(heading(page)).to_have_text("Générer des codes de secours")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/comptes/2fa/totp/deactivate/")
    expect(heading(page)).to_have_text("Désactiver la double authentification")
    expect(page.get_by_role("alert")).to_contain_text("obligatoire pour votre rôle")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/gestion/")
    expect(heading(page)).to_have_text("Gestion des Maisons du Département")


def test_an_agent_can_switch_mfa_off(page, live_server, maison_langres):
    user = UserFactory(agent=True, maisons=[maison_langres], mfa=True)
    sign_in_with_the_form(page, live_server, user)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + "/comptes/2fa/totp/deactivate/")
    expect(heading(page)).to_have_text("Confirmer votre identité")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(heading(page)).to_have_text("Désactiver la double authentification")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Désactiver").click()
    expect(heading(page)).to_have_text("Double authentification")
    expect(page.get_by_text("n’est pas activée")).to_be_visible()


def test_the_rate_limit_page_is_french_and_accessible(page, live_server, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    for _ in range(2):
        page.goto(live_server.url + "/comptes/login/")
        page.get_by_label("Adresse électronique").fill("quelquun@haute-marne.fr")
        page.get_by_label("Mot de passe").fill("pas-le-bon")
        page.get_by_role("button", name="Se connecter").click()
    expect(heading(page)).to_have_text("Trop de tentatives")
    assert_no_axe_violations(page)
