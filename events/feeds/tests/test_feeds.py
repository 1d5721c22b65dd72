"""Private feeds: a person's own bookings and events, staff feeds of a Maison and of a room, by secret address."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from accounts.services import user_deactivate
from events.feeds.models import CalendarToken
from events.feeds.services import token_renew
from events.tests.agenda_support import booking, internal_meeting, public_event


def uids(response) -> set[str]:
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return {str(event["uid"]) for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def calendar(maison_langres, maison_saint_dizier, user_with_role):
    start = timezone.now() + datetime.timedelta(days=2)
    official = user_with_role(Role.ELECTED)
    assistant = user_with_role(Role.ELECTED)
    other = user_with_role(Role.ELECTED)
    mine = booking(maison_langres, start, official, purpose="Permanence d’élue")
    booked_for_me = booking(maison_langres, start, official, booked_by=assistant)
    theirs = booking(maison_langres, start, other, purpose="Rendez-vous de l’autre élu")
    involved = public_event(maison_langres, start, title="Inauguration")
    involved.event.officials.add(official)
    return {
        "official": official,
        "assistant": assistant,
        "mine": mine,
        "booked_for_me": booked_for_me,
        "theirs": theirs,
        "involved": involved,
        "meeting": internal_meeting(maison_langres, start),
        "elsewhere": internal_meeting(maison_saint_dizier, start),
        "public": public_event(maison_langres, start, title="Atelier"),
    }


def test_the_personal_feed_has_my_bookings_and_my_events_only(client, calendar):
    key = token_renew(user=calendar["official"])
    response = client.get(f"/agenda/flux/{key}/personnel.ics")
    assert uids(response) == {calendar[k].uid for k in ("mine", "booked_for_me", "involved")}
    assert "Permanence d’élue" in response.content.decode()  # Private: the purpose is there.
    assert "Rendez-vous de l’autre élu" not in response.content.decode()
    assistant_key = token_renew(user=calendar["assistant"])
    assert uids(client.get(f"/agenda/flux/{assistant_key}/personnel.ics")) == {calendar["booked_for_me"].uid}


def test_a_new_address_revokes_the_old_one_and_deactivation_revokes_all(client, calendar, admin_user):
    official = calendar["official"]
    old = token_renew(user=official)
    new = token_renew(user=official)
    assert client.get(f"/agenda/flux/{old}/personnel.ics").status_code == 404
    assert client.get(f"/agenda/flux/{new}/personnel.ics").status_code == 200
    user_deactivate(user=official, actor=admin_user)
    assert client.get(f"/agenda/flux/{new}/personnel.ics").status_code == 404
    assert not CalendarToken.objects.filter(user=official, revoked_at__isnull=True).exists()
    assert client.get("/agenda/flux/n-importe-quoi/personnel.ics").status_code == 404


def test_staff_feeds_of_a_maison_and_a_room(client, calendar, user_with_role, maison_langres):
    agent = user_with_role(Role.AGENT)  # Attached to Langres.
    key = token_renew(user=agent)
    response = client.get(f"/agenda/flux/{key}/maisons/langres.ics")
    expected = {calendar[k].uid for k in ("mine", "booked_for_me", "theirs", "involved", "meeting", "public")}
    assert uids(response) == expected
    assert "Titulaire" in response.content.decode()  # Staff see who holds a booking.
    assert client.get(f"/agenda/flux/{key}/maisons/saint-dizier.ics").status_code == 404  # Not their Maison.
    room = calendar["meeting"].room
    assert uids(client.get(f"/agenda/flux/{key}/salles/{room.pk}.ics")) == {calendar["meeting"].uid}
    elsewhere = calendar["elsewhere"].room
    assert client.get(f"/agenda/flux/{key}/salles/{elsewhere.pk}.ics").status_code == 404
    lead_key = token_renew(user=user_with_role(Role.PROJECT_LEAD))
    assert uids(client.get(f"/agenda/flux/{lead_key}/maisons/saint-dizier.ics")) == {calendar["elsewhere"].uid}
    official_key = token_renew(user=calendar["official"])  # An official has no staff feed.
    assert client.get(f"/agenda/flux/{official_key}/maisons/langres.ics").status_code == 404


def test_the_subscription_page_shows_the_address_once(client_for):
    client = client_for(Role.AGENT)
    assert "Créer mon adresse" in client.get("/agenda/abonnement/").content.decode()
    html = client.post("/agenda/abonnement/", {"action": "creer"}).content.decode()
    assert "/personnel.ics" in html and "/maisons/langres.ics" in html
    again = client.get("/agenda/abonnement/").content.decode()
    assert "/personnel.ics" not in again and "active depuis" in again
    client.post("/agenda/abonnement/", {"action": "revoquer"})
    assert not CalendarToken.objects.filter(revoked_at__isnull=True).exists()
    assert Client().get("/agenda/abonnement/").status_code == 302  # Signed out: the sign-in page.


@pytest.mark.parametrize("count", [3, 30])
def test_staff_feeds_run_bounded_queries(client, maison_langres, user_with_role, count, django_assert_max_num_queries):
    for n in range(count):
        internal_meeting(maison_langres, timezone.now() + datetime.timedelta(days=n + 1))
    key = token_renew(user=user_with_role(Role.PROJECT_LEAD))
    with django_assert_max_num_queries(5):
        assert client.get(f"/agenda/flux/{key}/maisons/langres.ics").status_code == 200
