"""As a member of the public: find an event in the agenda and register; the last seat goes, then the next person
is put on the waiting list. And a weekly permanence written by the planning service shows in the agenda's month."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import Audience, CategoryKind, EventStatus
from events.models import Event
from events.recurrence import save_series
from events.registrations.models import Registration
from events.tests.agenda_support import PARIS, category, public_event
from maisons.tests.factories import RoomFactory
from partenaires.tests.factories import PartnerFactory

from .axe import assert_no_axe_violations


@pytest.fixture
def workshop(maison_langres):
    start = (timezone.localtime() + datetime.timedelta(days=6)).replace(hour=14, minute=0, second=0, microsecond=0)
    occurrence = public_event(
        maison_langres,
        start,
        title="Atelier « Mes démarches en ligne »",
        registration=True,
        capacity=2,
        waiting_list=True,
    )
    Registration.objects.create(occupancy=occurrence, name="Première personne", email="premiere@example.fr")
    return occurrence


def _register(page, name, email):
    page.get_by_label("Nom et prénom").fill(name)
    page.get_by_role("textbox", name=re.compile("^Adresse électronique")).fill(email)
    page.get_by_label(re.compile("J’accepte")).check()
    page.get_by_role("button", name="S’inscrire").click()


def test_the_last_seat_then_the_waiting_list(page, live_server, workshop):
    page.goto(live_server.url + "/agenda/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Atelier « Mes démarches en ligne »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier « Mes démarches en ligne »")
    expect(page.get_by_text("1 encore disponible")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="S’inscrire").click()
    assert_no_axe_violations(page)
    _register(page, "Camille Martin", "camille@example.fr")
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est confirmée.")
    assert_no_axe_violations(page)

    page.goto(live_server.url + f"/agenda/{workshop.slug}/")
    expect(page.get_by_text("complet (liste d’attente ouverte)")).to_be_visible()
    page.get_by_role("link", name="S’inscrire sur la liste d’attente").click()
    expect(page.get_by_text("votre inscription ira sur la liste d’attente")).to_be_visible()
    _register(page, "Dominique Petit", "dominique@example.fr")
    expect(page.get_by_role("status")).to_contain_text("vous êtes sur la liste d’attente")
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "premiere@example.fr": "confirmed",
        "camille@example.fr": "confirmed",
        "dominique@example.fr": "waiting",
    }


def test_a_weekly_permanence_from_the_planning_shows_in_the_month(page, live_server, maison_langres):
    first = (timezone.localtime() + datetime.timedelta(days=1)).astimezone(PARIS)
    first = first.replace(hour=10, minute=0, second=0, microsecond=0)
    event = Event(
        title="Permanence de la CAF",
        slug="permanence-caf-langres",
        category=category(CategoryKind.PARTNER_PERMANENCE),
        audience=Audience.PUBLIC,
        status=EventStatus.PUBLISHED,
        organiser="partner",
        partner=PartnerFactory(name="CAF de la Haute-Marne"),
        maison=maison_langres,
        room=RoomFactory(maison=maison_langres, name="Bureau des permanences"),
        start=first,
        end=first + datetime.timedelta(hours=2),
        rrule="FREQ=WEEKLY",
    )
    save_series(event)
    page.goto(live_server.url + f"/agenda/?vue=mois&mois={first:%Y-%m}")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=re.compile("10 h 00 : Permanence de la CAF")).first).to_be_visible()
    assert_no_axe_violations(page)
    page.keyboard.press("Tab")  # The month is reachable and readable with the keyboard: its links take the focus.
    table.get_by_role("link", name=re.compile("Permanence de la CAF")).first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Permanence de la CAF")
    assert_no_axe_violations(page)
