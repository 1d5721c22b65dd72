"""The public feeds from the shared cache (issue 9's benchmark: writing /agenda.ics's 800 VEVENTs took 1.1 s), with
the real Redis: each VEVENT's bytes are reused, byte for byte what `icalendar` writes, and the whole document is
kept under the page cache's generation; a change shows at once."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from events import agenda, ical
from events.enums import EventStatus
from events.models import Occupancy
from events.tests.agenda_support import public_event

NAME = "Agenda des Maisons du Département"


@pytest.fixture
def occurrences(maison_langres, maison_saint_dizier):
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    made = [
        public_event(maison_langres, start, title="Atelier CV"),
        public_event(maison_langres, start + datetime.timedelta(days=1), title="Sans salle", room=False),
        public_event(
            maison_saint_dizier,
            start + datetime.timedelta(days=2),
            title="Conférence",
            status=EventStatus.CANCELLED,
            reason="Intervenant malade",
        ),
        public_event(maison_saint_dizier, start + datetime.timedelta(days=4), title="Journée portes ouvertes"),
    ]
    Occupancy.objects.filter(pk=made[-1].pk).update(all_day=True)
    return made


def public_feed():
    start, end = ical.window()
    return list(agenda.overlapping(agenda.public_occurrences(), start, end))


def test_the_cached_vevents_make_the_same_bytes_as_icalendar(redis_cache, occurrences):
    feed = public_feed()
    assert len(feed) == 4
    written = ical.document(feed, name=NAME, audience=ical.Audience.PUBLIC)
    assert ical.calendar(feed, name=NAME, audience=ical.Audience.PUBLIC) == written  # Nothing cached yet.
    assert ical.calendar(feed, name=NAME, audience=ical.Audience.PUBLIC) == written  # Every VEVENT from the cache.
    assert b"BEGIN:VTIMEZONE" in written and written.count(b"BEGIN:VEVENT") == 4
    # The feeds read plain values, not model instances: the same bytes.
    start, end = ical.window()
    rows = ical.public_rows(agenda.overlapping(agenda.public_occurrences(), start, end))
    assert ical.calendar(rows, name=NAME, audience=ical.Audience.PUBLIC) == written
    all_day = [occurrence for occurrence in feed if occurrence.all_day]
    assert ical.calendar(all_day, name=NAME, audience=ical.Audience.PUBLIC) == ical.document(
        all_day, name=NAME, audience=ical.Audience.PUBLIC
    )  # No time zone to write then.
    assert ical.calendar([], name=NAME, audience=ical.Audience.PUBLIC) == ical.document(
        [], name=NAME, audience=ical.Audience.PUBLIC
    )


def test_a_vevent_changes_with_its_occurrence_and_what_it_shows_of_its_maison(redis_cache, occurrences):
    ical.calendar(public_feed(), name=NAME, audience=ical.Audience.PUBLIC)
    workshop = occurrences[0]
    # Not through save(): the occurrence's own change stamp and sequence stay as they were.
    Occupancy.objects.filter(pk=workshop.pk).update(title="Atelier lettre de motivation")
    workshop.maison.__class__.objects.filter(pk=workshop.maison_id).update(address="1 place Diderot")
    feed = public_feed()
    document = ical.calendar(feed, name=NAME, audience=ical.Audience.PUBLIC)
    assert document == ical.document(feed, name=NAME, audience=ical.Audience.PUBLIC)
    text = document.decode()
    assert "SUMMARY:Atelier lettre de motivation" in text and "SUMMARY:Atelier CV" not in text
    assert "1 place Diderot" in text.replace("\r\n ", "")


def test_the_feed_is_kept_whole_and_shows_a_change_at_once(
    redis_cache, settings, occurrences, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    reader = Client()
    reader.cookies["lecteur"] = "1"  # Not an anonymous reader's request: the page cache lets it through.
    first = reader.get("/agenda.ics")
    assert first.status_code == 200 and "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        assert reader.get("/agenda.ics").content == first.content
    workshop = occurrences[0]
    with django_capture_on_commit_callbacks(execute=True):  # As the request that changes it would commit.
        workshop.title = "Atelier lettre de motivation"
        workshop.save()
    text = reader.get("/agenda.ics").content.decode()
    assert "SUMMARY:Atelier lettre de motivation" in text and "SUMMARY:Atelier CV" not in text
    maison_feed = f"/maisons/{workshop.maison.slug}/agenda.ics"
    assert "Atelier lettre de motivation" in reader.get(maison_feed).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Occupancy.objects.get(pk=occurrences[1].pk).delete()
    assert "Sans salle" not in reader.get(maison_feed).content.decode()
    assert reader.get("/maisons/inconnue/agenda.ics").status_code == 404
