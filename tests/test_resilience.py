"""Robustness (issue 5): a web process killed during a write and a worker killed during a batch lose nothing.

Both run what production runs, as subprocesses with the production settings (tests/test_deploy.py): the image's
gunicorn command, the compose file's worker command, on this test's database and the real Redis. The test holds a
PostgreSQL lock on the table the write goes to, so that the request, or one task of the batch, waits deterministically
inside its transaction; then the process is killed with SIGKILL (no chance to clean up), the lock released, and the
outcome read from the database, the SMTP server and the broker:

- web, the gunicorn worker killed (its master starts another) or the whole server killed and started again: the
  killed request wrote nothing and mailed nothing; the same POST, sent again, writes its rows once and mails once;
- worker: the killed task was not acknowledged (acks_late), comes back to the next worker after the visibility timeout
  (CELERY_VISIBILITY_TIMEOUT, a few seconds here), and every task of the batch has its effect, each task completed
  once.

A new write joins with one line in WEB_WRITES, a new batch with one line in TASK_BATCHES (docs/testing.md, « Pannes »).
"""

import base64
import concurrent.futures
import contextlib
import datetime
import http.client
import json
import os
import secrets
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import redis
from celery import Signature
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Invitation
from accounts.tests.factories import DEFAULT_PASSWORD, InvitationFactory, UserFactory, add_mfa
from accounts.tests.test_mfa import totp_code
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent
from core.tasks import retention_purge_task
from tests.test_deploy import (
    PRODUCTION_HOST,
    container_command,
    database_url_of_this_test,
    dockerfile_arguments,
    free_port,
    healthcheck_command,
    load_compose,
    production_env,
    running,
)

TIMEOUT = 30  # Seconds allowed for any awaited condition.
VISIBILITY_TIMEOUT = 2  # The test workers' CELERY_VISIBILITY_TIMEOUT.


def wait_for(condition: Callable[[], object], what: str, timeout: float = TIMEOUT):
    """Poll `condition` until it returns something true, and return it; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"Timed out waiting for {what}."
        time.sleep(0.1)
    return result


# Holding a write inside its transaction.


class TableLock:
    """A SHARE lock on a table, held in a connection of its own: reads go on, the first write waits for release."""

    def __init__(self, table: str) -> None:
        self.connection = psycopg.connect(database_url_of_this_test())
        self.connection.execute(f'LOCK TABLE "{table}" IN SHARE MODE')
        self.pid = self.connection.info.backend_pid

    def waiting_backend(self) -> int | None:
        """The server process of the session that waits for this lock, once there is one."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [self.pid])
            row = cursor.fetchone()
        return row[0] if row else None

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


def backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


@pytest.fixture
def table_locks():
    locks = []
    yield lambda table: locks.append(TableLock(table)) or locks[-1]
    for lock in locks:
        lock.release()


# The web process.


class Browser:
    """Cookies and CSRF token of one person talking to the production server behind its HTTPS proxy."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Host": PRODUCTION_HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]}, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{PRODUCTION_HOST}",
                    "Referer": f"https://{PRODUCTION_HOST}{path}",
                }
            )
        server = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        server.request(method, path, body=body, headers=headers)
        response = server.getresponse()
        cookies = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        self.cookies.update({name: morsel.value for name, morsel in cookies.items()})
        self.location = response.getheader("Location")
        return response.status, response.read().decode(errors="replace")

    def sign_in(self, user, secret: str) -> None:
        """Password, then the code of the authenticator app holding `secret` (MFA is mandatory for staff roles)."""
        self.request("GET", "/comptes/login/")
        status, body = self.request("POST", "/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
        assert status == 302, body[:500]
        code = totp_code(secret)
        status, body = self.request("POST", "/comptes/2fa/authenticate/", {"code": code})
        if status == 200 and totp_code(secret) != code:  # The code changed on its way: type the new one.
            status, body = self.request("POST", "/comptes/2fa/authenticate/", {"code": totp_code(secret)})
        assert status == 302, body[:500]


@dataclass
class Write:
    form: dict[str, str | list[str]]
    count: Callable[[], int]  # The rows this write adds.
    redirect: str  # Where the form leads once it has written.
    recipients: list[str] = field(default_factory=list)  # Who is mailed once it commits.
    path: str = ""  # The form's address when it depends on the data prepared (else the scenario's).


@dataclass(frozen=True)
class WebWrite:
    """A form whose POST writes rows to `table` (and may mail) inside the request's transaction."""

    role: Role
    path: str
    table: str  # Locked by the test: the request's first write to it waits there.
    prepare: Callable[[object], Write]  # Given the signed-in person, the form to post and how to count its rows.


def invitation_write(project_lead) -> Write:
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.fr"
    return Write(
        form={"email": email, "roles": [Role.ELECTED.value]},
        count=lambda: Invitation.objects.filter(email=email).count(),
        redirect="/comptes/invitations/",
        recipients=[email],
    )


def visit_write(agent) -> Write:
    """An agent of a Maison logs a visit on the reception screen (its entry token makes a resubmission harmless)."""
    from accueil.models import Visit
    from accueil.tests.factories import MotifFactory
    from maisons.tests.factories import MaisonFactory

    agent.maisons.set([MaisonFactory()])
    motif = MotifFactory(label=f"Motif {uuid.uuid4().hex[:8]}")
    token = str(uuid.uuid4())
    return Write(
        form={
            "token": token,
            "motifs": [str(motif.pk)],
            "channel": "physique",
            "outcome": "repondu",
            "duration_band": "5_15",
        },
        count=lambda: Visit.objects.filter(token=token).count(),
        redirect="/accueil/",
    )


def booking_write(official) -> Write:
    """An elected official books a free slot of a room, next Tuesday 10:00–11:00 (opening hours)."""
    from django.utils import timezone

    from events.models import Occupancy
    from maisons.tests.factories import MaisonFactory, RoomFactory

    room = RoomFactory(maison=MaisonFactory(with_weekday_hours=True), capacity=20)
    today = timezone.localdate()
    tuesday = today + datetime.timedelta(days=7 - today.weekday() + 1)
    purpose = f"Réunion {uuid.uuid4().hex[:8]}"
    return Write(
        form={
            "room": str(room.pk),
            "holder": str(official.pk),
            "date": tuesday.isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "purpose": purpose,
            "expected_attendance": "8",
        },
        count=lambda: Occupancy.objects.filter(purpose=purpose).count(),
        redirect="/reservations/mes-reservations/",
        path=f"/reservations/nouvelle/?salle={room.pk}",
    )


# A name: how a person of `role` writes through the form at `path`, and the table the write goes to.
WEB_WRITES = {
    "booking": WebWrite(Role.ELECTED, "/reservations/nouvelle/", "events_occupancy", booking_write),
    "visit": WebWrite(Role.AGENT, "/accueil/", "accueil_visit", visit_write),
    "invitation": WebWrite(
        Role.PROJECT_LEAD, "/comptes/invitations/nouvelle/", "accounts_invitation", invitation_write
    ),
}


@pytest.fixture
def production_web(tmp_path, smtp_inbox):
    """Start the image's gunicorn command (1 worker) on this test's database, mailing through `smtp_inbox`."""
    # The image runs collectstatic at build time; without its manifest, plain static storage.
    (tmp_path / "resilience_settings.py").write_text(
        "from config.settings.base import *  # noqa: F403\n\n"
        "STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}"
    )
    (command,) = dockerfile_arguments("CMD")
    # One environment for every start: a restart keeps its SECRET_KEY, so signed-in sessions stay valid.
    env = production_env(
        DATABASE_URL=database_url_of_this_test(),
        WEB_CONCURRENCY="1",
        DJANGO_SETTINGS_MODULE="resilience_settings",
        PYTHONPATH=str(tmp_path),
        EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
    )

    def start(port: int):
        return running(json.loads(command), {**env, "PORT": str(port)})

    return start


def gunicorn_worker(master: int) -> int:
    """The one worker process of a gunicorn master (WEB_CONCURRENCY=1)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", WEB_WRITES)
@pytest.mark.parametrize("killed", ["worker", "server"])
def test_a_web_process_killed_during_a_write_loses_nothing(name, killed, production_web, smtp_inbox, table_locks):
    """`worker`: the gunicorn worker dies (out of memory…) and its master starts another; `server`: the whole
    container is killed and started again."""
    scenario = WEB_WRITES[name]
    user = UserFactory(roles=[scenario.role], mfa=False)
    # A secret of its own: production's cache (Redis) remembers used codes per user id, which the next run reuses.
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    add_mfa(user, secret)
    user.password = PBKDF2PasswordHasher().encode(DEFAULT_PASSWORD, "sel-de-test")  # Production's hasher.
    user.save(update_fields=["password"])
    write = scenario.prepare(user)
    path = write.path or scenario.path
    browser = Browser(free_port())

    with contextlib.ExitStack() as stack:
        web = stack.enter_context(production_web(browser.port))
        web.wait_until_healthy(healthcheck_command("web"))
        browser.sign_in(user, secret)
        status, body = browser.request("GET", path)
        assert status == 200, body[:500]

        lock = table_locks(scenario.table)
        outcome = {}
        post = threading.Thread(target=lambda: outcome.update(result=_try(browser.request, "POST", path, write.form)))
        post.start()
        request_backend = wait_for(lock.waiting_backend, "the request to wait for the lock")
        if killed == "worker":
            os.kill(gunicorn_worker(web.process.pid), signal.SIGKILL)
        else:
            os.killpg(web.process.pid, signal.SIGKILL)
            web.process.wait(timeout=TIMEOUT)
        post.join(timeout=TIMEOUT)
        lock.release()
        # Its database session notices the lost client at its next read, and rolls back.
        wait_for(lambda: backend_gone(request_backend), "the killed request's database session to end")

        assert isinstance(outcome["result"], ConnectionError | http.client.HTTPException)  # No answer came.
        assert write.count() == 0
        assert smtp_inbox.messages == []

        if killed == "server":
            browser.port = free_port()
            web = stack.enter_context(production_web(browser.port))
        web.wait_until_healthy(healthcheck_command("web"))
        status, body = browser.request("POST", path, write.form)  # The person sends the form again.
        assert (status, browser.location) == (302, write.redirect), body[:500]

    assert write.count() == 1
    assert sorted(recipient for recipients, _ in smtp_inbox.messages for recipient in recipients) == sorted(
        write.recipients
    )


def _try(function, *args):
    try:
        return function(*args)
    except (ConnectionError, http.client.HTTPException) as error:
        return error


# The worker.


@dataclass
class Batch:
    tasks: list[Signature]
    table: str  # The first task writing to it waits for the test's lock while its worker is killed.
    outcome: Callable[[], object]  # What the batch changed, read from the database…
    expected: object  # …and what it must be once every task has run.


def retention_batch(smtp_inbox) -> Batch:
    """The nightly purge: rows past their delay go, the others stay; the invitations' rule is the one killed."""
    long_ago = timezone.now() - datetime.timedelta(days=3650)
    invitations = [InvitationFactory(expires_at=long_ago), InvitationFactory()]
    events = [
        SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN, identifier="x@example.fr", occurred_at=when)
        for when in (long_ago, timezone.now())
    ]
    sessions = [
        Session.objects.create(session_key=f"cle-{uuid.uuid4().hex}", session_data="", expire_date=when)
        for when in (long_ago, timezone.now() + datetime.timedelta(days=1))
    ]

    def outcome():
        return (
            set(Invitation.objects.filter(pk__in=[row.pk for row in invitations]).values_list("pk", flat=True)),
            set(SecurityEvent.objects.filter(pk__in=[row.pk for row in events]).values_list("pk", flat=True)),
            set(Session.objects.filter(pk__in=[row.pk for row in sessions]).values_list("pk", flat=True)),
        )

    return Batch(
        tasks=[retention_purge_task.si(key) for key in ("security-journal", "invitations", "sessions")],
        table="accounts_invitation",
        outcome=outcome,
        expected=({invitations[1].pk}, {events[1].pk}, {sessions[1].pk}),
    )


def reminders_batch(smtp_inbox) -> Batch:
    """Three e-mails of the ledger (notifications/): each reaches its recipient once, the killed one included."""
    from accueil.notifications import REFERRAL
    from accueil.tests.factories import ReferralFactory
    from notifications.models import Notification, State
    from notifications.tasks import deliver_task

    referral = ReferralFactory()
    rows = [
        Notification.objects.create(
            kind=REFERRAL, target=referral, recipient_email=f"direction{n}@example.fr", due_at=timezone.now()
        )
        for n in range(3)
    ]

    def outcome():
        received = sorted(recipient for recipients, _ in smtp_inbox.messages for recipient in recipients)
        states = set(Notification.objects.filter(pk__in=[row.pk for row in rows]).values_list("state", flat=True))
        return received, states

    return Batch(
        tasks=[deliver_task.si(row.pk) for row in rows],
        table="notifications_notification",
        outcome=outcome,
        expected=([row.recipient_email for row in rows], {State.SENT}),
    )


# A name: a function that creates the data a batch of tasks works on and returns the batch; it gets the SMTP server
# the workers mail through (`smtp_inbox.messages`), to count mails in its outcome.
TASK_BATCHES = {
    "retention-purge": retention_batch,
    "reminders": reminders_batch,
}


class Broker:
    """The Redis transport's view of one queue: waiting messages, and delivered ones not yet acknowledged."""

    def __init__(self, queue: str) -> None:
        self.queue, self.client = queue, redis.Redis.from_url(settings.REDIS_URL)  # redis-py spells a socket unix://

    def waiting(self) -> int:
        return self.client.llen(self.queue)

    def unacknowledged(self) -> dict[bytes, float]:
        """{delivery tag: delivery time} of this queue's messages taken by a worker and not acknowledged."""
        tags = {}
        for tag, payload in self.client.hgetall("unacked").items():
            _message, _exchange, routing_key = json.loads(payload)
            if routing_key == self.queue:
                tags[tag] = self.client.zscore("unacked_index", tag)
        return tags

    def forget(self) -> None:
        """Leave nothing of this queue in the broker, whatever the test's outcome."""
        for tag in self.unacknowledged():
            self.client.hdel("unacked", tag)
            self.client.zrem("unacked_index", tag)
        self.client.delete(self.queue)


@pytest.fixture
def production_worker(smtp_inbox):
    """The compose file's worker command, on a queue of its own and this test's database: (broker, start)."""
    queue = f"resilience-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    command = container_command(load_compose()["services"]["worker"]["command"])
    # Only these workers make an unacknowledged task visible again so soon. The unacked index is shared by every
    # queue of the Redis database, so a task of another test that had run for more than VISIBILITY_TIMEOUT when one
    # of these workers starts would be given again: the tests' tasks take milliseconds.
    env = production_env(
        DATABASE_URL=database_url_of_this_test(),
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
    )
    broker = Broker(queue)

    def start():
        return running([*command, "--pool=solo", f"--queues={queue}", "--without-mingle"], env)

    yield broker, start
    broker.forget()


def publish(tasks: list[Signature], queue: str) -> list[str]:
    """Send the batch to `queue`; returns the tasks' ids.

    From a thread of its own: a task's result object creates the app's result backend (disabled in these settings)
    and caches it for the calling thread, where a later test's `celery_worker_thread` needs a real one.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(lambda: [task.apply_async(queue=queue).id for task in tasks]).result()


def succeeded(log: str, task_id: str) -> int:
    return log.count(f"[{task_id}] succeeded")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", TASK_BATCHES)
def test_a_worker_killed_during_a_batch_loses_nothing(name, production_worker, smtp_inbox, table_locks):
    batch = TASK_BATCHES[name](smtp_inbox)
    broker, start_worker = production_worker
    lock = table_locks(batch.table)
    task_ids = publish(batch.tasks, broker.queue)

    with start_worker() as first:
        first.wait_for_log(" ready.")
        task_backend = wait_for(lock.waiting_backend, "a task of the batch to wait for the lock")
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=TIMEOUT)
        first_log = first.log()

    # acks_late: the task killed mid-way is still the broker's, until the visibility timeout makes it visible again.
    unacknowledged = broker.unacknowledged()
    assert len(unacknowledged) == 1
    wait_for(
        lambda: all(delivered < time.time() - VISIBILITY_TIMEOUT for delivered in unacknowledged.values()),
        "the visibility timeout to pass",
    )

    with start_worker() as second:
        second.wait_for_log(" ready.")
        lock.release()
        wait_for(lambda: backend_gone(task_backend), "the killed task's database session to end")
        wait_for(
            lambda: all(succeeded(first_log + second.log(), task_id) for task_id in task_ids),
            "every task of the batch to succeed",
        )
        assert broker.waiting() == 0 and broker.unacknowledged() == {}
        second_log = second.log()

    assert batch.outcome() == batch.expected
    assert [succeeded(first_log + second_log, task_id) for task_id in task_ids] == [1] * len(task_ids)
