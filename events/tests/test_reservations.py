"""Elected officials' room reservations through HTTP: the grid, the two steps, the rules of each room, series,
approval and expiry, assistants, cancellation, the author's e-mail, and 20 concurrent bookings of one slot."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from accounts.tests.factories import UserFactory
from events.enums import OccupancyKind, OccupancyStatus
from events.models import Occupancy
from events.reservations import occurrences, reservation_book, reservations_expire
from maisons.enums import OutsideHours
from maisons.opening import PARIS
from maisons.tests.factories import RoomBlockFactory, RoomFactory


def next_tuesday() -> datetime.date:
    """Next week's Tuesday: always ahead, on a weekday the test Maisons are open (8 h 30 – 12 h, 13 h 30 – 17 h)."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday() + 1)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def form_data(day=None, start="10:00", end="11:00", **extra) -> dict:
    day = day or next_tuesday()
    return {
        "date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "purpose": "Rencontre avec les habitants",
        "expected_attendance": "8",
        **extra,
    }


@pytest.fixture
def room(maison_langres):
    return RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=12)


@pytest.fixture
def official(user_with_role):
    return user_with_role(Role.ELECTED, first_name="Claire", last_name="Dupont")


def post_booking(client, room, **data):
    return client.post(
        "/reservations/nouvelle/", {"room": room.pk, "holder": data.pop("holder", ""), **form_data(**data)}
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def book_for(client, user, room, **data):
    return post_booking(client, room, holder=user.pk, **data)


def test_an_official_books_a_free_slot_in_two_steps_and_sees_it_in_my_bookings(official, room):
    client = signed_in(official)
    grid = client.get("/reservations/?maison=langres&semaine=" + next_tuesday().isoformat()).content.decode()
    day = next_tuesday()
    label = f"Réserver la salle Salle Diderot, mardi {'1er' if day.day == 1 else day.day}"
    assert label in grid
    link = re.search(r'href="(/reservations/nouvelle/\?[^"]*T10:00[^"]*)"', grid).group(1).replace("&amp;", "&")
    step_two = client.get(link).content.decode()
    assert 'value="10:00"' in step_two and 'value="11:00"' in step_two
    response = book_for(client, official, room)
    assert response.status_code == 302 and response["Location"] == "/reservations/mes-reservations/"
    booking = Occupancy.objects.get()
    assert (booking.kind, booking.status, booking.holder, booking.booked_by) == (
        OccupancyKind.RESERVATION,
        OccupancyStatus.CONFIRMED,
        official,
        official,
    )
    assert timezone.localtime(booking.period.lower).hour == 10
    page = text(client.get("/reservations/mes-reservations/").content.decode())
    assert "Réservation confirmée : « Salle Diderot »" in page
    assert "Rencontre avec les habitants" in page


def test_a_taken_slot_is_refused_with_the_existing_bookings_time_and_adjacent_slots_succeed(
    user_with_role, official, room
):
    assert book_for(signed_in(official), official, room).status_code == 302
    other = user_with_role(Role.ELECTED)
    client = signed_in(other)
    response = book_for(client, other, room, start="10:30", end="11:30")
    assert response.status_code == 200
    assert "Ce créneau n’est pas libre : « Salle Diderot » est déjà occupée le mardi" in response.content.decode()
    assert "de 10 h 00 à 11 h 00" in response.content.decode()
    assert "Dupont" not in response.content.decode()  # Not who, to another official.
    assert book_for(client, other, room, start="11:00", end="12:00").status_code == 302
    assert book_for(client, other, room, start="09:00", end="10:00").status_code == 302
    assert Occupancy.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"expected_attendance": "13"}, "« Salle Diderot » accueille 12 personnes au plus ; vous en attendez 13."),
        ({"start": "11:00", "end": "10:00"}, "La fin doit suivre le début."),
        ({"day": datetime.date(2020, 3, 3)}, "Ce créneau est déjà passé : choisissez une date à venir."),
        (
            {"start": "18:00", "end": "19:00"},
            "en dehors des horaires d’ouverture de la Maison du Département de Langres",
        ),
        ({"expected_attendance": "0"}, "supérieure ou égale à 1"),
        ({"frequency": "weekly"}, "Indiquez jusqu’à quand la réservation se répète."),
    ],
)
def test_bad_bookings_get_a_clear_french_message(official, room, data, message):
    response = book_for(signed_in(official), official, room, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Occupancy.objects.exists()


def test_beyond_the_horizon_and_blocked_periods_are_refused(official, room):
    room.booking_horizon_days = 1  # The slot is two days ahead at least.
    room.save()
    client = signed_in(official)
    response = book_for(client, official, room)
    assert "« Salle Diderot » se réserve au plus 1 jour à l’avance" in response.content.decode()
    room.booking_horizon_days = 180
    room.save()
    start = datetime.datetime.combine(next_tuesday(), datetime.time(8), tzinfo=PARIS)
    RoomBlockFactory(room=room, starts_at=start, ends_at=start + datetime.timedelta(hours=10), reason="Travaux")
    response = book_for(client, official, room)
    assert "« Salle Diderot » est indisponible le mardi" in response.content.decode()
    assert "(Travaux)" in response.content.decode()
    assert not Occupancy.objects.exists()
    grid = client.get("/reservations/?semaine=" + next_tuesday().isoformat()).content.decode()
    assert "indisponible" in grid


def test_a_room_that_warns_outside_opening_hours_asks_for_confirmation(official, room):
    room.outside_hours = OutsideHours.WARN
    room.save()
    client = signed_in(official)
    response = book_for(client, official, room, start="18:00", end="19:00")
    assert "Confirmez pour réserver quand même." in response.content.decode()
    assert not Occupancy.objects.exists()
    assert book_for(client, official, room, start="18:00", end="19:00", confirm_outside_hours="on").status_code == 302


def test_a_series_is_booked_whole_or_not_at_all(official, room):
    day = next_tuesday()
    client = signed_in(official)
    until = (day + datetime.timedelta(days=21)).isoformat()
    assert book_for(client, official, room, day=day + datetime.timedelta(days=14)).status_code == 302
    response = book_for(client, official, room, frequency="weekly", until=until)
    assert "Ce créneau n’est pas libre" in response.content.decode()
    assert Occupancy.objects.count() == 1
    response = book_for(client, official, room, start="14:00", end="15:00", frequency="biweekly", until=until)
    assert response.status_code == 302
    series = Occupancy.objects.filter(period__startswith__gt=timezone.now()).order_by("period")
    afternoons = [
        timezone.localtime(o.period.lower).date() for o in series if timezone.localtime(o.period.lower).hour == 14
    ]
    assert afternoons == [day, day + datetime.timedelta(days=14)]


def test_a_weekly_series_keeps_its_local_time_across_the_clock_change():
    start = datetime.datetime(2027, 3, 23, 10, tzinfo=PARIS)
    slots = occurrences(start, start + datetime.timedelta(hours=1), "weekly", datetime.date(2027, 4, 6))
    assert [slot.astimezone(PARIS).hour for slot, _ in slots] == [10, 10, 10]
    assert [slot.astimezone(datetime.UTC).hour for slot, _ in slots] == [9, 8, 8]  # Summer time from 28 March.


def test_a_room_that_requires_approval_holds_the_slot_until_the_project_lead_answers(
    client_for, user_with_role, official, room
):
    room.requires_approval = True
    room.save()
    response = book_for(signed_in(official), official, room)
    assert response.status_code == 302
    request = Occupancy.objects.get()
    assert request.status == OccupancyStatus.PENDING
    other = user_with_role(Role.ELECTED)
    refused = book_for(signed_in(other), other, room)
    assert "une demande en attente de validation retient ce créneau" in refused.content.decode()
    lead = client_for(Role.PROJECT_LEAD)
    page = text(lead.get("/gestion/reservations/").content.decode())
    assert "Claire Dupont" in page and "Rencontre avec les habitants" in page
    lead.post(f"/gestion/reservations/{request.pk}/refuser/", {"reason": "Salle prêtée au collège"})
    request.refresh_from_db()
    assert (request.status, request.cancellation_reason) == (OccupancyStatus.REFUSED, "Salle prêtée au collège")
    assert book_for(signed_in(other), other, room).status_code == 302  # The slot is free again.
    second = Occupancy.objects.get(holder=other)
    lead.post(f"/gestion/reservations/{second.pk}/accepter/")
    second.refresh_from_db()
    assert second.status == OccupancyStatus.CONFIRMED


def test_unanswered_requests_expire_and_free_their_slot(official, room):
    room.requires_approval = True
    room.approval_delay = 24
    room.save()
    start = datetime.datetime.combine(next_tuesday(), datetime.time(10), tzinfo=PARIS)
    booked = reservation_book(
        room=room,
        start=start,
        end=start + datetime.timedelta(hours=1),
        purpose="Réunion",
        expected_attendance=3,
        holder=official,
    )
    request = booked.occupancies[0]
    assert reservations_expire() == 0
    assert reservations_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    request.refresh_from_db()
    assert request.status == OccupancyStatus.EXPIRED
    assert reservation_book(
        room=room,
        start=start,
        end=start + datetime.timedelta(hours=1),
        purpose="Autre",
        expected_attendance=3,
        holder=official,
    ).pending


def test_an_assistant_books_on_behalf_of_an_official_who_owns_the_booking(user_with_role, official, room):
    assistant = UserFactory(first_name="Paul", last_name="Assistant")
    assistant.assisted_officials.set([official])
    client = signed_in(assistant)
    assert client.get("/reservations/").status_code == 200
    assert book_for(client, official, room).status_code == 302
    booking = Occupancy.objects.get()
    assert (booking.holder, booking.booked_by) == (official, assistant)
    assert "Rencontre avec les habitants" in client.get("/reservations/mes-reservations/").content.decode()
    stranger = user_with_role(Role.ELECTED)
    assert book_for(client, stranger, room, start="14:00", end="15:00").status_code == 200  # Not theirs to book for.
    assert client.post(f"/reservations/{booking.pk}/annuler/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == OccupancyStatus.CANCELLED


def test_an_official_sees_others_bookings_only_as_busy_and_cannot_cancel_them(
    client_for, user_with_role, official, room, django_assert_max_num_queries
):
    book_for(signed_in(official), official, room)
    booking = Occupancy.objects.get()
    other = user_with_role(Role.ELECTED)
    client = signed_in(other)
    week = "/reservations/?semaine=" + next_tuesday().isoformat()
    for index in range(10):
        RoomFactory(maison=room.maison, name=f"Salle {index}")
    client.get("/reservations/mes-reservations/")
    with django_assert_max_num_queries(14):
        grid = client.get(week).content.decode()
    assert "occupé" in grid and "Rencontre avec les habitants" not in grid and "Dupont" not in grid
    assert client.post(f"/reservations/{booking.pk}/annuler/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == OccupancyStatus.CONFIRMED
    staff_grid = client_for(Role.PROJECT_LEAD).get(week).content.decode()
    assert "Rencontre avec les habitants, Claire Dupont" in staff_grid


def test_my_bookings_costs_a_bounded_number_of_queries(official, room, django_assert_max_num_queries):
    client = signed_in(official)
    for week in range(8):
        book_for(client, official, room, day=next_tuesday() + datetime.timedelta(days=7 * week))
    with django_assert_max_num_queries(10):
        page = client.get("/reservations/mes-reservations/").content.decode()
    assert page.count("Annuler la réservation") == 8


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_slot_over_http_give_one_success(user_with_role, room):
    """Invariant 1 through the booking form: 20 officials post the same slot at once, each on its own connection."""
    attempts = 20
    clients = [signed_in(user_with_role(Role.ELECTED)) for _ in range(attempts)]
    holders = [client.session["_auth_user_id"] for client in clients]
    barrier = threading.Barrier(attempts)
    responses = []

    def post(index):
        try:
            barrier.wait(timeout=60)
            responses.append(post_booking(clients[index], room, holder=holders[index]))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(responses) == attempts
    successes = [response for response in responses if response.status_code == 302]
    refusals = [response for response in responses if response.status_code == 200]
    assert (len(successes), len(refusals)) == (1, attempts - 1)
    for response in refusals:
        html = response.content.decode()
        assert "Ce créneau n’est pas libre : « Salle Diderot » est déjà occupée le mardi" in html
        assert "de 10 h 00 à 11 h 00" in html
    assert Occupancy.objects.filter(room=room).count() == 1


def test_the_author_gets_a_french_mail_with_the_booking_as_ics_then_its_cancellation(official, room, mailoutbox):
    import icalendar

    from events.notifications import RESERVATION_CHANGE
    from notifications.delivery import deliver
    from notifications.models import Notification

    post_booking(signed_in(official), room, holder=official.pk)
    booking = Occupancy.objects.get()
    (row,) = Notification.objects.filter(kind=RESERVATION_CHANGE)
    assert (row.recipient_email, row.payload) == (official.email, {"change": "created", "occupancies": [booking.pk]})
    assert deliver(row.pk) == "sent" and deliver(row.pk) == "already_sent"
    (message,) = mailoutbox
    assert message.to == [official.email]
    assert message.subject.startswith("[Maisons du Département] Réservation confirmée : Salle Diderot, le mardi")
    ics = next(content for name, content, _type in message.attachments if name == "reservation.ics")
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["UID"]) == booking.uid and str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (10, 0, "Europe/Paris")

    signed_in(official).post(f"/reservations/{booking.pk}/annuler/")
    booking.refresh_from_db()
    (row,) = Notification.objects.filter(kind=RESERVATION_CHANGE, payload__change="cancelled")
    assert deliver(row.pk) == "sent"
    assert mailoutbox[-1].subject.startswith("[Maisons du Département] Réservation annulée : Salle Diderot")
    ics = next(content for name, content, _type in mailoutbox[-1].attachments if name == "reservation.ics")
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == booking.sequence
