"""E-mails and their links, in a browser (issue 10, « The preferences page and the e-mails' links work in a browser
journey »): an official books a room, receives the confirmation and a reminder through a real worker and SMTP
server, follows the reminder's link to their preferences, chooses their own lead time then refuses reminders with
the keyboard alone; a member of the public refuses reminders through the link of theirs. Zero axe violations."""

import datetime
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from accounts.enums import Role
from events.notifications import REGISTRATION_REMINDER, RESERVATION_REMINDER
from events.tests.agenda_support import public_event, soon
from maisons.tests.factories import RoomFactory
from notifications.models import Notification, OptOut, State
from notifications.services import dispatch_due
from tests.support import wait_until

from .axe import assert_no_axe_violations
from .test_agenda_journey import _register
from .test_booking_journey import _book_tuesday_ten


def mails(inbox, count):
    assert wait_until(lambda: len(inbox.messages) >= count), f"{len(inbox.messages)} e-mail(s) of {count}"
    return [(recipients[0], message) for recipients, message in inbox.messages]


def link(message, path_start: str) -> str:
    """The path of the first link of the e-mail's text starting with `path_start` (SITE_URL is the test server's)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    url = re.search(rf"https?://\S+{re.escape(path_start)}\S*", text).group(0)
    return urlsplit(url).path


def send_due(kind, target_pk):
    (due,) = (
        Notification.objects.filter(kind=kind, object_id=target_pk, state=State.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)[:1]
    )
    assert dispatch_due(now=due + datetime.timedelta(minutes=1))["queued"] >= 1


def test_an_official_follows_a_reminders_link_to_choose_then_refuse_reminders(
    page, live_server, sign_in, user_with_role, maison_langres, celery_worker_thread, smtp_inbox
):
    RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=20)
    official = sign_in(
        user_with_role(Role.ELECTED, first_name="Claire", last_name="Dupont", email="claire@example.fr")
    )
    _book_tuesday_ten(page, live_server)
    page.get_by_role("button", name="Confirmer la réservation").click()
    expect(page.get_by_role("status")).to_contain_text("Réservation confirmée")
    ((to, confirmation),) = mails(smtp_inbox, 1)
    assert to == official.email and "Réservation confirmée : Salle Diderot" in confirmation["Subject"]
    booking = official.occupancies.get()
    send_due(RESERVATION_REMINDER, booking.pk)
    (_, reminder) = mails(smtp_inbox, 2)[1]
    assert "Rappel : Salle Diderot" in reminder["Subject"]

    page.goto(live_server.url + link(reminder, "/comptes/notifications/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Courriels et rappels que je reçois")
    assert_no_axe_violations(page)
    page.get_by_label("Mes délais pour « Réservation : rappel »").fill("1 jour avant à 18:00")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.get_by_role("status")).to_contain_text("Vos préférences d’envoi sont enregistrées.")
    waiting = Notification.objects.filter(kind=RESERVATION_REMINDER, object_id=booking.pk, state=State.PENDING)
    assert [timezone_hour(row.due_at) for row in waiting] == [18], list(
        Notification.objects.values_list("kind", "state", "due_at", "reason")
    )
    # A lead time the portal cannot read is refused in French, next to its field.
    page.get_by_label("Mes délais pour « Réservation : rappel »").fill("la semaine d’avant")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.get_by_text("n’est pas un délai lisible")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Mes délais pour « Réservation : rappel »").fill("")
    # The keyboard alone: the checkbox, then the button.
    page.get_by_label("Recevoir « Réservation : rappel »").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer mes préférences").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Vos préférences d’envoi sont enregistrées.")
    expect(page.get_by_label("Recevoir « Réservation : rappel »")).not_to_be_checked()
    assert not waiting.all().exists()  # A fresh query: `waiting` was read above.
    assert_no_axe_violations(page)


def test_a_registrant_refuses_reminders_through_the_link_of_the_e_mail(
    page, live_server, maison_langres, celery_worker_thread, smtp_inbox
):
    occurrence = public_event(maison_langres, soon(3), title="Atelier numérique", registration=True, capacity=10)
    page.goto(f"{live_server.url}/agenda/{occurrence.slug}/inscription/")
    _register(page, "Camille Martin", "camille@example.fr")
    ((to, confirmation),) = mails(smtp_inbox, 1)
    assert to == "camille@example.fr" and "Inscription confirmée" in confirmation["Subject"]
    registration = occurrence.registrations.get()
    send_due(REGISTRATION_REMINDER, registration.pk)
    (_, reminder) = mails(smtp_inbox, 2)[1]
    assert link(reminder, "/agenda/annulation/")  # The cancellation link is there too.

    page.goto(live_server.url + link(reminder, "/comptes/desabonnement/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ne plus recevoir « Inscription : rappel la veille »")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ne plus recevoir ce message").click()
    expect(page.get_by_role("status")).to_contain_text("ne recevra plus « Inscription : rappel la veille »")
    assert OptOut.objects.filter(email="camille@example.fr", kind=REGISTRATION_REMINDER).exists()
    assert_no_axe_violations(page)
    # A link cut by a mail reader says so, in French.
    page.goto(f"{live_server.url}/comptes/desabonnement/abimé/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien de désabonnement n’est pas valide")
    assert_no_axe_violations(page)


def timezone_hour(moment) -> int:
    from django.utils import timezone

    return timezone.localtime(moment).hour
