"""A member of the public finds the CAF's next permanence in Saint-Dizier from the directory, by keyboard alone."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from events.enums import OccupancyKind
from events.tests.factories import OccupancyFactory, period
from maisons.tests.factories import CommuneFactory, RoomFactory
from partenaires.enums import Area, PartnerKind
from partenaires.tests.factories import PartnerFactory, ServiceFactory, theme

from .axe import assert_no_axe_violations


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def directory(maison_langres, maison_saint_dizier):
    chaumont = CommuneFactory(code_insee="52121", name="Chaumont", postal_codes=["52000"])
    caf = PartnerFactory(
        slug="caf",
        name="Caisse d’allocations familiales de la Haute-Marne",
        acronym="CAF",
        kind=PartnerKind.SOCIAL_SECURITY,
        commune=chaumont,
        description="Prestations familiales, aides au logement, RSA.",
        opening_hours="Mo-Fr 08:30-12:00,13:30-17:00; PH off",
        holds_permanences=True,
        themes=[theme("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits")],
    )
    ServiceFactory(partner=caf, name="Aides au logement", area=Area.DEPARTEMENT)
    for number in range(3):
        PartnerFactory(name=f"Association familiale n° {number}", commune=chaumont)
    langres_room = RoomFactory(maison=maison_langres, name="Salle des permanences")
    saint_dizier_room = RoomFactory(maison=maison_saint_dizier, name="Bureau des permanences")
    # The CAF's very next permanence is in Langres; the one in Saint-Dizier comes after.
    OccupancyFactory(
        kind=OccupancyKind.PERMANENCE, title="Permanence CAF", maison=maison_langres, room=langres_room,
        partner=caf, is_public=True, period=period(_at(2, 9), hours=3),
    )  # fmt: skip
    saint_dizier = OccupancyFactory(
        kind=OccupancyKind.PERMANENCE, title="Permanence CAF", maison=maison_saint_dizier, room=saint_dizier_room,
        partner=caf, is_public=True, period=period(_at(4, 9), hours=3),
    )  # fmt: skip
    return saint_dizier


def _tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} n’est pas atteignable au clavier")


def test_the_public_finds_the_cafs_next_permanence_in_saint_dizier(page, live_server, directory):
    page.goto(live_server.url + "/partenaires/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des partenaires")
    assert_no_axe_violations(page)

    _tab_to(page, "id_q")
    page.keyboard.type("allocations familiales")
    _tab_to(page, "id_commune")
    page.keyboard.type("Saint-Dizier")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"q=allocations\+familiales.*commune=Saint-Dizier"))
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile("1 partenaire trouvé"))
    result = page.get_by_role("listitem").filter(has_text="Caisse d’allocations familiales")
    expect(result).to_contain_text("Prochaine permanence")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Caisse d’allocations familiales de la Haute-Marne (CAF)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Caisse d’allocations familiales de la Haute-Marne (CAF)"
    )
    permanences = page.get_by_role("region", name="Permanences dans les Maisons du Département")
    start = timezone.localtime(directory.period.lower)
    in_saint_dizier = permanences.get_by_role("listitem").filter(has_text="Maison du Département de Saint-Dizier")
    expect(in_saint_dizier).to_contain_text(date_format(start, "l j F Y"))
    expect(in_saint_dizier).to_contain_text("de 9 h 00 à 12 h 00")
    expect(page.get_by_text("Du lundi au vendredi de 8 h 30 à 12 h 00 et de 13 h 30 à 17 h 00")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_search_with_an_unknown_commune_says_so(page, live_server, directory):
    page.goto(live_server.url + "/partenaires/?commune=Atlantide")
    expect(page.get_by_role("alert")).to_contain_text("1 erreur")
    expect(page.get_by_label(re.compile("Commune"))).to_have_accessible_description(re.compile("code postal"))
    expect(page.get_by_text("Commune inconnue")).to_be_visible()
    assert_no_axe_violations(page)
