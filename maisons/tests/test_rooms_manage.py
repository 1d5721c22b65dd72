"""The project lead's room settings and blocked periods (/gestion/salles/)."""

import datetime

from django.utils import timezone

from accounts.enums import Role
from maisons.enums import OutsideHours
from maisons.models import RoomBlock
from maisons.tests.factories import RoomBlockFactory, RoomFactory


def test_rooms_list_shows_settings_and_coming_blocks(client_for, maison_langres, django_assert_max_num_queries):
    client = client_for(Role.PROJECT_LEAD)
    for index in range(6):
        room = RoomFactory(maison=maison_langres, requires_approval=index % 2 == 0)
        RoomBlockFactory(room=room, reason=f"Travaux {index}")
    RoomBlockFactory(
        room=room,
        reason="Passée",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.get("/comptes/")
    with django_assert_max_num_queries(10):
        html = client.get("/gestion/salles/").content.decode()
    assert "Travaux 5" in html and "Passée" not in html
    assert "oui, réponse sous 72 h" in html


def test_project_lead_changes_a_rooms_booking_settings(client_for, maison_langres):
    room = RoomFactory(maison=maison_langres, capacity=12)
    client = client_for(Role.PROJECT_LEAD)
    response = client.post(
        f"/gestion/salles/{room.pk}/",
        {
            "capacity": "20",
            "is_active": "on",
            "requires_approval": "on",
            "approval_delay": "48",
            "booking_horizon_days": "90",
            "outside_hours": OutsideHours.WARN,
        },
        follow=True,
    )
    assert "Les réglages de réservation de la salle" in response.content.decode()
    room.refresh_from_db()
    assert (room.capacity, room.requires_approval, room.approval_delay, room.booking_horizon_days) == (
        20,
        True,
        48,
        90,
    )
    assert room.outside_hours == OutsideHours.WARN


def test_settings_are_validated_in_french(client_for, maison_langres):
    room = RoomFactory(maison=maison_langres)
    response = client_for(Role.PROJECT_LEAD).post(
        f"/gestion/salles/{room.pk}/",
        {"capacity": "0", "approval_delay": "0", "booking_horizon_days": "5000", "outside_hours": "jamais"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in html
    assert "Sélectionnez un choix valide" in html


def test_project_lead_blocks_a_room_then_lifts_the_block(client_for, maison_langres):
    room = RoomFactory(maison=maison_langres, name="Salle Diderot")
    client = client_for(Role.PROJECT_LEAD)
    response = client.post(
        f"/gestion/salles/{room.pk}/indisponibilites/",
        {"block-starts_at": "2031-03-03T08:00", "block-ends_at": "2031-03-06T18:00", "block-reason": "Travaux"},
        follow=True,
    )
    html = response.content.decode()
    assert "est indisponible du lundi 3 mars à 8 h 00 au jeudi 6 mars 2031 à 18 h 00" in html
    block = RoomBlock.objects.get(room=room)
    assert timezone.localtime(block.starts_at).hour == 8  # Entered in Paris time.
    response = client.post(f"/gestion/salles/{room.pk}/indisponibilites/{block.pk}/lever/", follow=True)
    assert "est levée" in response.content.decode()
    assert not RoomBlock.objects.exists()


def test_a_block_must_end_after_it_starts(client_for, maison_langres):
    room = RoomFactory(maison=maison_langres)
    response = client_for(Role.PROJECT_LEAD).post(
        f"/gestion/salles/{room.pk}/indisponibilites/",
        {"block-starts_at": "2031-03-02T08:00", "block-ends_at": "2031-03-02T08:00", "block-reason": "Travaux"},
    )
    assert "La fin de l’indisponibilité doit suivre son début." in response.content.decode()
    assert not RoomBlock.objects.exists()


def test_a_block_is_lifted_only_through_its_own_room(client_for, maison_langres):
    block = RoomBlockFactory()
    other_room = RoomFactory(maison=maison_langres)
    response = client_for(Role.PROJECT_LEAD).post(
        f"/gestion/salles/{other_room.pk}/indisponibilites/{block.pk}/lever/"
    )
    assert response.status_code == 404
    assert RoomBlock.objects.filter(pk=block.pk).exists()
