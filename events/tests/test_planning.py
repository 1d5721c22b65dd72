"""The project lead's planning (/gestion/planning/): the week × rooms table, series created with their conflicts
shown first, occurrences moved and cancelled."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.enums import Role
from events.enums import EventStatus, OccupancyKind, OccupancyStatus
from events.models import Category, Event, Occupancy
from events.tests.factories import CategoryFactory, OccupancyFactory, period
from maisons.tests.factories import RoomFactory
from partenaires.models import Partner
from partenaires.tests.factories import PartnerFactory

PARIS = ZoneInfo("Europe/Paris")


def next_tuesday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


@pytest.fixture
def lead_client(client_for):
    return client_for(Role.PROJECT_LEAD)


@pytest.fixture
def room(maison_langres):
    PartnerFactory(name="CAF de la Haute-Marne", slug="caf")
    CategoryFactory(name="Permanence", slug="permanence", kind="partner_permanence")
    return RoomFactory(maison=maison_langres, name="Salle des permanences", capacity=10)


def series_data(room, **changes):
    data = {
        "title": "Permanence CAF",
        "description": "",
        "maison": room.maison_id,
        "room": room.pk,
        "day": next_tuesday().isoformat(),
        "starts_at": "09:00",
        "ends_at": "12:00",
        "frequency": "weekly",
        "until": (next_tuesday() + datetime.timedelta(days=28)).isoformat(),
        "audience": "public",
        "status": "published",
        "organiser": "partner",
        "partner": Partner.objects.get(slug="caf").pk,
        "category": Category.objects.get(slug="permanence").pk,
    }
    return data | changes


def test_the_week_is_a_table_of_rooms_and_days_with_bounded_queries(
    lead_client, room, maison_langres, django_assert_max_num_queries
):
    monday = next_tuesday() - datetime.timedelta(days=1)
    other = RoomFactory(maison=maison_langres, name="Salle Diderot")
    for hour in range(8, 18):
        start = datetime.datetime.combine(monday + datetime.timedelta(days=hour % 5), datetime.time(hour), PARIS)
        OccupancyFactory(
            maison=maison_langres, room=room if hour % 2 else other, period=period(start), title=f"R{hour}"
        )
    with django_assert_max_num_queries(15):
        response = lead_client.get(f"/gestion/planning/?maison=langres&semaine={monday.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="col">Salle</th>' in html and '<th scope="row">Salle Diderot' in html
    assert html.count('class="planning__item ') == 10 and "R9" in html


def test_a_recurring_permanence_is_created_with_one_row_per_occurrence(lead_client, room):
    response = lead_client.post("/gestion/planning/evenements/nouveau/", series_data(room))
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == f"/gestion/planning/evenements/{event.pk}/"
    assert event.rrule.startswith("FREQ=WEEKLY;BYDAY=TU;UNTIL=")
    occurrences = event.occurrences.order_by("period")
    assert occurrences.count() == 5
    assert {o.kind for o in occurrences} == {OccupancyKind.PERMANENCE} and all(o.is_public for o in occurrences)
    assert {timezone.localtime(o.period.lower, PARIS).hour for o in occurrences} == {9}


def test_conflicts_are_shown_before_saving_then_skipped_on_request(lead_client, room, user_with_role):
    taken = next_tuesday() + datetime.timedelta(days=7)
    OccupancyFactory(
        maison=room.maison,
        room=room,
        kind=OccupancyKind.RESERVATION,
        holder=user_with_role(Role.ELECTED),
        title="Rencontre avec les habitants",
        period=period(datetime.datetime.combine(taken, datetime.time(10), PARIS)),
    )
    response = lead_client.post("/gestion/planning/evenements/nouveau/", series_data(room))
    html = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    assert "1 occurrence sur 5 tombe sur un créneau déjà pris" in html
    assert "« Rencontre avec les habitants »" in html
    response = lead_client.post("/gestion/planning/evenements/nouveau/", series_data(room, accept_conflicts="on"))
    assert response.status_code == 302
    assert Event.objects.get().occurrences.count() == 4


def test_form_refusals_in_words(lead_client, room):
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    html = lead_client.post("/gestion/planning/evenements/nouveau/", series_data(room, day=past)).content.decode()
    assert "Cette date est déjà passée" in html
    html = lead_client.post(
        "/gestion/planning/evenements/nouveau/", series_data(room, starts_at="12:00", ends_at="09:00")
    ).content.decode()
    assert "La fin doit suivre le début." in html
    html = lead_client.post(
        "/gestion/planning/evenements/nouveau/", series_data(room, frequency="", capacity=40)
    ).content.decode()
    assert "« Salle des permanences » accueille 10 personnes au plus." in html
    assert not Event.objects.exists()


def test_move_one_occurrence_then_cancel_this_and_the_following(lead_client, room):
    lead_client.post("/gestion/planning/evenements/nouveau/", series_data(room))
    event = Event.objects.get()
    first, second, third = list(event.occurrences.order_by("period"))[:3]
    day = timezone.localtime(second.period.lower, PARIS).date()
    response = lead_client.post(
        f"/gestion/planning/occurrences/{second.pk}/",
        {"move": "1", "day": day.isoformat(), "starts_at": "14:00", "ends_at": "16:00", "scope": "this"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert timezone.localtime(second.period.lower, PARIS).hour == 14 and second.sequence == 1
    response = lead_client.post(
        f"/gestion/planning/occurrences/{third.pk}/",
        {"cancel": "1", "reason": "Fin de la convention", "scope": "following"},
    )
    assert response.status_code == 302
    assert list(event.occurrences.order_by("period").values_list("status", flat=True)) == [
        OccupancyStatus.CONFIRMED,
        OccupancyStatus.CONFIRMED,
        OccupancyStatus.CANCELLED,
        OccupancyStatus.CANCELLED,
        OccupancyStatus.CANCELLED,
    ]
    assert Occupancy.objects.get(pk=third.pk).cancellation_reason == "Fin de la convention"


def test_duplicate_then_cancel_the_whole_event_with_a_public_reason(lead_client, room):
    lead_client.post("/gestion/planning/evenements/nouveau/", series_data(room, frequency=""))
    event = Event.objects.get()
    response = lead_client.get(f"/gestion/planning/evenements/{event.pk}/dupliquer/")
    assert "Permanence CAF (copie)" in response.content.decode()
    later = (next_tuesday() + datetime.timedelta(days=14)).isoformat()
    response = lead_client.post(
        f"/gestion/planning/evenements/{event.pk}/dupliquer/",
        series_data(room, frequency="", day=later, title="Permanence CAF (copie)"),
    )
    assert response.status_code == 302 and Event.objects.count() == 2
    occurrence = event.occurrences.get()
    lead_client.post(
        f"/gestion/planning/occurrences/{occurrence.pk}/",
        {"cancel": "1", "reason": "Intervenant absent", "scope": "all"},
    )
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancellation_reason == "Intervenant absent"
    assert event.occurrences.get().status == OccupancyStatus.CANCELLED
