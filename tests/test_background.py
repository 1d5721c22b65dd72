"""Celery: a real worker consumes the project's tasks from the real Redis broker; beat's schedule is in the DB."""

import datetime
import json

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from accounts.models import Invitation
from accounts.tasks import purge_expired_invitations_task
from accounts.tests.factories import InvitationFactory
from config.celery import app


@pytest.mark.django_db(transaction=True)
def test_real_worker_purges_expired_invitations(celery_worker_thread):
    long_expired = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(days=45))
    pending = InvitationFactory()
    result = purge_expired_invitations_task.apply_async(queue=celery_worker_thread, ignore_result=False)
    assert result.get(timeout=30) == 1
    assert list(Invitation.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not Invitation.objects.filter(pk=long_expired.pk).exists()


def test_tasks_are_acknowledged_late_with_time_limits():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.broker_url.startswith(("redis://", "redis+socket://"))


@pytest.mark.django_db(transaction=True)  # The scheduler closes stale connections, as beat does between ticks.
def test_beat_installs_the_nightly_purge_in_the_database_schedule():
    DatabaseScheduler(app=app, lazy=False).setup_schedule()
    task = PeriodicTask.objects.get(name="retention-invitations")  # One entry per rule of core/retention.py.
    assert task.task == "core.tasks.retention_purge_task"
    assert json.loads(task.args) == ["invitations"]
    assert task.crontab.hour == "3"
    assert task.enabled
