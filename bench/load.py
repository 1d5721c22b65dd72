"""The load test of `make bench`: simulated people reading and writing at once, then a count in the database.

bench/run.py calls `run_load` against its gunicorn once the pages are measured. The Django side (accounts, the
final count) runs here; the simulated people run in a locust process of their own (bench/locustfile.py: locust
patches the standard library with gevent, never import it here). The run fails on any error (a status other than
the one expected, an exception) and on any record lost, duplicated or created unreported (see docs/benchmark.md).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCUSTFILE = BASE_DIR / "bench" / "locustfile.py"
LEGAL_PAGES = ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]
# What the public looks for when something happens (a storm, a school transport change), as typed in the search box.
SEARCHES = ["routes", "college", "transport scolaire", "déneigement", "Langres", "aide à domicile", "RSA"]
# The pages each signed-in role reads (role code → paths), all answering 200 to that role.
STAFF_PAGES = {
    "agent": ["/comptes/", "/accueil/"],
    "elu": ["/comptes/", "/reservations/"],
    "chef_projet": ["/comptes/invitations/", "/gestion/"],
}
# The role given to the invitations the load creates: no Maison to tick.
INVITATION_ROLE = "elu"


@dataclass(frozen=True)
class Write:
    """A write scenario's records: `kind` as the locustfile writes it in the ledger, the keys found in the database."""

    kind: str
    label: str
    keys_in_database: Callable[[], list[str]]


def _invitation_keys() -> list[str]:
    from accounts.models import Invitation
    from bench.seed import LOAD_INVITATION_DOMAIN

    return list(
        Invitation.objects.filter(email__endswith="@" + LOAD_INVITATION_DOMAIN).values_list("email", flat=True)
    )


def _visit_keys() -> list[str]:
    """The tokens of the visits the load's agents logged (deleted ones too: a deletion is not a loss)."""
    from accueil.models import Visit
    from bench.seed import LOAD_ACCOUNT_DOMAIN

    visits = Visit.all_objects.filter(agent__email__endswith="@" + LOAD_ACCOUNT_DOMAIN)
    return [str(token) for token in visits.values_list("token", flat=True)]


def _booking_keys() -> list[str]:
    """« room local-start » of the reservations the load's officials hold (as the locustfile writes them)."""
    from django.utils import timezone

    from bench.seed import LOAD_ACCOUNT_DOMAIN
    from events.enums import OccupancyKind
    from events.models import Occupancy

    held = Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, holder__email__endswith="@" + LOAD_ACCOUNT_DOMAIN)
    return [
        f"{room} {timezone.localtime(period.lower):%Y-%m-%dT%H:%M}"
        for room, period in held.values_list("room", "period")
    ]


# One line per write scenario of bench/locustfile.py.
WRITES = [
    Write("invitation", "Invitations", _invitation_keys),
    Write("visit", "Visites", _visit_keys),
    Write("booking", "Réservations", _booking_keys),
]
# Bookable slots the load's officials aim at: an hour the benchmark's occupancies leave free (bench/seed.py SLOTS)
# when the Maison is open (weekdays 8:30–12:00, 13:30–17:00, closures and public holidays excepted), from
# BOOKING_FIRST_DAY days ahead (after the seeded closures) to within the rooms' horizon.
BOOKING_HOURS = (("11:00", "12:00"), ("16:00", "17:00"))
BOOKING_FIRST_DAY = 70
BOOKING_LAST_DAY = 175
CONTESTED_SLOTS = 5


@dataclass
class RecordCheck:
    kind: str
    label: str
    reported: int
    in_database: int
    lost: int
    duplicated: int
    unreported: int

    @property
    def ok(self) -> bool:
        return self.reported == self.in_database and not (self.lost or self.duplicated or self.unreported)


@dataclass
class LoadEntry:
    name: str
    method: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    requests_per_s: float


@dataclass
class LoadResult:
    users: int
    duration_s: float
    spawn_rate: float
    entries: list[LoadEntry]
    total: LoadEntry
    errors: list[dict] = field(default_factory=list)
    exceptions: list[dict] = field(default_factory=list)
    records: list[RecordCheck] = field(default_factory=list)
    users_per_scenario: dict[str, int] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return self.total.failures + sum(exc["count"] for exc in self.exceptions)

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.total.requests > 0 and all(check.ok for check in self.records)

    def as_dict(self) -> dict:
        return {**asdict(self), "error_count": self.error_count, "ok": self.ok}


class LoadError(Exception):
    """The load test could not run (French message)."""


def booking_slots(officials: list[str]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Free slots of the benchmark's Maisons' rooms, shared out so that no two officials aim at the same one, and
    a few that every official may aim at (the contested ones, which all but one find taken)."""
    import datetime

    from django.utils import timezone

    from bench.seed import SLUG_PREFIX
    from events.models import Occupancy
    from maisons.models import Maison, Room

    rooms = list(
        Room.objects.filter(
            maison__slug__startswith=SLUG_PREFIX,
            maison__is_published=True,
            is_active=True,
            requires_approval=False,
            booking_horizon_days__gt=BOOKING_LAST_DAY,
        ).order_by("pk")
    )
    # The Maisons' hours, closures and public holidays, as the booking form checks them (maisons/opening.py).
    schedules = {maison.pk: maison.schedule() for maison in Maison.objects.with_schedule().filter(rooms__in=rooms)}

    def open_during(room, day, start, end) -> bool:
        start, end = datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)
        return any(opens <= start and end <= closes for opens, closes in schedules[room.maison_id].day(day).ranges)

    today = timezone.localdate()
    days = [today + datetime.timedelta(days=n) for n in range(BOOKING_FIRST_DAY, BOOKING_LAST_DAY)]
    # What an earlier run booked (the mixed load, then each write measured alone) is no longer free.
    taken = {
        (room_id, timezone.localtime(start).date().isoformat(), timezone.localtime(start).strftime("%H:%M"))
        for room_id, start in Occupancy.objects.holding()
        .filter(
            room__in=rooms,
            period__startswith__gte=timezone.make_aware(datetime.datetime.combine(days[0], datetime.time())),
        )
        .values_list("room_id", "period__startswith")
    }
    slots = [
        {"room": room.pk, "date": day.isoformat(), "start": start, "end": end}
        for day in days
        for room in rooms
        for start, end in BOOKING_HOURS
        if open_during(room, day, start, end) and (room.pk, day.isoformat(), start) not in taken
    ]
    contested, own = slots[:CONTESTED_SLOTS], slots[CONTESTED_SLOTS:]
    return {email: own[n :: len(officials)] for n, email in enumerate(officials)}, contested


def prepare(*, users: int, workdir: Path, duration: float, burst: bool = False, measured: bool = False) -> dict:
    """Accounts, pages and file paths for the locust process, written to a JSON file it reads."""
    from wagtail.models import Page as WagtailPage

    from bench.seed import LOAD_INVITATION_DOMAIN, LOAD_PASSWORD, load_accounts_seed
    from maisons.models import Maison
    from partenaires.models import Partner

    accounts = load_accounts_seed(readers=users, writers=users, agents=users, officials=users)
    workdir.mkdir(parents=True, exist_ok=True)
    ledger, summary = workdir / "load-ledger.tsv", workdir / "load-summary.json"
    for path in (ledger, summary):
        path.unlink(missing_ok=True)
    ledger.touch()
    config = {
        "password": LOAD_PASSWORD,
        "accounts": {
            kind: [asdict(account) for account in accounts if account.kind == kind]
            for kind in ("readers", "writers", "agents", "officials")
        },
        "maisons": list(Maison.objects.published().order_by("slug").values_list("slug", flat=True)),
        "legal_pages": LEGAL_PAGES,
        "searches": SEARCHES,
        # The Wagtail pages anyone reads: the news list, news items and information pages (the most recent first).
        "editorial_pages": [page.url for page in WagtailPage.objects.live().public().exclude(depth__lte=2)[:200]],
        "partners": list(Partner.objects.published().order_by("slug").values_list("slug", flat=True)[:200]),
        "staff_pages": STAFF_PAGES,
        "invitation_domain": LOAD_INVITATION_DOMAIN,
        "invitation_role": INVITATION_ROLE,
        # A TOTP code is posted with at least this many seconds of its period left: under load a request may wait
        # for a worker, and the server accepts the current period's code only. A short run cannot wait long.
        "totp_margin": min(15.0, duration / 4),
        "ledger": str(ledger),
        "summary": str(summary),
        "burst": burst,
        # A write measured alone (burst or not): its figures start once this many people have signed in.
        "measured_users": users if (burst or measured) else 0,
    }
    config["booking_slots"], config["booking_contested"] = booking_slots(
        [account["email"] for account in config["accounts"]["officials"]]
    )
    if not config["maisons"]:
        raise LoadError("Aucune Maison publiée dans la base de mesure.")
    path = workdir / "load-config.json"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    return {**config, "path": str(path)}


def locust_command(
    *, port: int, users: int, spawn_rate: float, duration: float, user_classes: list[str] | None = None
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        f"{spawn_rate:g}",
        "--run-time",
        f"{max(1, round(duration))}s",
        # Users finish the task they are in when the time is up: a write interrupted after the server committed
        # it, before the ledger recorded it, would count as unreported.
        "--stop-timeout",
        "30",
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel",
        "WARNING",
        *(user_classes or []),
    ]


def check_records(ledger: Path) -> list[RecordCheck]:
    """Compare what the simulated people saw confirmed with what the database holds, per write scenario."""
    lines = [line.split("\t", 1) for line in ledger.read_text(encoding="utf-8").splitlines() if line]
    checks = []
    for write in WRITES:
        reported = [key for kind, key in lines if kind == write.kind]
        stored = write.keys_in_database()
        stored_counts = Counter(stored)
        checks.append(
            RecordCheck(
                kind=write.kind,
                label=write.label,
                reported=len(reported),
                in_database=len(stored),
                lost=len(set(reported) - set(stored)),
                duplicated=sum(count - 1 for count in stored_counts.values())
                + sum(count - 1 for count in Counter(reported).values()),
                unreported=len(set(stored) - set(reported)),
            )
        )
    return checks


def run_load(
    *,
    port: int,
    users: int,
    duration: float,
    spawn_rate: float,
    workdir: Path,
    timeout: float | None = None,
    user_classes: list[str] | None = None,
    burst: bool = False,
    measured: bool = False,
) -> LoadResult:
    """Run the simulated people against the server on `port` (127.0.0.1 only), then count the records.

    `user_classes`: only these scenarios (all by default); `burst`: no pause between actions, the form posted alone
    (bench/locustfile.py), for a write's latency at `users` requests at once; `measured` (implied by `burst`): the
    figures start once every person has signed in."""
    config = prepare(users=users, workdir=workdir, duration=duration, burst=burst, measured=measured)
    env = {**os.environ, "LOAD_CONFIG": config["path"]}
    command = locust_command(
        port=port, users=users, spawn_rate=spawn_rate, duration=duration, user_classes=user_classes
    )
    try:
        completed = subprocess.run(
            command,
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout or duration + 90,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise LoadError(f"locust ne s’est pas arrêté à temps ({error.timeout:.0f} s).") from error
    summary_path = Path(config["summary"])
    if not summary_path.exists():
        raise LoadError(
            f"locust n’a pas donné de résultat (code {completed.returncode}) :\n{completed.stderr[-3000:]}"
        )
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    return LoadResult(
        users=users,
        duration_s=duration,
        spawn_rate=spawn_rate,
        entries=[LoadEntry(**entry) for entry in summary["entries"]],
        total=LoadEntry(**summary["total"]),
        errors=summary["errors"],
        exceptions=summary["exceptions"],
        records=check_records(Path(config["ledger"])),
        users_per_scenario=summary["users"],
    )


# Report ---------------------------------------------------------------------------------------------------------


def markdown_section(result: LoadResult, french_number: Callable[..., str]) -> str:
    """The load test's part of the results file: one row per request name, then the record counts."""
    header = ("Requête", "Nombre", "Échecs", "Médiane (ms)", "p95 (ms)", "Requêtes/s")
    rows = [
        (
            entry.name,
            french_number(entry.requests),
            french_number(entry.failures),
            french_number(entry.median_ms),
            french_number(entry.p95_ms),
            french_number(entry.requests_per_s, 1),
        )
        for entry in [*result.entries, result.total]
    ]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(values):
        cells = [
            value.ljust(w) if i == 0 else value.rjust(w)
            for i, (value, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    separator = "| " + " | ".join("-" * w if i == 0 else "-" * (w - 1) + ":" for i, w in enumerate(widths)) + " |"
    scenarios = ", ".join(f"{name} {count}" for name, count in sorted(result.users_per_scenario.items()))
    lines = [
        f"## Charge mixte (locust) : {result.users} personnes simulées, {result.duration_s:g} s",
        "",
        f"Parcours : {scenarios or '–'} ; arrivée de {result.spawn_rate:g} personnes par seconde.",
        "",
        line(header),
        separator,
        *(line(row) for row in rows),
        "",
    ]
    for check in result.records:
        verdict = "OK" if check.ok else "ÉCHEC"
        lines.append(
            f"- {check.label} : {check.reported} créations confirmées aux personnes simulées, {check.in_database} "
            f"en base ; perdues {check.lost}, en double {check.duplicated}, non signalées {check.unreported} : "
            f"{verdict}."
        )
    lines.append(f"- Erreurs (statut inattendu ou exception) : {result.error_count}.")
    for error in result.errors[:10]:
        lines.append(f"  - {error['name']} : {error['error']} ({error['occurrences']} fois)")
    for exc in result.exceptions[:5]:
        lines.append(f"  - exception : {exc['message']} ({exc['count']} fois)")
    return "\n".join(lines) + "\n"


class MailSink:
    """An SMTP server on the loopback that keeps a count of what it receives: the portal mails each invitation."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 Message accepted for delivery"


@contextmanager
def mail_sink():
    """A MailSink listening on a free port of 127.0.0.1; yields (EMAIL_URL for the server, the sink)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = MailSink()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's log of each connection.
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", sink
    finally:
        controller.stop()
