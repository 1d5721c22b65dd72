from maisons.models import Room

# What the add form sends besides the fields under test: the booking settings' defaults and the empty inline of
# blocked periods.
ROOM_DEFAULTS = {
    "approval_delay": 48,
    "booking_horizon_days": 365,
    "outside_hours": "refuse",
    "blocks-TOTAL_FORMS": 0,
    "blocks-INITIAL_FORMS": 0,
}


def test_administrator_ticks_room_equipment(admin_client, maison_langres):
    response = admin_client.get("/admin/maisons/room/add/")
    assert 'type="checkbox" name="equipment" value="hearing_loop"' in response.content.decode()
    response = admin_client.post(
        "/admin/maisons/room/add/",
        {"maison": maison_langres.pk, "name": "Salle Diderot", "capacity": 40, "equipment": ["projector", "wifi"]}
        | ROOM_DEFAULTS,
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


def _inline_formset(inline_class, user, maison, rows, rf):
    from django.contrib import admin

    from maisons.models import Maison

    inline = inline_class(Maison, admin.site)
    request = rf.get("/")
    request.user = user
    formset_class = inline.get_formset(request, maison)
    prefix = formset_class.get_default_prefix()
    existing = list(formset_class(instance=maison).get_queryset())
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        if index < len(existing):
            data[f"{prefix}-{index}-id"] = str(existing[index].pk)
        data |= {f"{prefix}-{index}-{key}": value for key, value in row.items()}
    return formset_class(data, instance=maison, prefix=prefix)


def test_admin_hours_refuse_overlapping_ranges_in_french(rf, admin_user):
    from maisons.admin import OpeningHoursInline
    from maisons.tests.factories import MaisonFactory, OpeningHoursFactory

    maison = MaisonFactory()
    OpeningHoursFactory(maison=maison, weekday=0)  # Monday 9 h – 12 h.
    monday = {"weekday": "0", "opens_at": "09:00", "closes_at": "12:00"}
    formset = _inline_formset(
        OpeningHoursInline,
        admin_user,
        maison,
        [
            monday,
            {"weekday": "5", "opens_at": "09:00", "closes_at": "12:00"},
            {"weekday": "5", "opens_at": "11:00", "closes_at": "13:00"},
        ],
        rf,
    )
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "Deux plages du samedi se chevauchent : 9 h 00 – 12 h 00 et 11 h 00 – 13 h 00. Corrigez l’une des deux."
    ]
    # Against a range already saved.
    formset = _inline_formset(
        OpeningHoursInline,
        admin_user,
        maison,
        [monday, {"weekday": "0", "opens_at": "11:30", "closes_at": "14:00"}],
        rf,
    )
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "Deux plages du lundi se chevauchent : 9 h 00 – 12 h 00 et 11 h 30 – 14 h 00. Corrigez l’une des deux."
    ]
    # A range that ends before it starts.
    formset = _inline_formset(
        OpeningHoursInline,
        admin_user,
        maison,
        [monday, {"weekday": "2", "opens_at": "14:00", "closes_at": "09:00"}],
        rf,
    )
    assert not formset.is_valid()
    assert "L’heure de fermeture doit suivre l’heure d’ouverture." in str(formset.errors)


def test_admin_closures_refuse_overlaps_and_accept_a_partial_day(rf, admin_user):
    from maisons.admin import ExceptionalClosureInline
    from maisons.models import ExceptionalClosure
    from maisons.tests.factories import MaisonFactory

    maison = MaisonFactory()
    holidays = {"start_date": "2026-12-24", "end_date": "2026-12-26", "reason": "Fêtes"}
    meeting = {
        "start_date": "2026-12-26",
        "start_time": "09:00",
        "end_date": "2026-12-26",
        "end_time": "10:00",
        "reason": "Réunion",
    }
    formset = _inline_formset(ExceptionalClosureInline, admin_user, maison, [holidays, meeting], rf)
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "Deux fermetures se chevauchent : « Fêtes » (du jeudi 24 décembre au samedi 26 décembre 2026) et "
        "« Réunion » (le samedi 26 décembre 2026 de 9 h 00 à 10 h 00)."
    ]
    meeting |= {"start_date": "2026-12-28", "end_date": "2026-12-28"}
    formset = _inline_formset(ExceptionalClosureInline, admin_user, maison, [holidays, meeting], rf)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert ExceptionalClosure.objects.filter(maison=maison, start_time__isnull=False).count() == 1
