"""An elected official books a free room from the week's grid and finds it in « Mes réservations »; a second official
trying the same slot is refused with the message naming the booking's time (issue 9, « Browser journeys »). The grid,
the booking form and « Mes réservations » have no axe violation; the grid is used with the keyboard alone."""

import datetime
import re

from playwright.sync_api import expect

from accounts.enums import Role
from maisons.tests.factories import RoomFactory

from .axe import assert_no_axe_violations


def next_tuesday() -> datetime.date:
    today = datetime.date.today()
    return today + datetime.timedelta(days=7 - today.weekday() + 1)


def _book_tuesday_ten(page, live_server):
    day = next_tuesday()
    page.goto(f"{live_server.url}/reservations/?maison=langres&semaine={day.isoformat()}")
    grid = page.get_by_role("table", name=re.compile("Salle « Salle Diderot »"))
    expect(grid.get_by_role("columnheader").nth(2)).to_contain_text("mar.")
    day_text = f"mardi {'1er' if day.day == 1 else day.day}"
    link = grid.get_by_role("link", name=re.compile(f"^Réserver la salle Salle Diderot, {day_text} .*, 10 h – 11 h$"))
    link.focus()
    page.keyboard.press("Enter")  # The keyboard alone reaches and follows the slot.
    expect(page.get_by_role("heading", level=1)).to_have_text("Réserver la salle « Salle Diderot »")
    expect(page.get_by_label("Début")).to_have_value("10:00")
    expect(page.get_by_label(re.compile(r"^Fin\b"))).to_have_value("11:00")
    page.get_by_label("Objet de la réunion").fill("Rencontre avec les habitants")
    page.get_by_label("Nombre de personnes attendues").fill("8")


def test_an_official_books_a_free_room_and_a_second_official_is_refused(
    page, live_server, sign_in, user_with_role, maison_langres, tmp_path
):
    RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=20)
    sign_in(user_with_role(Role.ELECTED, first_name="Claire", last_name="Dupont"))
    _book_tuesday_ten(page, live_server)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirmer la réservation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes réservations")
    expect(page.get_by_role("status")).to_contain_text("Réservation confirmée : « Salle Diderot »")
    expect(page.get_by_role("table")).to_contain_text("Rencontre avec les habitants")
    expect(page.get_by_role("button", name=re.compile("^Annuler la réservation de « Salle Diderot »"))).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/reservations/?maison=langres&semaine={next_tuesday().isoformat()}")
    expect(page.get_by_role("table", name=re.compile("Salle Diderot"))).to_contain_text("Votre réservation")
    page.screenshot(path=str(tmp_path / "grille.png"), full_page=True)
    assert_no_axe_violations(page)

    # A second official, in another browser session, had opened the same slot before it was taken.
    page.context.clear_cookies()
    sign_in(user_with_role(Role.ELECTED))
    day = next_tuesday()
    page.goto(
        f"{live_server.url}/reservations/nouvelle/?salle={maison_langres.rooms.get().pk}"
        f"&debut={day.isoformat()}T10:00&fin=11:00"
    )
    page.get_by_label("Objet de la réunion").fill("Réunion de quartier")
    page.get_by_label("Nombre de personnes attendues").fill("5")
    page.get_by_role("button", name="Confirmer la réservation").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ce créneau n’est pas libre : « Salle Diderot » est déjà occupée le mardi")
    expect(alert).to_contain_text("de 10 h 00 à 11 h 00")
    expect(alert).not_to_contain_text("Dupont")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/reservations/?maison=langres&semaine={day.isoformat()}")
    expect(page.get_by_role("table", name=re.compile("Salle Diderot"))).to_contain_text("occupé")
