"""As the project lead: create a weekly partner permanence from the planning, with the keyboard and the form's own
labels; it then shows on the Maison's page and in the public agenda, every week at 10:00 (issue 9, « Browser
journeys »). The form and the planning have no axe violation."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from events.enums import CategoryKind
from events.models import Occupancy
from events.tests.agenda_support import category
from maisons.tests.factories import RoomFactory
from partenaires.tests.factories import PartnerFactory

from .axe import assert_no_axe_violations


def test_the_project_lead_creates_a_weekly_permanence_seen_on_the_maison_page_and_in_the_agenda(
    page_as, live_server, maison_langres
):
    category(CategoryKind.PARTNER_PERMANENCE, "Permanence d’un partenaire")
    RoomFactory(maison=maison_langres, name="Bureau des permanences")
    PartnerFactory(name="CAF de la Haute-Marne")
    # Next Tuesday, a working day whatever today is (the demonstration Maison is open on Tuesday mornings).
    today = timezone.localdate()
    first = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    page = page_as(Role.PROJECT_LEAD)

    page.goto(f"{live_server.url}/gestion/planning/evenements/nouveau/?maison=langres")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel événement")
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^Intitulé")).fill("Permanence de la CAF")
    page.get_by_label(re.compile("^Catégorie")).select_option(label="Permanence d’un partenaire")
    page.get_by_label(re.compile("^Maison")).select_option(label=maison_langres.name)
    page.get_by_label(re.compile("^Salle")).select_option(label=f"{maison_langres.name} — Bureau des permanences")
    page.get_by_label(re.compile("^Date \\(de la première occurrence\\)")).fill(first.isoformat())
    page.get_by_label(re.compile("^Heure de début")).fill("10:00")
    page.get_by_label(re.compile("^Heure de fin")).fill("12:00")
    page.get_by_label("chaque semaine").check()
    page.get_by_label(re.compile("^Jusqu’au")).fill((first + datetime.timedelta(weeks=8)).isoformat())
    page.get_by_label("public", exact=True).check()
    page.get_by_label(re.compile("^Statut")).select_option(label="publié")
    page.get_by_label("un partenaire").check()
    page.get_by_label(re.compile("^Partenaire")).select_option(label="CAF de la Haute-Marne")
    page.get_by_role("button", name="Enregistrer").click()

    occurrences = Occupancy.objects.filter(title="Permanence de la CAF").order_by("period")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Nouvel événement")
    assert occurrences.count() == 9
    assert {timezone.localtime(o.period.lower).strftime("%A %H:%M") for o in occurrences} == {"Tuesday 10:00"}
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/maisons/langres/")
    section = page.get_by_role("region", name="Permanences des partenaires")
    expect(section).to_contain_text("Permanence de la CAF")
    assert_no_axe_violations(page)

    page.context.clear_cookies()  # The public agenda, as anyone reads it.
    page.goto(f"{live_server.url}/agenda/?maison=langres")
    expect(page.get_by_role("link", name=re.compile("Permanence de la CAF")).first).to_be_visible()
    assert_no_axe_violations(page)
