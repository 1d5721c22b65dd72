"""Referrals: consent recorded, the e-mail sent once by a real worker through real SMTP, the agent's follow-up,
and the retention of the visitor's personal data."""

import datetime

import pytest
from django.utils import timezone

from accounts.enums import Role
from accueil import consent
from accueil.models import Referral
from accueil.notifications import FOLLOW_UP, REFERRAL
from accueil.reference import reasons_sync
from accueil.tests.factories import ReferralFactory, VisitFactory
from core.tasks import retention_purge_task
from notifications.delivery import deliver
from notifications.models import Notification, State
from notifications.services import dispatch_due
from notifications.tasks import deliver_task
from partenaires.tests.factories import PartnerFactory
from tests.support import wait_until


@pytest.fixture
def agent(user_with_role, maison_langres):
    return user_with_role(Role.AGENT, maisons=[maison_langres], email="agent.langres@haute-marne.fr")


@pytest.mark.django_db(transaction=True)
def test_a_referral_is_mailed_once_by_the_worker(celery_worker_thread, smtp_inbox, client, agent, maison_langres):
    reasons_sync()
    partner = PartnerFactory(name="Caisse de retraite", email="accueil@retraite.example")
    visit = VisitFactory(maison=maison_langres, agent=agent, outcome="partenaire", partner=partner)
    client.force_login(agent)
    data = {
        "visitor_name": "Camille Martin",
        "visitor_contact": "06 12 34 56 78",
        "need": "Savoir où en est sa demande de retraite.",
        "follow_up_days": "7",
    }
    response = client.post(f"/accueil/visites/{visit.pk}/mise-en-relation/", data)
    assert "Sans l’accord" in response.content.decode() and not Referral.objects.exists()
    response = client.post(f"/accueil/visites/{visit.pk}/mise-en-relation/", data | {"consent": "on"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_version == consent.CURRENT_VERSION and referral.consent_text == consent.text()
    # The task queued on commit ran on the worker; running it again sends nothing.
    row = Notification.objects.get(kind=REFERRAL)
    result = deliver_task.apply_async(args=[row.pk], queue=celery_worker_thread, ignore_result=False)
    assert result.get(timeout=30) == "already_sent"
    referral.refresh_from_db()
    assert referral.sent_at is not None
    assert len(smtp_inbox.messages) == 1
    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["accueil@retraite.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Camille Martin" in body and "06 12 34 56 78" in body and "Camille Martin" in html
    assert "Maison du Département de Langres" in message["Subject"]


@pytest.mark.django_db(transaction=True)
def test_the_agent_is_reminded_once_when_the_follow_up_is_due(celery_worker_thread, smtp_inbox, agent, maison_langres):
    from accueil.notifications import referral_created

    due = ReferralFactory(visit__maison=maison_langres, visit__agent=agent, sent_at=timezone.now())
    later = ReferralFactory(visit__maison=maison_langres, visit__agent=agent, sent_at=timezone.now())
    for referral in (due, later):
        referral_created(referral)  # The follow-up waits in the ledger (the referral itself goes at once).
    assert wait_until(lambda: Notification.objects.filter(kind=REFERRAL, state=State.SENT).count() == 2)
    smtp_inbox.messages.clear()
    follow_ups = Notification.objects.filter(kind=FOLLOW_UP)
    assert {row.due_at for row in follow_ups} == {due.follow_up_at, later.follow_up_at}
    follow_ups.filter(object_id=due.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    assert dispatch_due() == {"queued": 1, "dropped": 0}
    assert wait_until(lambda: follow_ups.filter(state=State.SENT).count() == 1)
    assert dispatch_due() == {"queued": 0, "dropped": 0}  # Sent: never handed again.
    due.refresh_from_db()
    assert due.follow_up_sent_at is not None
    ((recipients, message),) = smtp_inbox.messages
    assert recipients == ["agent.langres@haute-marne.fr"]
    assert f"/accueil/mises-en-relation/{due.pk}/" in message.get_body(preferencelist=("plain",)).get_content()


def test_the_agent_records_the_answer(client, agent, maison_langres):
    referral = ReferralFactory(visit__maison=maison_langres, visit__agent=agent)
    client.force_login(agent)
    assert client.post(f"/accueil/mises-en-relation/{referral.pk}/", {"answer": "repondu"}).status_code == 302
    referral.refresh_from_db()
    assert referral.answer == "repondu" and referral.answered_at is not None


def test_a_referral_without_a_mailbox_is_refused(client, agent, maison_langres):
    visit = VisitFactory(maison=maison_langres, agent=agent, partner=PartnerFactory(email=""), outcome="partenaire")
    client.force_login(agent)
    data = {"consent": "on", "visitor_name": "A", "visitor_contact": "B", "need": "C", "follow_up_days": "2"}
    response = client.post(f"/accueil/visites/{visit.pk}/mise-en-relation/", data)
    assert "pas d’adresse électronique" in response.content.decode() and not Referral.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_referral_personal_data_is_erased_by_the_worker_past_the_delay(celery_worker_thread, settings, maison_langres):
    settings.VISIT_REFERRAL_RETENTION_DAYS = 92
    old = ReferralFactory(visit__maison=maison_langres)
    Referral.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=93))
    recent = ReferralFactory(visit__maison=maison_langres)
    result = retention_purge_task.apply_async(
        args=["visit-referrals"], queue=celery_worker_thread, ignore_result=False
    )
    assert result.get(timeout=30) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.visitor_name, old.visitor_contact, old.need) == ("", "", "") and old.personal_data_erased_at
    assert recent.visitor_name == "Camille Martin"


def test_an_erased_referral_is_never_sent(maison_langres, mailoutbox):
    from accueil.notifications import referral_created

    referral = ReferralFactory(visit__maison=maison_langres)
    referral_created(referral)
    referral.personal_data_erased_at = timezone.now()
    referral.save()
    row = Notification.objects.get(kind=REFERRAL)
    assert deliver(row.pk) == "cancelled" and mailoutbox == []
