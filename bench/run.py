"""`make bench`: how many requests per second each page serves, how fast, with how many SQL queries.

    python -m devtools.services -- python -m bench.run [--scale N] [--duration S] [--connections C] [--workers W]

Builds a benchmark database beside the developer's (its name gets `_bench`), seeds it at the given scale, serves
the portal with gunicorn and production settings, loads each page with wrk and compares it with a trivial view
served by the same server (the ceiling). The table goes to the terminal and to bench/results/. See
docs/benchmark.md; to measure a new page, add it to PAGES.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from bench.load import LoadError, mail_sink, markdown_section, run_load

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
WRK_SCRIPT = BASE_DIR / "bench" / "wrk_report.lua"
SETTINGS_MODULE = "bench.settings"
DATABASE_SUFFIX = "_bench"
# What a TLS-terminating proxy adds: production settings redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
HOST = "127.0.0.1"
RESULT_MARKER = "BENCH_RESULT "
# Variables a developer may export to relax or tune production settings; the benchmark measures their defaults.
RELAXING_VARIABLES = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CONN_MAX_AGE",
    "LOG_LEVEL",
    # Production counts clients by the proxy's X-Forwarded-For (1 hop); the load test sends it as the proxy would.
    "TRUSTED_PROXY_COUNT",
)


# A cookie the page cache does not know: the request goes through the views, as a reader with a session would
# (core/pagecache.py serves from the cache only requests with no cookie but the CSRF one).
UNCACHED_COOKIE = "bench-sans-cache=1"
# Targets of the public pages (issue 6), in % of the trivial view's requests per second, and p95 when cached.
UNCACHED_TARGET_PERCENT = 10
CACHED_TARGET_PERCENT = 50
CACHED_TARGET_P95_MS = 100


@dataclass(frozen=True)
class Page:
    """A page to measure. `user`: e-mail of a demonstration account to sign in as (staff pages). `cached`: a public
    page measured from the anonymous page cache (True) or through the views (False); None for other pages."""

    name: str
    url: str
    user: str | None = None
    cached: bool | None = None
    # An issue's latency target where it names no concurrency (issues 7, 8 and 9): what one reader waits, measured
    # with a single connection (`reader`, below) besides the 16 connections of every page.
    p95_target_ms: float | None = None

    @property
    def cookie(self) -> str | None:
        return UNCACHED_COOKIE if self.cached is False else None


def public(name: str, url: str, *, p95_target_ms: float | None = None) -> list[Page]:
    """A public page, measured twice: through the views (uncached), then as anonymous readers get it (cached)."""
    return [
        Page(f"{name}, sans cache", url, cached=False, p95_target_ms=p95_target_ms),
        Page(f"{name}, en cache", url, cached=True, p95_target_ms=p95_target_ms),
    ]


@dataclass(frozen=True)
class WriteTarget:
    """A form's POST measured alone, `--write-users` simulated people of one locust user class (bench/locustfile.py)
    at once: at their pace (each reads the screen, posts, pauses 0.5 to 2 s), its 95th percentile compared with the
    issue's target for that many people; then without pause (burst), for the server's capacity."""

    name: str
    url: str
    user_class: str
    request: str  # The locust request name whose figures are reported.
    target_p95_ms: float


WRITE_TARGETS = [
    # Issue 8: logging a visit from the reception screen (htmx POST), p95 under 50 ms with 16 agents at work.
    WriteTarget("Accueil : enregistrer une visite", "POST /accueil/", "VisitWriter", "Visite : enregistrement", 50),
    # Issue 9: booking a room (the form's POST), p95 under 80 ms with 16 officials booking.
    WriteTarget(
        "Réservation d’une salle",
        "POST /reservations/nouvelle/",
        "BookingWriter",
        "Réservation : enregistrement",
        80,
    ),
]


# The pages measured, in this order. A later issue adds its pages here, one line each.
PAGES = [
    *public("Accueil", "/"),
    *public("Maison", "/maisons/langres/"),
    *public("Page d’information", "/routes/"),
    *public("Actualités", "/actualites/"),
    *public("Une actualité", "/actualites/plan-hiver-routes/"),
    *public("Recherche", "/recherche/?q=college"),
    *public("Annuaire", "/partenaires/"),
    *public("Annuaire, recherche", "/partenaires/?q=logement&theme=logement-hebergement"),
    # Issue 9: with 50,000 occurrences in the database, p95 under 100 ms (bench/seed.py `past_occupancies`).
    *public("Agenda", "/agenda/", p95_target_ms=100),
    *public("Agenda, mois", "/agenda/?vue=mois", p95_target_ms=100),
    *public("Agenda, flux iCalendar public", "/agenda.ics", p95_target_ms=100),
    # Issue 7: a search matching each of 5,000 partners, p95 under 100 ms.
    *public("Annuaire, mots de 5 000 fiches", "/partenaires/?q=partenaire+performance", p95_target_ms=100),
    *public("API, Maisons", "/api/maisons"),
    *public("API, partenaires", "/api/partenaires"),
    *public("API, partenaires par thème", "/api/partenaires?thematique=logement-hebergement"),
    *public("API, services", "/api/services"),
    *public("API, événements", "/api/evenements"),
    # Reception statistics over a full year, read from the daily summary (accueil/stats): one Maison, then all.
    # Issue 8: a year over 1,000,000 visits across 100 Maisons, p95 under 100 ms (the project lead's, all Maisons).
    Page(
        "Statistiques, une Maison",
        "/accueil/statistiques/?periode=annee",
        user="agent.langres@demo.test",
        p95_target_ms=100,
    ),
    Page(
        "Statistiques, toutes", "/accueil/statistiques/?periode=annee", user="chef.projet@demo.test", p95_target_ms=100
    ),
    # Issue 8: the reception's partner field suggests partners as the agent types, among the 5,000 of the directory.
    Page(
        "Accueil, suggestions de partenaires",
        "/accueil/partenaires/?partner=partenaire",
        user="agent.langres@demo.test",
    ),
    Page("Santé", "/sante/"),
    # The project lead's planning of a Maison's week (events/planning_views.py): one Maison, this week.
    Page("Planning d’une Maison", "/gestion/planning/?maison=langres", user="chef.projet@demo.test"),
]
# The same server and middleware, no query, no template: the best any page can do.
CEILING = Page("Plafond (vue triviale)", "/bench/plafond/")


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    requests_per_s: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def status_errors(self) -> int:
        return self.errors.get("status", 0)

    @property
    def socket_errors(self) -> int:
        return sum(count for name, count in self.errors.items() if name != "status")


@dataclass
class Row:
    page: Page
    sql_queries: list[str]
    result: WrkResult
    reader: WrkResult | None = None  # One connection, for the pages with a latency target (Page.p95_target_ms).
    ceiling_ratio: float | None = None


class BenchError(Exception):
    """A failure explained to the person running the benchmark (French message)."""


# Database ------------------------------------------------------------------------------------------------------


def bench_database_url(database_url: str) -> str:
    """DATABASE_URL with `_bench` appended to the database name; the server and credentials stay the same.

    A Unix-socket host given percent-encoded in the host part (`postgres://postgres@%2Fvar%2Frun:5432/portail`, as
    the embedded server gives it) moves to the path, the form django-environ reads as a socket folder
    (`postgres://postgres@:5432//var/run/portail_bench`).
    """
    parts = urlsplit(database_url)
    path = unquote(parts.path)
    hostport = parts.netloc.rpartition("@")[2]
    # Not `parts.hostname`: it lowercases, and a socket folder's name is case-sensitive.
    host = unquote(hostport.rsplit(":", 1)[0] if parts.port else hostport)
    if path.startswith("//"):  # Already the socket-in-path form: the name is the last segment.
        socket_dir, _, name = path[1:].rpartition("/")
    else:
        name = path.lstrip("/")
        socket_dir = host if host.startswith("/") else ""
    if not parts.scheme.startswith("postg") or not name:
        raise BenchError(f"DATABASE_URL doit désigner une base PostgreSQL (reçu : {parts.scheme}://…).")
    netloc = parts.netloc
    if socket_dir:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = (f"{userinfo}@" if userinfo else "") + (f":{parts.port}" if parts.port else "")
    url = f"{parts.scheme}://{netloc}/" + (quote(socket_dir, safe="/") + "/" if socket_dir else "")
    url += quote(name + DATABASE_SUFFIX)
    return url + (f"?{parts.query}" if parts.query else "")


def _connect_maintenance(database_url: str):
    """A connection to the server's `postgres` database, to create or drop the benchmark database."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(database_url)
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        **config.get("OPTIONS", {}),
    }
    try:
        return psycopg.connect(dbname="postgres", autocommit=True, **params), config["NAME"]
    except psycopg.OperationalError as error:
        raise BenchError(f"Connexion au serveur PostgreSQL impossible : {error}") from error


def prepare_database(database_url: str, *, reuse: bool) -> bool:
    """Create the benchmark database, dropping a previous one unless `reuse`; True when it was (re)created."""
    from psycopg import sql

    connection, name = _connect_maintenance(database_url)
    with connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return False
        if exists:
            # FORCE closes connections a killed previous run may have left (PostgreSQL 13+).
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def server_environment(
    database_url: str, cache_prefix: str, *, settings_module: str = SETTINGS_MODULE, environ=os.environ
) -> dict[str, str]:
    """`environ` without the relaxing variables, with production settings on `database_url`."""
    env = {name: value for name, value in environ.items() if name not in RELAXING_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        DEBUG="false",
        BENCH_CACHE_PREFIX=cache_prefix,
    )
    return env


def configure_environment(bench_url: str, cache_prefix: str) -> None:
    """Production settings on the benchmark database, for this process and the gunicorn it starts."""
    for name in RELAXING_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(server_environment(bench_url, cache_prefix))


def _seeded_scale() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0] or ""


def setup_portal(scale: int) -> dict:
    """Migrate and seed the benchmark database (unless already seeded at this scale), collect static files."""
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from bench.seed import Volumes, bench_seed  # Models import only once Django is set up.

    call_command("migrate", interactive=False, verbosity=0)
    marker = f"portail bench scale={scale}"
    volumes = Volumes.for_scale(scale)
    report = None
    if _seeded_scale() != marker:
        print(f"Données de mesure, échelle {scale}…", flush=True)
        report = asdict(bench_seed(volumes))
        with connection.cursor() as cursor:
            # Fresh statistics, as autovacuum would give a database in service: plans as in production.
            cursor.execute("ANALYZE")
            cursor.execute(
                f"COMMENT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} IS %s", [marker]
            )
    call_command("collectstatic", interactive=False, verbosity=0)
    return {"volumes": volumes.as_dict(), "rows": report or _row_counts()}


def vacuum() -> None:
    """What autovacuum does in a database in service, before the pages are measured: the partner import's
    rolled-back rows (10,000 dead partners a run, for 5,000 live ones) and the rows earlier loads deleted would
    otherwise be read by every scan of their tables, under statistics that no longer describe them. A server may run
    without autovacuum (this machine's, for the tests' speed): then nobody else would. 5 s at scale 1."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def _row_counts() -> dict[str, int]:
    from wagtail.models import Page as WagtailPage

    from accueil.models import Visit
    from events.models import Occupancy
    from maisons.models import Maison, Room
    from partenaires.models import Partner

    return {
        "maisons": Maison.objects.count(),
        "rooms": Room.objects.count(),
        "visits": Visit.objects.count(),
        "occupancies": Occupancy.objects.count(),
        "partners": Partner.objects.count(),
        "pages": WagtailPage.objects.live().count(),
    }


# SQL queries ----------------------------------------------------------------------------------------------------


TRANSACTION_STATEMENTS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def data_queries(captured: list[dict]) -> list[str]:
    """The statements that read or write data.

    ATOMIC_REQUESTS wraps every view in a transaction, whose BEGIN and COMMIT Django logs too: the same for every
    page, they would only blur the comparison.
    """
    return [query["sql"] for query in captured if not query["sql"].lstrip().upper().startswith(TRANSACTION_STATEMENTS)]


def count_queries(pages: list[Page]) -> tuple[dict[Page, list[str]], dict[Page, str]]:
    """SQL queries of one request to each page (after a first one warms the caches), and session cookies.

    Counted in this process with the test client, as tests bound them (Zulip `assert_database_query_count`):
    wrk sees only HTTP. Signed-in pages get a session whose cookie wrk then sends.
    """
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The production settings log each request as a JSON line; the measured server's log is the one that matters.
    logging.getLogger("core.requests").setLevel(logging.WARNING)
    queries, cookies = {}, {}
    for page in pages:
        client = Client(SERVER_NAME=HOST, HTTP_X_FORWARDED_PROTO="https")
        if page.cookie:
            name, _, value = page.cookie.partition("=")
            client.cookies[name] = value
            cookies[page] = page.cookie
        if page.user:
            client.force_login(get_user_model().objects.get(email=page.user))
            cookies[page] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        if response.status_code != 200:
            raise BenchError(
                f"{page.name} ({page.url}) répond {response.status_code} au lieu de 200"
                + (f" (redirection vers {response['Location']})" if response.has_header("Location") else "")
                + "."
            )
        queries[page] = data_queries(captured.captured_queries)
    connection.close()
    return queries, cookies


# Server ---------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def http_get(port: int, url: str, headers: dict[str, str], timeout: float = 5) -> tuple[int, str]:
    """Status and Location of one GET, redirects not followed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


class Gunicorn:
    """gunicorn in its own process group, so that stopping it stops its workers, whatever happened."""

    def __init__(self, *, workers: int, port: int, log_path: Path, env: dict[str, str] | None = None):
        self.workers, self.port, self.log_path, self.env = workers, port, log_path, env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--graceful-timeout",
            "5",
            # The control socket's default path is shared by every gunicorn of the user (`make run`, another run).
            "--no-control-socket",
        ]
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn s’est arrêté au démarrage :\n{self.log_tail()}")
            try:
                if http_get(self.port, CEILING.url, PROXY_HEADERS, timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn ne répond pas après {timeout:.0f} s :\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            # The whole group: a worker left behind by a master that died would keep its port and a core.
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        finally:
            self.log.close()

    def log_tail(self, lines: int = 20) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# Load -----------------------------------------------------------------------------------------------------------


def wrk_command(url: str, *, threads: int, connections: int, duration: float, headers: dict[str, str]) -> list[str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "-s", str(WRK_SCRIPT)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return [*command, url]


def parse_wrk_output(output: str) -> WrkResult:
    """The JSON line that bench/wrk_report.lua prints after wrk's own report."""
    for line in output.splitlines():
        if line.startswith(RESULT_MARKER):
            data = json.loads(line[len(RESULT_MARKER) :])
            return WrkResult(
                requests=data["requests"],
                duration_s=data["duration_s"],
                requests_per_s=data["requests_per_s"],
                latency_p50_ms=data["latency_p50_us"] / 1000,
                latency_p95_ms=data["latency_p95_us"] / 1000,
                latency_p99_ms=data["latency_p99_us"] / 1000,
                latency_max_ms=data["latency_max_us"] / 1000,
                errors=data["errors"],
            )
    raise BenchError(f"wrk n’a pas donné de résultat ; sa sortie :\n{output.strip()}")


def run_wrk(
    port: int, page: Page, args: argparse.Namespace, headers: dict[str, str], *, connections: int | None = None
) -> WrkResult:
    url = f"http://{HOST}:{port}{page.url}"
    connections = connections or args.connections
    options = {"threads": min(args.threads, connections), "connections": connections, "headers": headers}
    if args.warmup > 0:
        # Each worker compiles templates and opens its database connection on its first requests.
        subprocess.run(wrk_command(url, duration=args.warmup, **options), capture_output=True, check=False)
    completed = subprocess.run(
        wrk_command(url, duration=args.duration, **options), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"wrk a échoué sur {page.url} :\n{completed.stderr or completed.stdout}")
    return parse_wrk_output(completed.stdout)


# Writes ---------------------------------------------------------------------------------------------------------


@dataclass
class WriteResult:
    """One write measured alone: its POST's figures, the other answers, and the ledger's check."""

    name: str
    url: str
    users: int
    duration_s: float
    paced: bool  # At the people's pace (the target's measurement), or without pause (the capacity).
    requests: int
    median_ms: float
    p95_ms: float
    requests_per_s: float
    target_p95_ms: float
    refused: int  # Expected refusals (a booking whose slot another official took first).
    errors: int
    records_ok: bool
    records: str

    @property
    def met(self) -> bool | None:
        """The issue's target, for the measurement at the people's pace; None for the burst (no target)."""
        return write_met(asdict(self))

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.records_ok and self.requests > 0


def write_met(write: dict) -> bool | None:
    if not write["paced"]:
        return None
    return write["requests"] > 0 and write["p95_ms"] < write["target_p95_ms"]


def measure_writes(args: argparse.Namespace, port: int) -> list[WriteResult]:
    """Each write of WRITE_TARGETS alone, `--write-users` people of its scenario for `--write-duration` seconds,
    after they all signed in: at their pace, then posting back to back (bench/locustfile.py, burst mode)."""
    results = []
    for write in WRITE_TARGETS:
        for paced in (True, False):
            how = "à leur rythme" if paced else "sans pause"
            print(f"Mesure : {write.name}, {args.write_users} personnes {how}, {args.write_duration:g} s…", flush=True)
            load = run_load(
                port=port,
                users=args.write_users,
                duration=args.write_duration,
                spawn_rate=args.write_users,
                workdir=RESULTS_DIR / "load",
                user_classes=[write.user_class],
                burst=not paced,
                measured=True,
            )
            results.append(_write_result(write, load, args, paced=paced))
    return results


def _write_result(write: WriteTarget, load, args: argparse.Namespace, *, paced: bool) -> WriteResult:
    entries = {entry.name: entry for entry in load.entries}
    posted = entries.get(write.request)
    refused = entries.get("Réservation : créneau déjà pris")
    records = [check for check in load.records if check.reported or check.in_database]
    return WriteResult(
        name=write.name,
        url=write.url,
        users=args.write_users,
        duration_s=args.write_duration,
        paced=paced,
        requests=posted.requests if posted else 0,
        median_ms=posted.median_ms if posted else 0,
        p95_ms=posted.p95_ms if posted else 0,
        requests_per_s=posted.requests_per_s if posted else 0,
        target_p95_ms=write.target_p95_ms,
        refused=refused.requests if refused else 0,
        errors=load.error_count,
        records_ok=all(check.ok for check in load.records),
        records="; ".join(
            f"{check.label} : {check.reported} confirmées, {check.in_database} en base, perdues {check.lost}, "
            f"en double {check.duplicated}, non signalées {check.unreported}"
            for check in records
        )
        or "aucune",
    )


def writes_section(writes: list[dict]) -> str:
    """The writes measured alone, with their targets, as a Markdown table."""
    header = (
        "Écriture",
        "Requête",
        "Personnes",
        "Rythme",
        "Nombre",
        "Médiane (ms)",
        "p95 (ms)",
        "Requêtes/s",
        "Objectif",
    )
    rows = []
    for write in writes:
        met = write_met(write)
        verdict = "" if met is None else ("atteint" if met else "manqué") + f" (p95 < {write['target_p95_ms']:g} ms)"
        rows.append(
            (
                write["name"],
                f"`{write['url']}`",
                str(write["users"]),
                "le leur" if write["paced"] else "sans pause",
                french_number(write["requests"]),
                french_number(write["median_ms"]),
                french_number(write["p95_ms"]),
                french_number(write["requests_per_s"], 1),
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    right = [False, False, True, False, True, True, True, True, False]

    def line(values):
        cells = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)]
        return "| " + " | ".join(cells) + " |"

    separator = "| " + " | ".join(("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, right, strict=True))
    lines = [
        "## Écritures mesurées seules",
        "",
        "Chaque formulaire est envoyé par des personnes simulées (locust) d’un seul parcours, deux fois. "
        "À leur rythme : chacune relit l’écran (ou le formulaire), envoie, puis s’arrête 0,5 à 2 s, comme dans la "
        "charge mixte (bien plus vite qu’à un vrai guichet) ; l’objectif de l’issue porte sur cette mesure. "
        "Sans pause : le formulaire seul (jeton CSRF lu une fois), envoyé à la chaîne, autant de requêtes "
        "simultanées que de personnes : la capacité du serveur. Les chiffres commencent une fois toutes les "
        "personnes connectées.",
        "",
        line(header),
        separator + " |",
        *(line(row) for row in rows),
        "",
    ]
    for write in writes:
        refused = f", {write['refused']} refus attendus (créneau déjà pris)" if write["refused"] else ""
        how = "à leur rythme" if write["paced"] else "sans pause"
        lines.append(f"- {write['name']}, {how} : {write['records']}{refused} ; erreurs : {write['errors']}.")
    return "\n".join(lines) + "\n"


def export_line(export: dict) -> str:
    size_mb = export["bytes"] / 1024 / 1024
    verdict = "atteint" if export["met"] else "manqué"
    return (
        f"- Export CSV des visites (`{export['url']}`, cheffe de projet, toutes les Maisons) : "
        f"{french_number(export['rows'])} lignes, {french_number(size_mb)} Mo "
        f"en {french_number(export['seconds'], 1)} s "
        f"({french_number(export['rows_per_s'])} lignes/s), mémoire maximale du processus "
        f"{french_number(export['peak_rss_mb'])} Mo dont {french_number(export['extra_mb'])} Mo pour l’export : "
        f"{verdict} (< {export['target_extra_mb']} Mo)."
    )


# Report ---------------------------------------------------------------------------------------------------------

COLUMNS = (
    "Page",
    "URL",
    "Requêtes/s",
    "Médiane (ms)",
    "p95 (ms)",
    "p95 seul (ms)",
    "Requêtes SQL",
    "% du plafond",
    "Objectif",
)


def target(row: Row) -> str:
    """The public pages' targets: uncached, 10 % of the ceiling; cached, 50 % and a p95 under 100 ms (at 16
    connections). A page with `p95_target_ms` (issues 7, 8 and 9) must also answer one reader within it (one
    connection); a page with no answer in time misses it."""
    wanted, met = [], True
    if row.page.cached is not None and row.ceiling_ratio is not None:
        if row.page.cached:
            met = row.ceiling_ratio >= CACHED_TARGET_PERCENT and row.result.latency_p95_ms < CACHED_TARGET_P95_MS
            wanted.append(f"≥ {CACHED_TARGET_PERCENT} %, p95 < {CACHED_TARGET_P95_MS} ms")
        else:
            met = row.ceiling_ratio >= UNCACHED_TARGET_PERCENT
            wanted.append(f"≥ {UNCACHED_TARGET_PERCENT} %")
    limit = row.page.p95_target_ms
    if limit is not None:
        alone = row.reader or row.result
        met = met and alone.requests > 0 and 0 < alone.latency_p95_ms < limit
        wanted.append(f"p95 seul < {limit:g} ms")
    if not wanted:
        return ""
    return ("atteint" if met else "manqué") + f" ({', '.join(wanted)})".replace(" %", "\u00a0%")


def french_number(value: float, decimals: int = 0) -> str:
    """French format: a narrow no-break space between thousands, a decimal comma."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def with_ceiling_ratios(rows: list[Row], ceiling: Row) -> list[Row]:
    for row in rows:
        rate = ceiling.result.requests_per_s
        row.ceiling_ratio = row.result.requests_per_s / rate * 100 if rate else None
    return rows


def table_cells(row: Row) -> list[str]:
    ratio = "–" if row.ceiling_ratio is None else f"{french_number(row.ceiling_ratio)}\u00a0%"
    return [
        row.page.name,
        f"`{row.page.url}`",
        french_number(row.result.requests_per_s),
        french_number(row.result.latency_p50_ms, 1),
        french_number(row.result.latency_p95_ms, 1),
        "–" if row.reader is None else french_number(row.reader.latency_p95_ms, 1),
        str(len(row.sql_queries)),
        ratio,
        target(row),
    ]


def markdown_table(rows: list[Row]) -> str:
    """A Markdown table whose columns also line up in a terminal; figures right-aligned."""
    cells = [list(COLUMNS), *(table_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    numeric = [False, False, True, True, True, True, True, True, False]

    def line(values: list[str]) -> str:
        padded = [v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, numeric, strict=True)]
        return "| " + " | ".join(padded) + " |"

    separator = "| " + " | ".join(
        ("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, numeric, strict=True)
    )
    return "\n".join([line(cells[0]), separator + " |", *(line(values) for values in cells[1:])])


def markdown_report(meta: dict, rows: list[Row], load_result=None) -> str:
    data = meta["data"]["rows"]
    load = meta["load"]
    header = [
        f"# Mesure de performance du portail – {meta['date']}",
        "",
        f"- Échelle : {meta['scale']} ({data['maisons']} Maisons, {data['rooms']} salles, "
        f"{french_number(data['visits'])} visites, {french_number(data['occupancies'])} occupations, "
        f"{data['partners']} partenaires, {data.get('pages', 0)} pages publiées)",
        f"- Machine : {meta['machine']['cpus']} processeurs (nproc), {meta['machine']['cpu_model']}, "
        f"Python {meta['machine']['python']}, Django {meta['machine']['django']}",
        f"- Serveur : gunicorn {meta['server']['gunicorn']}, {meta['server']['workers']} workers sync, "
        f"réglages de production ({SETTINGS_MODULE}), sur la même machine que wrk",
        f"- Charge : wrk, {load['threads']} threads, {load['connections']} connexions, {load['duration']:g} s par "
        f"page après {load['warmup']:g} s de chauffe, en-tête « X-Forwarded-Proto: https »",
        f"- Code : {meta['code']}",
        "",
        markdown_table(rows),
        "",
        "Requêtes SQL : celles d’une requête à la page, comptées hors charge après une première requête, sans "
        "BEGIN ni COMMIT (ATOMIC_REQUESTS) ; leur texte est dans le fichier JSON. "
        "% du plafond : requêtes par seconde de la page rapportées à celles de la vue triviale "
        f"`{CEILING.url}`, servie par le même serveur. Pages publiques : « sans cache », à travers les vues (comme "
        "pour un lecteur qui a une session) ; « en cache », comme un lecteur anonyme les reçoit du cache de pages.",
        "",
    ]
    if meta["data"].get("export"):
        header += [export_line(meta["data"]["export"]), ""]
    if meta["data"].get("imports"):
        from bench.imports import summary as imports_summary

        header += ["- " + imports_summary(meta["data"]["imports"]), ""]
    if meta["data"].get("reminders"):
        from bench.reminders import summary as reminders_summary

        header += ["- " + reminders_summary(meta["data"]["reminders"]), ""]
    if meta.get("writes"):
        header.append(writes_section(meta["writes"]))
    if load_result is not None:
        from bench.load import markdown_section

        header.append(markdown_section(load_result, french_number))
    return "\n".join(header)


def json_report(meta: dict, rows: list[Row], load_result=None) -> str:
    return json.dumps(
        {
            **meta,
            "mixed_load": load_result.as_dict() if load_result is not None else None,
            "pages": [
                {
                    **asdict(row.page),
                    "sql_queries": len(row.sql_queries),
                    "ceiling_ratio_percent": row.ceiling_ratio,
                    **asdict(row.result),
                    "reader": asdict(row.reader) if row.reader else None,
                    "sql": row.sql_queries,
                }
                for row in rows
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def write_results(meta: dict, rows: list[Row], directory: Path, stamp: str, load_result=None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    markdown = markdown_report(meta, rows, load_result)
    paths = [directory / f"{stamp}.md", directory / f"{stamp}.json", directory / "latest.md"]
    paths[0].write_text(markdown, encoding="utf-8")
    paths[1].write_text(json_report(meta, rows, load_result) + "\n", encoding="utf-8")
    paths[2].write_text(markdown, encoding="utf-8")
    return paths


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _code_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "inconnue (pas de dépôt git)"
    return f"commit {commit}" + (" avec des modifications locales" if dirty else "")


# Entry point ----------------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="Mesure de performance du portail.")
    parser.add_argument("--scale", type=int, default=1, help="taille des données (1 : 10 Maisons, 20 000 visites…)")
    parser.add_argument("--duration", type=float, default=10, help="secondes de mesure par page (10)")
    parser.add_argument("--warmup", type=float, default=2, help="secondes de chauffe par page, non mesurées (2)")
    parser.add_argument("--connections", type=int, default=16, help="connexions simultanées de wrk (16)")
    parser.add_argument("--threads", type=int, default=2, help="threads de wrk (2)")
    parser.add_argument("--workers", type=int, default=4, help="workers gunicorn (4)")
    parser.add_argument("--port", type=int, default=0, help="port du serveur (par défaut, un port libre)")
    parser.add_argument(
        "--reuse-db", action="store_true", help="garder la base de mesure si elle existe déjà à la même échelle"
    )
    parser.add_argument(
        "--load-duration", type=float, default=60, help="secondes de charge mixte (locust) après les pages ; 0 : sans"
    )
    parser.add_argument("--load-users", type=int, default=50, help="personnes simulées de la charge mixte (50)")
    parser.add_argument("--load-spawn-rate", type=float, default=10, help="personnes lancées par seconde (10)")
    parser.add_argument(
        "--write-duration",
        type=float,
        default=30,
        help="secondes de mesure de chaque écriture (visite, réservation) à --write-users personnes ; 0 : sans",
    )
    parser.add_argument("--write-users", type=int, default=16, help="personnes simultanées par écriture (16)")
    parser.add_argument("--skip-export", action="store_true", help="sans la mesure de l’export CSV des visites")
    parser.add_argument("--skip-reminders", action="store_true", help="sans la mesure des 10 000 rappels")
    args = parser.parse_args(argv)
    if args.scale < 1 or args.workers < 1 or args.connections < args.threads or args.duration <= 0:
        parser.error("échelle et workers ≥ 1, connexions ≥ threads, durée > 0")
    if args.load_duration < 0 or args.load_users < 1 or args.load_spawn_rate <= 0:
        parser.error("charge mixte : durée ≥ 0, personnes ≥ 1, arrivée > 0")
    if args.write_duration < 0 or args.write_users < 1:
        parser.error("écritures : durée ≥ 0, personnes ≥ 1")
    return args


def _measure_pages(
    args: argparse.Namespace, port: int, pages: list[Page], cookies: dict, results: dict, readers: dict
) -> None:
    for page in pages:
        headers = {**PROXY_HEADERS, **({"Cookie": cookies[page]} if page in cookies else {})}
        # A first request may be slow (each worker's first queries, a long document): not what is measured.
        status, location = http_get(port, page.url, headers, timeout=60)
        if status != 200:
            raise BenchError(
                f"{page.name} ({page.url}) répond {status} au lieu de 200 sous gunicorn"
                + (f" (redirection vers {location})" if location else "")
                + "."
            )
        print(f"Mesure : {page.name} ({page.url}), {args.duration:g} s…", flush=True)
        results[page] = run_wrk(port, page, args, headers)
        if page.p95_target_ms is not None:
            print(f"Mesure : {page.name} ({page.url}), un lecteur seul, {args.duration:g} s…", flush=True)
            readers[page] = run_wrk(port, page, args, headers, connections=1)


def measure(args: argparse.Namespace, stamp: str) -> tuple[dict, list[Row], object]:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        raise BenchError("DATABASE_URL n’est pas défini : lancez « make bench », qui le fournit.")
    if shutil.which("wrk") is None:
        raise BenchError("wrk est introuvable : sudo apt-get install wrk")
    bench_url = bench_database_url(database_url)
    created = prepare_database(bench_url, reuse=args.reuse_db)
    configure_environment(bench_url, cache_prefix=f"bench-{stamp}")
    name = bench_url.rpartition("/")[2].partition("?")[0]
    print(f"Base de mesure : {unquote(name)}" + (" (recréée)" if created else " (gardée)"), flush=True)
    data = setup_portal(args.scale)
    # The partner import (issue 7): 10,000 organisations and 30,000 services, in a process of its own for its memory.
    from bench import imports as bench_imports

    print("Mesure de l’import de partenaires (10 000 organisations, 30 000 services)…", flush=True)
    data["imports"] = bench_imports.measure_in_subprocess()
    print(bench_imports.summary(data["imports"]), flush=True)
    if not args.skip_reminders:
        # 10,000 due reminders delivered by 2 worker processes to a capturing SMTP server (issue 10).
        from bench import reminders as bench_reminders

        print("Mesure des rappels : 10 000 courriels dus, 2 processus worker…", flush=True)
        data["reminders"] = bench_reminders.measure_in_subprocess()
        print(bench_reminders.summary(data["reminders"]), flush=True)
        if not data["reminders"]["met"]:  # A reminder lost or sent twice is an error, not a slow figure.
            raise BenchError(bench_reminders.summary(data["reminders"]))
    if not args.skip_export:
        # The CSV export of the year's visits (issue 8), in a process of its own for its memory.
        from bench import exports as bench_exports

        print("Mesure de l’export CSV des visites de l’année…", flush=True)
        data["export"] = bench_exports.measure_in_subprocess()
        print(bench_exports.summary(data["export"]), flush=True)

    vacuum()
    import django
    import gunicorn

    pages = [*PAGES, CEILING]
    queries, cookies = count_queries(pages)
    port = args.port or free_port()
    load_result = None
    write_results_ = []
    results, readers = {}, {}
    # The portal mails each invitation the load test creates: to an SMTP server on the loopback, as in production.
    with mail_sink() as (email_url, _sink):
        os.environ["EMAIL_URL"] = email_url
        server = Gunicorn(workers=args.workers, port=port, log_path=RESULTS_DIR / "gunicorn.log")
        try:
            print(f"gunicorn, {args.workers} workers, sur http://{HOST}:{port}/", flush=True)
            server.start()
            _measure_pages(args, port, pages, cookies, results, readers)
            if args.load_duration > 0:
                print(
                    f"Charge mixte : {args.load_users} personnes simulées, {args.load_duration:g} s (locust)…",
                    flush=True,
                )
                load_result = run_load(
                    port=port,
                    users=args.load_users,
                    duration=args.load_duration,
                    spawn_rate=args.load_spawn_rate,
                    workdir=RESULTS_DIR / "load",
                )
            if args.write_duration > 0:
                write_results_ = measure_writes(args, port)
        finally:
            server.stop()
    rows = [Row(page, queries[page], results[page], readers.get(page)) for page in pages]
    with_ceiling_ratios(rows, rows[-1])
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": args.scale,
        "data": data,
        "machine": {
            "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu_model": _cpu_model(),
            "python": platform.python_version(),
            "django": django.get_version(),
        },
        "server": {"gunicorn": gunicorn.__version__, "workers": args.workers, "settings": SETTINGS_MODULE},
        "load": {
            "tool": "wrk",
            "threads": args.threads,
            "connections": args.connections,
            "duration": args.duration,
            "warmup": args.warmup,
        },
        "code": _code_version(),
        "writes": [asdict(write) for write in write_results_],
    }
    return meta, rows, load_result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # devtools.services ignores SIGINT while it waits, and an ignored signal stays ignored across exec: restore
    # Ctrl-C here, so that it stops wrk and, through `finally`, gunicorn.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # `kill` or a CI timeout stops the benchmark like Ctrl-C does: through the `finally` that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        meta, rows, load_result = measure(args, stamp)
    except (BenchError, LoadError) as error:
        print(f"\nÉchec de la mesure : {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nMesure interrompue.", file=sys.stderr)
        return 130
    print("\n" + markdown_table(rows) + "\n")
    if meta["data"].get("export"):
        print(export_line(meta["data"]["export"]) + "\n")
    if meta.get("writes"):
        print(writes_section(meta["writes"]))
    if load_result is not None:
        print(markdown_section(load_result, french_number))
    for write in meta.get("writes", []):
        if write_met(write) is False:
            print(f"Objectif manqué : {write['name']} (p95 < {write['target_p95_ms']:g} ms).", file=sys.stderr)
        if write["errors"] or not write["records_ok"]:
            print(
                f"Échec : {write['name']}, {write['errors']} erreur(s), enregistrements {write['records']} ; "
                f"voir {RESULTS_DIR / 'gunicorn.log'}.",
                file=sys.stderr,
            )
            return 1
    for row in rows:
        if target(row).startswith("manqué"):
            print(f"Objectif manqué : {row.page.name} ({target(row)}).", file=sys.stderr)
    failures = [row for row in rows if row.result.status_errors]
    for row in rows:
        if row.result.socket_errors:
            print(f"Attention : {row.page.name}, erreurs de connexion {row.result.errors}.", file=sys.stderr)
    if failures:
        for row in failures:
            print(
                f"Échec : {row.page.name} ({row.page.url}) a répondu {row.result.status_errors} fois "
                f"sans succès (statut 4xx ou 5xx) sur {row.result.requests} requêtes ; "
                f"voir {RESULTS_DIR / 'gunicorn.log'}.",
                file=sys.stderr,
            )
        return 1
    if load_result is not None and not load_result.ok:
        print(
            f"Échec de la charge mixte : {load_result.error_count} erreur(s), enregistrements "
            + ", ".join(f"{check.label.lower()} {'OK' if check.ok else 'en écart'}" for check in load_result.records)
            + f" ; voir {RESULTS_DIR / 'gunicorn.log'} et {RESULTS_DIR / 'load'}.",
            file=sys.stderr,
        )
        return 1
    paths = write_results(meta, rows, RESULTS_DIR, stamp, load_result)
    print("Résultats : " + ", ".join(str(path.relative_to(BASE_DIR)) for path in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
