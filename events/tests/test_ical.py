"""The iCalendar feeds, read back with independent readers (icalendar, recurring-ical-events): exactly what each
audience may see, valid RFC 5545, local times kept across the daylight-saving changes."""

import datetime

import icalendar
import pytest
import recurring_ical_events
from django.utils import timezone

from events.enums import EventStatus, OccupancyStatus
from events.tests.agenda_support import PARIS, booking, internal_meeting, paris, public_event, weekly_permanence


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_of(cal) -> dict[str, icalendar.Event]:
    return {str(component["uid"]): component for component in cal.walk("VEVENT")}


@pytest.fixture
def season(maison_langres, maison_saint_dizier, user_with_role):
    from accounts.enums import Role

    soon = timezone.localtime() + datetime.timedelta(days=3)
    start = soon.replace(hour=14, minute=0, second=0, microsecond=0)
    official = user_with_role(Role.ELECTED, first_name="Claire", last_name="Élue")
    return {
        "workshop": public_event(maison_langres, start, title="Atelier CV"),
        "cancelled": public_event(
            maison_langres,
            start + datetime.timedelta(days=1),
            title="Conférence",
            status=EventStatus.CANCELLED,
            reason="Intervenant malade",
        ),
        "draft": public_event(maison_langres, start, title="Brouillon", status=EventStatus.DRAFT),
        "internal_event": public_event(maison_langres, start, title="Séminaire interne", audience="internal"),
        "meeting": internal_meeting(maison_langres, start),
        "booking": booking(maison_langres, start, official, purpose="Rencontre avec le maire"),
        "other_maison": public_event(maison_saint_dizier, start, title="Atelier à Saint-Dizier"),
        "long_ago": public_event(maison_langres, start - datetime.timedelta(days=60), title="Ancien atelier"),
        "far_ahead": public_event(maison_langres, start + datetime.timedelta(days=400), title="Trop loin"),
        "official": official,
    }


def test_the_public_feed_shows_public_events_and_nothing_else(client, season):
    cal = parse(client.get("/agenda.ics"))
    found = events_of(cal)
    assert set(found) == {season[key].uid for key in ("workshop", "cancelled", "other_maison")}
    text = client.get("/agenda.ics").content.decode()
    for secret in ("Rencontre avec le maire", "Claire", "Élue", "Séminaire interne", "Réunion d’équipe", "Brouillon"):
        assert secret not in text
    cancelled = found[season["cancelled"].uid]
    assert cancelled["status"] == "CANCELLED"
    assert "Intervenant malade" in str(cancelled["description"])
    workshop = found[season["workshop"].uid]
    assert workshop["status"] == "CONFIRMED"
    assert str(workshop["url"]).endswith(f"/agenda/{season['workshop'].slug}/")
    assert "Maison du Département de Langres" in str(workshop["location"])
    # RFC 5545: PRODID, VERSION, DTSTAMP and UID on each event; the Europe/Paris time zone described.
    assert cal["version"] == "2.0" and cal["prodid"]
    assert all("dtstamp" in event and "sequence" in event for event in found.values())
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_a_maison_feed_is_its_public_events_only(client, season):
    found = events_of(parse(client.get("/maisons/saint-dizier/agenda.ics")))
    assert set(found) == {season["other_maison"].uid}
    assert client.get("/maisons/inconnue/agenda.ics").status_code == 404


def test_sequence_follows_the_occurrence(client, season):
    workshop = season["workshop"]
    workshop.sequence = 3
    workshop.save()
    found = events_of(parse(client.get("/agenda.ics")))
    assert found[workshop.uid]["sequence"] == 3


def test_a_weekly_permanence_stays_at_ten_local_time_across_both_dst_changes(client, maison_langres, settings):
    # From early March to mid-November 2027: the clocks go forward on 28 March and back on 31 October.
    occurrences = weekly_permanence(maison_langres, paris(2027, 3, 1, 10), weeks=38)
    settings.PAGE_CACHE_ENABLED = False
    from events import ical

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ical, "window", lambda now=None: (paris(2027, 2, 1), paris(2027, 12, 31)))
        cal = parse(client.get("/agenda.ics"))
    assert len(events_of(cal)) == len(occurrences)
    starts = [
        event["DTSTART"].dt.astimezone(PARIS)
        for event in recurring_ical_events.of(cal).between(datetime.date(2027, 2, 1), datetime.date(2027, 12, 31))
    ]
    assert len(starts) == 38
    assert {(start.hour, start.minute) for start in starts} == {(10, 0)}
    march = [start for start in starts if start.month == 3]
    october_november = [start for start in starts if start.month in (10, 11)]
    assert {start.utcoffset() for start in march} == {datetime.timedelta(hours=1), datetime.timedelta(hours=2)}
    assert {start.utcoffset() for start in october_november} == {
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    }


def test_add_to_my_calendar_gives_the_one_occurrence(client, season):
    response = client.get(f"/agenda/{season['workshop'].slug}/evenement.ics")
    assert "attachment" in response["Content-Disposition"]
    assert set(events_of(parse(response))) == {season["workshop"].uid}
    assert client.get(f"/agenda/{season['draft'].slug}/evenement.ics").status_code == 404


@pytest.mark.parametrize("count", [5, 40])
def test_the_public_feed_runs_the_same_queries_whatever_the_number(
    client, maison_langres, count, django_assert_max_num_queries
):
    weekly_permanence(maison_langres, timezone.now() + datetime.timedelta(days=1), weeks=count)
    with django_assert_max_num_queries(3):
        response = client.get("/agenda.ics")
    assert len(events_of(parse(response))) == count


def test_pending_and_refused_bookings_read_as_tentative_and_cancelled():
    from events import ical

    class Fake:
        status = OccupancyStatus.PENDING

    assert ical._status(Fake) == "TENTATIVE"
    Fake.status = OccupancyStatus.REFUSED
    assert ical._status(Fake) == "CANCELLED"
