"""Benchmark of the reminders (issue 10): 10,000 due reminders delivered by 2 worker processes to a capturing SMTP
server; throughput reported, and no duplicate allowed in the captured mail.

Run by `make bench` (bench/run.py) in a process of its own; alone, against the seeded benchmark database:

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=…/portail_bench REDIS_URL=… .venv/bin/python -m bench.reminders

The process writes COUNT ledger rows due now (the "day before" reminder of one upcoming booking, to COUNT
addresses without an account: each message builds its context, its refusal link and its headers as in production),
starts an aiosmtpd server that records each message's Message-ID, and a Celery worker (the compose file's command,
prefork pool with 2 processes) on a queue of its own; then the dispatcher (`notifications.services.dispatch_due`)
hands the rows over. Measured: from the dispatch to the last message captured. The rows are deleted afterwards.
"""

import collections
import datetime
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench import child

RESULT_MARKER = "BENCH_REMINDERS "
COUNT = 10_000
PROCESSES = 2
TIMEOUT = 900  # Seconds: far beyond what 10,000 messages take; a stuck run fails instead of hanging.


class Capture:
    """The capturing SMTP server: how many messages, and each Message-ID's count."""

    def __init__(self):
        self.ids = collections.Counter()
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.ids[message["Message-ID"]] += 1
        self.received += 1
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _target_booking():
    """An upcoming confirmed booking of the dataset (the demonstration's officials book rooms), or a new one."""
    from django.utils import timezone

    from events.enums import OccupancyKind, OccupancyStatus
    from events.models import Occupancy

    booking = (
        Occupancy.objects.filter(
            kind=OccupancyKind.RESERVATION,
            status=OccupancyStatus.CONFIRMED,
            period__startswith__gt=timezone.now() + datetime.timedelta(hours=3),
        )
        .order_by("period")
        .first()
    )
    if booking is None:
        raise SystemExit("Aucune réservation à venir dans la base de mesure : lancez d’abord le remplissage.")
    return booking


def _write_rows(booking, count: int, run_id: str) -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from events.notifications import RESERVATION_REMINDER
    from notifications.models import Notification

    content_type = ContentType.objects.get_for_model(booking)
    due = timezone.now() - datetime.timedelta(seconds=1)
    rows = [
        Notification(
            kind=RESERVATION_REMINDER,
            content_type=content_type,
            object_id=booking.pk,
            recipient_email=f"rappel-{run_id}-{n}@bench.example",
            due_at=due,
            payload={"start": booking.period.lower.isoformat()},
        )
        for n in range(count)
    ]
    return [row.pk for row in Notification.objects.bulk_create(rows, batch_size=2000)]


def _worker(queue: str, email_url: str, environ: dict | None = None) -> subprocess.Popen:
    env = {**(environ or os.environ), "EMAIL_URL": email_url}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=prefork",
        f"--concurrency={PROCESSES}",
        f"--queues={queue}",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
    ]
    return subprocess.Popen(
        command,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run(count: int = COUNT, *, worker_env: dict | None = None) -> dict:
    """Measure; `worker_env` replaces this process's environment for the worker (the tests' production settings)."""
    import django

    django.setup()
    from aiosmtpd.controller import Controller

    from config.celery import app
    from notifications.models import Notification, State
    from notifications.services import dispatch_due

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    run_id = uuid.uuid4().hex[:8]
    queue = f"bench-reminders-{run_id}"
    capture = Capture()
    port = _free_port()
    controller = Controller(capture, hostname="127.0.0.1", port=port)
    controller.start()
    worker = _worker(queue, f"smtp://127.0.0.1:{port}", worker_env)
    booking = _target_booking()
    pks = _write_rows(booking, count, run_id)
    rows = Notification.objects.filter(pk__in=pks)
    default_queue = app.conf.task_default_queue
    try:
        app.conf.task_default_queue = queue
        started = time.perf_counter()
        dispatched = dispatch_due(limit=count + 1000)
        dispatch_seconds = time.perf_counter() - started
        deadline = time.monotonic() + TIMEOUT
        while capture.received < count and time.monotonic() < deadline:
            if worker.poll() is not None:
                raise SystemExit(f"Le worker s’est arrêté :\n{worker.stderr.read()[-3000:]}")
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        # The last rows are marked sent as their messages are accepted: let the ledger catch up.
        while rows.filter(state=State.PENDING).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        states = dict(collections.Counter(rows.values_list("state", flat=True)))
    finally:
        app.conf.task_default_queue = default_queue
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        controller.stop()
        rows.delete()
    duplicates = sum(n - 1 for n in capture.ids.values() if n > 1)
    return {
        "count": count,
        "processes": PROCESSES,
        "queued": dispatched["queued"],
        "dispatch_seconds": round(dispatch_seconds, 2),
        "received": capture.received,
        "distinct": len(capture.ids),
        "duplicates": duplicates,
        "states": states,
        "seconds": round(seconds, 1),
        "per_second": round(capture.received / seconds, 1) if seconds else 0,
        "met": capture.received == count and duplicates == 0 and states.get(State.SENT, 0) == count,
    }


def measure_in_subprocess() -> dict:
    return child.measure_in_subprocess("bench.reminders", RESULT_MARKER, "des rappels")


def summary(result: dict) -> str:
    def number(value: float, decimals: int = 0) -> str:
        return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")

    verdict = "atteint" if result["met"] else "manqué"
    return (
        f"Rappels : {number(result['received'])} courriels reçus sur {number(result['count'])} dus, en "
        f"{number(result['seconds'], 1)} s avec {result['processes']} processus worker "
        f"({number(result['per_second'], 1)} courriels/s), {result['duplicates']} doublon(s) "
        f"(objectif : chacun une fois, aucun doublon : {verdict})."
    )


if __name__ == "__main__":
    count = int(os.environ.get("BENCH_REMINDERS", COUNT))
    figures = run(count)
    print(summary(figures))
    print(RESULT_MARKER + json.dumps(figures))
