from maisons.models import Room


def test_administrator_ticks_room_equipment(admin_client, maison_langres):
    response = admin_client.get("/admin/maisons/room/add/")
    assert 'type="checkbox" name="equipment" value="hearing_loop"' in response.content.decode()
    response = admin_client.post(
        "/admin/maisons/room/add/",
        {"maison": maison_langres.pk, "name": "Salle Diderot", "capacity": 40, "equipment": ["projector", "wifi"]},
    )
    assert response.status_code == 302
    room = Room.objects.get(name="Salle Diderot")
    assert room.equipment == ["projector", "wifi"]
    assert room.get_equipment_display() == ["vidéoprojecteur", "wifi"]


def test_room_form_refuses_unknown_equipment_and_zero_capacity(admin_client, maison_langres):
    response = admin_client.post(
        "/admin/maisons/room/add/",
        {"maison": maison_langres.pk, "name": "Salle", "capacity": 0, "equipment": ["jacuzzi"]},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sélectionnez un choix valide. jacuzzi n’en fait pas partie." in html
    assert "supérieure ou égale à 1" in html
    assert not Room.objects.exists()
