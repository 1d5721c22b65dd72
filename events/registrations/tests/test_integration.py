"""Registration mails through a real Celery worker and a real SMTP server; the form's rate limit in real Redis."""

import datetime
import re

import pytest
from celery.signals import after_task_publish
from django.utils import timezone

from config.celery import app as celery_app
from events.registrations.models import Registration
from events.tests.agenda_support import public_event


@pytest.fixture
def sent_tasks():
    """The ids of the tasks published from now on, to wait for their results (not for the clock)."""
    ids = []

    def published(sender=None, headers=None, **kwargs):
        ids.append(headers["id"])

    after_task_publish.connect(published, weak=False)
    yield ids
    after_task_publish.disconnect(published)


def wait_for(ids):
    for task_id in ids:
        celery_app.AsyncResult(task_id).get(timeout=30)
    ids.clear()


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_and_the_promotion_arrive_by_smtp(
    client, maison_langres, celery_worker_thread, smtp_inbox, sent_tasks
):
    occurrence = public_event(
        maison_langres, timezone.now() + datetime.timedelta(days=5), registration=True, capacity=1, waiting_list=True
    )
    for email in ("premiere@example.fr", "second@example.fr"):
        client.post(f"/agenda/{occurrence.slug}/inscription/", {"name": "Dominique", "email": email, "consent": "on"})
    wait_for(sent_tasks)
    by_recipient = {recipients[0]: message for recipients, message in smtp_inbox.messages}
    assert set(by_recipient) == {"premiere@example.fr", "second@example.fr"}
    assert "Liste d’attente" in by_recipient["second@example.fr"]["Subject"]
    confirmation = by_recipient["premiere@example.fr"]
    assert "Inscription confirmée" in confirmation["Subject"]
    body = confirmation.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/agenda/annulation/\S+/)", body).group(1)
    attachment = next(confirmation.iter_attachments())
    assert attachment.get_filename() == "evenement.ics"
    content = attachment.get_content()
    assert occurrence.uid in (content.decode() if isinstance(content, bytes) else content)

    smtp_inbox.messages.clear()
    client.post(link)
    wait_for(sent_tasks)
    assert Registration.objects.get(email="second@example.fr").status == "confirmed"
    # Django folds a long encoded subject after « Subject: »; the parser keeps that fold's space, mail readers drop it.
    assert [(r, m["Subject"].strip()) for r, m in smtp_inbox.messages] == [
        (["second@example.fr"], f"[Maisons du Département] Une place s’est libérée : {occurrence.title}")
    ]


@pytest.mark.django_db(transaction=True)
def test_the_registration_form_is_rate_limited_in_redis(client, maison_langres, settings, redis_cache):
    settings.ACCOUNT_RATE_LIMITS = settings.PRODUCTION_ACCOUNT_RATE_LIMITS
    assert settings.ACCOUNT_RATE_LIMITS["event_registration"] == "10/m/ip,5/h/key"
    occurrence = public_event(
        maison_langres, timezone.now() + datetime.timedelta(days=5), registration=True, capacity=100
    )
    statuses = [
        client.post(
            f"/agenda/{occurrence.slug}/inscription/",
            {"name": "Robot", "email": f"r{n}@example.fr", "consent": "on"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        ).status_code
        for n in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2
    assert Registration.objects.count() == 10
    # Another client is not held back by the first.
    other = client.post(
        f"/agenda/{occurrence.slug}/inscription/",
        {"name": "Humain", "email": "humain@example.fr", "consent": "on"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302
