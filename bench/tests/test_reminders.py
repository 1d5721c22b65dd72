"""The reminders benchmark (bench/reminders.py) on a small count: its worker (production settings, prefork pool of 2
processes) delivers each due reminder once to its capturing server, and the figures say so."""

import datetime

import pytest
from django.utils import timezone

from accounts.enums import Role
from bench import reminders
from events.tests.agenda_support import booking
from notifications.models import Notification
from tests.support import database_url_of_this_test
from tests.test_deploy import production_env


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_delivers_each_due_reminder_once_and_reports_it(maison_langres, user_with_role):
    official = user_with_role(Role.ELECTED, email="elu@example.fr")
    booking(maison_langres, timezone.now() + datetime.timedelta(days=2), official)
    figures = reminders.run(40, worker_env=production_env(DATABASE_URL=database_url_of_this_test()))
    assert figures["met"] is True
    assert (figures["received"], figures["distinct"], figures["duplicates"]) == (40, 40, 0)
    assert figures["states"] == {"sent": 40} and figures["queued"] == 40
    assert not Notification.objects.exists()  # The benchmark's rows are deleted.
    assert "40 courriels reçus sur 40 dus" in reminders.summary(figures)
