"""Every retention rule: rows past the delay are erased or anonymised, rows within it stay; each runs nightly."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.admin.models import ADDITION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import Invitation
from accounts.tests.factories import InvitationFactory, UserFactory
from accueil.models import Motif, Visit
from accueil.tests.factories import VisitFactory
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent
from core import retention
from core.tasks import retention_purge_task
from partenaires.models import Partner

DAY = datetime.timedelta(days=1)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def motif():
    return Motif.objects.create(label="Aide à domicile")


def visit(maison, motif, *, days: float, **kwargs) -> Visit:
    return VisitFactory(maison=maison, motifs=[motif], occurred_at=days_ago(days), **kwargs)


def test_every_rule_runs_nightly_from_the_beat_schedule():
    scheduled = {
        entry["args"][0]: entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "core.tasks.retention_purge_task"
    }
    assert set(scheduled) == {rule.key for rule in retention.rules()}
    for entry in scheduled.values():
        assert entry["schedule"].hour == {3}  # Nightly, at a quiet hour.


def test_the_expected_rules_are_registered():
    assert {rule.key for rule in retention.rules()} == {
        "visit-notes",
        "visit-history",
        "visit-agents",
        "invitations",
        "security-journal",
        "audit-log",
        "sessions",
        "partner-contacts",
        "event-registrations",
        "partner-verifications",
        "visit-referrals",
        "visit-deleted",
        "partner-imports",
        "notifications",
    }
    for rule in retention.rules():
        assert isinstance(getattr(settings, rule.setting), int)


def test_visit_notes_are_emptied_past_the_delay(settings, maison_langres, motif):
    settings.VISIT_NOTE_RETENTION_DAYS = 30
    old = visit(maison_langres, motif, days=31, note="Rappeler la CAF")
    recent = visit(maison_langres, motif, days=29, note="Dossier à compléter")
    assert retention_purge_task("visit-notes") == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.note == "" and Visit.objects.filter(pk=old.pk).exists()  # The visit stays for statistics.
    assert recent.note == "Dossier à compléter"


def test_visit_history_goes_with_the_notes(settings, maison_langres, motif):
    settings.VISIT_NOTE_RETENTION_DAYS = 30
    old = visit(maison_langres, motif, days=40)
    recent = visit(maison_langres, motif, days=1)
    LogEntry.objects.get_for_object(old).update(timestamp=days_ago(31))
    partner = Partner.objects.create(name="MSA", slug="msa")
    LogEntry.objects.get_for_object(partner).update(timestamp=days_ago(31))  # Other histories keep their delay.
    admin_user = UserFactory()
    AdminLogEntry.objects.log_actions(user_id=admin_user.pk, queryset=[old, recent, partner], action_flag=ADDITION)
    AdminLogEntry.objects.update(action_time=days_ago(31))
    assert retention_purge_task("visit-history") == 3  # auditlog's entry and the administration's two.
    assert list(AdminLogEntry.objects.values_list("object_repr", flat=True)) == ["MSA"]
    assert not LogEntry.objects.get_for_object(old).exists()
    assert LogEntry.objects.get_for_object(recent).exists()
    assert LogEntry.objects.get_for_object(partner).exists()


def test_visits_are_detached_from_their_agent_past_the_delay(settings, maison_langres, motif):
    settings.VISIT_AGENT_RETENTION_DAYS = 365
    agent = UserFactory()
    old = visit(maison_langres, motif, days=366, agent=agent)
    recent = visit(maison_langres, motif, days=364, agent=agent)
    assert retention_purge_task("visit-agents") == 1
    assert Visit.objects.get(pk=old.pk).agent is None
    assert Visit.objects.get(pk=recent.pk).agent == agent


def test_expired_invitations_are_deleted_past_the_delay(settings):
    settings.INVITATION_RETENTION_DAYS = 30
    long_expired = InvitationFactory(expires_at=days_ago(31))
    recently_expired = InvitationFactory(expires_at=days_ago(29))
    pending = InvitationFactory()
    assert retention_purge_task("invitations") == 1
    assert set(Invitation.objects.values_list("pk", flat=True)) == {recently_expired.pk, pending.pk}
    assert not Invitation.objects.filter(pk=long_expired.pk).exists()


def test_security_journal_is_deleted_past_the_delay(settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 365
    old = SecurityEvent.objects.create(
        kind=SecurityEventKind.LOGIN_FAILED, identifier="x@y.fr", occurred_at=days_ago(366)
    )
    recent = SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN, identifier="x@y.fr", occurred_at=days_ago(364))
    assert retention_purge_task("security-journal") == 1
    assert list(SecurityEvent.objects.filter(pk__in=[old.pk, recent.pk])) == [recent]


def test_audit_log_is_deleted_past_the_delay(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 1825
    old = Partner.objects.create(name="CAF", slug="caf")
    recent = Partner.objects.create(name="CPAM", slug="cpam")
    LogEntry.objects.get_for_object(old).update(timestamp=days_ago(1826))
    LogEntry.objects.get_for_object(recent).update(timestamp=days_ago(1824))
    admin_user = UserFactory()
    AdminLogEntry.objects.log_actions(user_id=admin_user.pk, queryset=[old], action_flag=ADDITION)
    AdminLogEntry.objects.update(action_time=days_ago(1826))
    purged = retention_purge_task("audit-log")
    assert not LogEntry.objects.get_for_object(old).exists()
    assert LogEntry.objects.get_for_object(recent).exists()
    assert not AdminLogEntry.objects.exists()
    assert purged >= 2


def test_expired_sessions_are_deleted(client):
    user = UserFactory()
    client.force_login(user)
    live_key = client.session.session_key
    Session.objects.create(session_key="expiree", session_data="", expire_date=timezone.now() - DAY)
    UserSession.objects.create(user=user, ip="192.0.2.1", session_key="expiree", user_agent="Firefox")
    UserSession.objects.create(user=user, ip="192.0.2.1", session_key=live_key, user_agent="Firefox")
    assert retention_purge_task("sessions") == 2  # The session row, and allauth's record of it.
    assert list(Session.objects.values_list("session_key", flat=True)) == [live_key]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live_key]


def test_a_rule_follows_its_setting(settings, maison_langres, motif):
    kept = visit(maison_langres, motif, days=10, note="À rappeler")
    settings.VISIT_NOTE_RETENTION_DAYS = 11
    assert retention.purge("visit-notes") == 0
    settings.VISIT_NOTE_RETENTION_DAYS = 9
    assert retention.purge("visit-notes") == 1
    kept.refresh_from_db()
    assert kept.note == ""


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_applies_a_rule(celery_worker_thread, maison_langres):
    motif = Motif.objects.create(label="Permis de conduire")
    old = visit(maison_langres, motif, days=settings.VISIT_NOTE_RETENTION_DAYS + 1, note="Rappeler")
    result = retention_purge_task.apply_async(args=["visit-notes"], queue=celery_worker_thread, ignore_result=False)
    assert result.get(timeout=30) == 1
    old.refresh_from_db()
    assert old.note == ""


def test_an_unknown_rule_is_an_error():
    with pytest.raises(LookupError):
        retention.purge("inscriptions")


@pytest.mark.parametrize(
    ("delay", "words"),
    [
        (datetime.timedelta(days=30), "30 jours"),
        (datetime.timedelta(days=1), "1 jour"),
        (datetime.timedelta(days=365), "1 an"),
        (datetime.timedelta(days=1825), "5 ans"),
        (datetime.timedelta(hours=12), "12 heures"),
        (datetime.timedelta(minutes=90), "90 minutes"),
    ],
)
def test_delays_in_words(delay, words):
    assert retention.duration_in_words(delay) == words


def test_two_rules_cannot_share_a_key():
    from django.core.exceptions import ImproperlyConfigured

    existing = retention.get("visit-notes")
    with pytest.raises(ImproperlyConfigured):
        retention.register(retention.RetentionRule(**{**existing.__dict__, "data": "Autre chose"}))
