"""A partner checks its entry through the personal link of its e-mail, proposes a change, and the project lead
reads the diff and publishes it; the public page then shows the new number and today's verification date."""

import re

from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.enums import Role
from partenaires.enums import PartnerKind
from partenaires.tests.factories import PartnerFactory
from partenaires.verification import services

from .axe import assert_no_axe_violations


def test_the_partner_proposes_a_change_and_the_project_lead_publishes_it(page, live_server, sign_in, user_with_role):
    partner = PartnerFactory(
        slug="mission-locale",
        name="Mission locale du Nord Haute-Marne",
        kind=PartnerKind.EMPLOYMENT,
        email="accueil@mission-locale.exemple.fr",
        phone="03 25 05 00 00",
        last_verified_on=None,
    )
    request = services.verification_request_create(partner=partner)
    services.verification_request_send(request_id=request.pk)
    link = re.search(r"https?://\S+/partenaires/verification/\S+/", mail.outbox[-1].body).group(0)
    path = link[link.index("/partenaires/verification/") :]

    # The partner opens its link: no account, no cookie until it chooses.
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifier la fiche de « Mission locale")
    assert page.context.cookies() == []
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Proposer des modifications").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposer des modifications")
    assert_no_axe_violations(page)
    page.get_by_label("Téléphone").fill("03 25 05 12 34")
    page.get_by_label("Autres remarques").fill("Permanence à Saint-Dizier le mardi matin désormais.")
    page.get_by_role("button", name="Envoyer mes propositions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci")
    assert_no_axe_violations(page)

    # Nothing is published yet.
    partner.refresh_from_db()
    assert partner.phone == "03 25 05 00 00"

    # The project lead reads the diff and publishes it.
    page.context.clear_cookies()
    sign_in(user_with_role(Role.PROJECT_LEAD))
    page.goto(live_server.url + "/gestion/partenaires/verifications/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Mission locale du Nord Haute-Marne").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposition de « Mission locale")
    diff = page.get_by_role("table", name="Champs modifiés")
    expect(diff.locator("del")).to_have_text("03 25 05 00 00")
    expect(diff.locator("ins")).to_have_text("03 25 05 12 34")
    expect(page.get_by_text("le mardi matin désormais")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Publier ces modifications").click()
    expect(page.locator(".messages")).to_contain_text("sont publiées")

    # The public page shows the new number and the verification date.
    page.context.clear_cookies()
    page.goto(live_server.url + "/partenaires/mission-locale/")
    expect(page.get_by_text("03 25 05 12 34").first).to_be_visible()
    today = date_format(timezone.localdate(), "j F Y")
    expect(page.get_by_text(f"vérifiée par le partenaire le {today}")).to_be_visible()


def test_the_partner_confirms_its_entry(page, live_server):
    partner = PartnerFactory(slug="ccas-langres", name="CCAS de Langres", email="ccas@langres.exemple.fr")
    request = services.verification_request_create(partner=partner)
    page.goto(live_server.url + request.get_absolute_url())
    page.get_by_role("link", name="Tout est exact").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Je confirme que la fiche est exacte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci")
    partner.refresh_from_db()
    assert partner.last_verified_on == timezone.localdate()
    page.goto(live_server.url + request.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien n’est plus valable")
    assert_no_axe_violations(page)
