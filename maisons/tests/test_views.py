import datetime
import io
import json
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage

from core import pagecache
from maisons import sections
from maisons.models import MaisonPhoto
from maisons.services import maison_photo_add
from maisons.tests.factories import ExceptionalClosureFactory, MaisonFactory, OpeningHoursFactory, RoomFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def jpeg_file(name="facade.jpg", size=(1200, 800), color=(120, 140, 170)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's clock (`django.utils.timezone.now`) to an aware moment."""
    return lambda moment: monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))


def text(html: str) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",")


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_maison_page_shows_hours_closures_rooms_and_access(client, maison_langres):
    maison_langres.accessibility = "Entrée de plain-pied."
    maison_langres.save()
    ExceptionalClosureFactory(maison=maison_langres, reason="Inventaire", start_date=timezone.localdate())
    RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=40)
    RoomFactory(maison=maison_langres, name="Salle fermée", is_active=False)
    html = text(client.get("/maisons/langres/").content.decode())
    assert "Horaires d’ouverture" in html
    assert "8 h 30 – 12 h 00, 13 h 30 – 17 h 00" in html
    assert "Inventaire" in html
    assert "Fermée — ouvre" in html  # Closed today whatever the hour.
    assert "Aujourd’hui : Inventaire." in html
    assert "Salle Diderot : 40 personnes, accès de plain-pied" in html
    assert "Salle fermée" not in html
    assert "Entrée de plain-pied." in html


def test_status_in_words_on_the_page(client, maison_langres, clock):
    clock(datetime.datetime(2026, 12, 4, 18, 0, tzinfo=PARIS))  # A Friday evening.
    html = client.get("/maisons/langres/").content.decode()
    assert "Fermée — ouvre lundi à 8 h 30" in html
    clock(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS))
    html = client.get("/maisons/langres/").content.decode()
    assert "Ouverte — ferme à 12 h 00" in html


def test_the_hours_table_marks_today(client, maison_langres, clock):
    clock(datetime.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS))  # A Saturday.
    html = client.get("/maisons/langres/").content.decode()
    row = re.search(r'<tr class="hours__today" aria-current="date">(.*?)</tr>', html, re.S)
    assert row, "today's row is not marked"
    assert text(row.group(1)).strip() == "Samedi (aujourd’hui) Fermé"
    assert html.count('aria-current="date"') == 2  # The weekly table and the week ahead.


def test_week_ahead_names_holidays_and_closures(client, maison_langres, clock):
    clock(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=PARIS))
    ExceptionalClosureFactory(
        maison=maison_langres,
        start_date=datetime.date(2026, 12, 23),
        end_date=datetime.date(2026, 12, 23),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 0),
        reason="Réunion d’équipe",
    )
    html = text(client.get("/maisons/langres/").content.decode())
    week = html[html.index("La semaine à venir") :]
    assert "Lundi 21 décembre (aujourd’hui)" in week
    assert "Jour férié : Noël" in week
    assert "Fermeture exceptionnelle de 8 h 30 à 10 h 00 : Réunion d’équipe" in week
    assert "10 h 00 – 12 h 00, 13 h 30 – 17 h 00" in week
    assert "Dimanche 27 décembre" in week and "Lundi 28 décembre" not in week


def test_map_is_a_plain_link_to_openstreetmap(client, maison_langres):
    html = client.get("/maisons/langres/").content.decode()
    assert 'href="https://www.openstreetmap.org/?mlat=48.111111&amp;mlon=5.139444#map=17/48.111111/5.139444"' in html
    assert "sur le plan OpenStreetMap (site externe)" in html
    assert "52200 Langres" in html
    # Nothing is loaded from elsewhere: no frame, no script nor image from another host.
    assert "<iframe" not in html
    assert not re.search(r'<(script|img|link)[^>]+(src|href)="https?://', html)


def test_json_ld_describes_the_office(client, maison_langres, clock):
    clock(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=PARIS))
    ExceptionalClosureFactory(
        maison=maison_langres, start_date=datetime.date(2026, 12, 28), end_date=datetime.date(2026, 12, 31)
    )
    ExceptionalClosureFactory(
        maison=maison_langres,
        start_date=datetime.date(2026, 12, 22),
        end_date=datetime.date(2026, 12, 22),
        start_time=datetime.time(14, 0),
        reason="Formation",
    )
    data = json_ld(client.get("/maisons/langres/").content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentOffice"
    assert data["name"] == "Maison du Département de Langres"
    assert data["url"].endswith("/maisons/langres/")
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 rue de la République",
        "postalCode": "52200",
        "addressLocality": "Langres",
        "addressCountry": "FR",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.111111, "longitude": 5.139444}
    assert data["telephone"] == "03 25 00 00 00"
    assert data["email"] == "langres@haute-marne.fr"
    monday = [spec for spec in data["openingHoursSpecification"] if spec["dayOfWeek"].endswith("Monday")]
    assert [(spec["opens"], spec["closes"]) for spec in monday] == [("08:30", "12:00"), ("13:30", "17:00")]
    assert len(data["openingHoursSpecification"]) == 10
    special = {
        (s["validFrom"], s["validThrough"], s["opens"], s["closes"]) for s in data["specialOpeningHoursSpecification"]
    }
    assert ("2026-12-22", "2026-12-22", "08:30", "12:00") in special  # The afternoon is closed for training.
    assert ("2026-12-22", "2026-12-22", "13:30", "14:00") in special
    assert ("2026-12-25", "2026-12-25", "00:00", "00:00") in special  # Christmas.
    # Four closed days then New Year's Day: one specification.
    assert ("2026-12-28", "2027-01-01", "00:00", "00:00") in special
    assert len(special) == 4


def test_json_ld_is_escaped_against_closing_the_script(client, maison_langres):
    maison_langres.description = "Bienvenue </script><script>alert(1)</script> & <!-- à bientôt"
    maison_langres.save()
    html = client.get("/maisons/langres/").content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    assert json_ld(html)["description"] == maison_langres.description


def test_photos_are_served_as_renditions_with_their_alternative_text(client, maison_langres):
    maison_photo_add(maison=maison_langres, file=jpeg_file(), alt_text="Façade de la Maison", is_decorative=False)
    maison_photo_add(maison=maison_langres, file=jpeg_file("deco.png"), alt_text="", is_decorative=True)
    html = client.get("/maisons/langres/").content.decode()
    assert html.count("<picture") == 2
    assert 'alt="Façade de la Maison"' in html
    assert 'alt=""' in html
    assert "image/webp" in html
    assert "original_images" not in html  # Renditions only, never the uploaded file.
    assert "facade" not in html  # Stored under a name of the portal's own.


def test_maison_page_query_count_does_not_grow_with_data(client, django_assert_max_num_queries):
    def build(maison, n):
        for i in range(n):
            OpeningHoursFactory(
                maison=maison,
                weekday=i % 7,
                opens_at=datetime.time(6 + i // 7, 0),
                closes_at=datetime.time(6 + i // 7, 30),
            )
            ExceptionalClosureFactory(maison=maison, start_date=timezone.localdate() + datetime.timedelta(days=3 * i))
            RoomFactory(maison=maison)
            maison_photo_add(maison=maison, file=jpeg_file(size=(80, 50)), alt_text=f"Photo {i}", is_decorative=False)

    small, large = MaisonFactory(slug="petite"), MaisonFactory(slug="grande")
    build(small, 1)
    build(large, 12)
    # The Maison, its hours, closures, rooms, photos and their renditions, the next events, the partners'
    # permanences (events/public.py: a query each), and on the first page the layout's menu and accessibility
    # statement, cached afterwards.
    for maison in (small, large):
        with django_assert_max_num_queries(10):
            response = client.get(maison.get_absolute_url())
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        client.get(large.get_absolute_url())


def test_registered_sections_are_shown_only_with_content(client, maison_langres):
    content = {"langres": ["Permanence de la CAF, mardi 9 h – 12 h"]}
    sections.register(
        sections.Section(
            "test-permanences",
            "Permanences de la semaine",
            provider=lambda maison, today: content.get(maison.slug, []),
        )
    )
    try:
        html = client.get("/maisons/langres/").content.decode()
        assert '<h2 id="section-test-permanences-title">Permanences de la semaine</h2>' in html
        assert "Permanence de la CAF, mardi 9 h – 12 h" in html
        content["langres"] = []
        assert "Permanences de la semaine" not in client.get("/maisons/langres/").content.decode()
    finally:
        sections.unregister("test-permanences")


@pytest.mark.parametrize(
    "change",
    [
        lambda maison: maison.save(),
        lambda maison: OpeningHoursFactory(maison=maison, weekday=5),
        lambda maison: maison.opening_hours.first().delete(),
        lambda maison: ExceptionalClosureFactory(maison=maison),
        lambda maison: RoomFactory(maison=maison),
        lambda maison: maison_photo_add(maison=maison, file=jpeg_file(), alt_text="Façade", is_decorative=False),
        lambda maison: MaisonPhoto.objects.filter(maison=maison).delete(),
    ],
    ids=["maison", "hours", "hours deleted", "closure", "room", "photo", "photo deleted"],
)
def test_changes_make_the_public_pages_stale(maison_langres, change, django_capture_on_commit_callbacks):
    maison_photo_add(maison=maison_langres, file=jpeg_file(), alt_text="Entrée", is_decorative=False)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        change(maison_langres)
    assert pagecache.generation() != before


@pytest.mark.parametrize("url", ["/maisons/inconnue/", "/page-inexistante/"])
def test_unknown_pages_answer_404_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_unpublished_maison_is_not_found(client):
    MaisonFactory(slug="brouillon", is_published=False)
    assert client.get("/maisons/brouillon/").status_code == 404


def test_anonymous_maison_page_sets_no_cookie(client, maison_langres):
    # Private by default: no cookie for anonymous readers, so no cookie banner is needed.
    response = client.get("/maisons/langres/")
    assert response.cookies == {}
