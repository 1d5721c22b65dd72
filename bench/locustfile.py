"""The load test's simulated people (locust), run by bench/load.py in a process of its own.

    LOAD_CONFIG=config.json locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:PORT

locust patches the standard library with gevent when imported: never import this module, or locust, in the
benchmark's or the tests' process. It imports nothing from the portal either (no Django here): the accounts, the
pages and where to write come from the JSON file named by LOAD_CONFIG, written by bench/load.py.

Each scenario is a user class. A write scenario records each record it created, once the server confirmed it,
in the ledger (one "kind<TAB>key" line each); bench/load.py then compares the ledger with the database.
To add one: a class like InvitationWriter with its own weight, accounts in bench/seed.py `load_accounts_seed`, and
a `Write` line in bench/load.py `WRITES`.

bench/run.py measures each write alone, one user class at a time, twice. With `"measured_users": N` in the
configuration, the figures start once the N people have signed in (the sign-ins, at production hashing cost, would
otherwise weigh on the first posts); the people act as in the mixed load, pausing between actions. With
`"burst": true` besides, they pause no more and post the form alone, its CSRF token read once: N simulated people
are then N requests at once, as wrk's connections are for the pages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from locust import HttpUser, between, events, task

CONFIG = json.loads(Path(os.environ["LOAD_CONFIG"]).read_text(encoding="utf-8"))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The TLS-terminating proxy's headers (production settings redirect plain HTTP, and count clients by address).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
CLIENT_NUMBERS = itertools.count(1)
# Each simulated person takes the next account of its kind: one account each (see bench/seed.py).
ACCOUNTS = {kind: iter(accounts) for kind, accounts in CONFIG["accounts"].items()}
BURST = CONFIG.get("burst", False)
MOTIF_FIELD = re.compile(r'name="motifs" value="([0-9]+)"')
# The last visit the reception screen lists: its form sends it back, and the answer adds only the visits after it.
SHOWN_UNTIL_FIELD = re.compile(r'name="shown_until" value="([0-9]+)"')
HOLDER_FIELD = re.compile(r'name="holder" value="([0-9]+)"')
FIELD_ERROR = re.compile(r'class="field__error">([^<]+)<')
FORM_ERRORS = re.compile(r'<div class="form-errors"[^>]*>\s*<p>[^<]*</p>\s*<p>([^<]+)</p>')


def totp_code(secret: str, period: int = 30, digits: int = 6, margin: float = 2) -> str:
    """The authenticator app's current code (RFC 6238, as allauth.mfa.totp.internal.auth.hotp_value).

    With less than `margin` seconds left in the period, wait for the next one: under load the request may wait
    several seconds for a worker, and the server accepts a code one period late at most (MFA_TOTP_TOLERANCE 1).
    """
    if period - time.time() % period < margin:
        time.sleep(period - time.time() % period + 0.1)
    counter = int(time.time()) // period
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def record(kind: str, key: str) -> None:
    """One line in the ledger per record the server confirmed (gevent: one writer at a time, flushed at once)."""
    with open(CONFIG["ledger"], "a", encoding="utf-8") as ledger:
        ledger.write(f"{kind}\t{key}\n")


class PortalUser(HttpUser):
    """A person on the portal: behind the proxy with an address of their own, reading pages that must answer."""

    abstract = True
    pause = staticmethod(between(0.5, 2.0))

    def wait_time(self):
        """0.5 to 2 s between actions, as people pause; none in a burst measurement."""
        return 0 if BURST else self.pause(self)

    def on_start(self):
        number = next(CLIENT_NUMBERS)
        # Distinct client addresses, as the proxy reports them: per-address limits count each person apart.
        self.client.headers.update({**PROXY_HEADERS, "X-Forwarded-For": f"10.52.{number // 250}.{number % 250 + 1}"})
        self.origin = "https://" + self.host.split("://", 1)[1].rstrip("/")

    def _send_secure_cookies(self) -> None:
        """The portal's cookies are Secure, and the load runs in plain HTTP on the loopback (TLS is the proxy's
        job): clear the flag, or the HTTP client would keep them to itself."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def read(self, path: str, name: str | None = None) -> None:
        self._send_secure_cookies()
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} : statut {response.status_code} {response.headers.get('Location', '')}")

    def form_token(self, path: str, name: str) -> str | None:
        """GET a form page: its text once it answered 200 with a CSRF token (kept in `self.csrf`), else None."""
        self._send_secure_cookies()
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as page:
            token = CSRF_FIELD.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure(f"{path} : statut {page.status_code}, jeton CSRF {'absent' if token is None else 'lu'}")
                return None
            self.csrf = token.group(1)
            return page.text

    def post(self, path: str, data: dict, name: str, headers: dict | None = None):
        """POST with the CSRF token last read; the response, to check inside the `with`."""
        self._send_secure_cookies()
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": self.csrf},
            headers={"Origin": self.origin, "Referer": self.origin + path, **(headers or {})},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def submit(self, path: str, data: dict | Callable[[], dict], name: str) -> str | None:
        """GET the form, POST it with its CSRF token; the redirect's target, or None (failure recorded).

        `data` may be a function, called once the form is there (a code that must be fresh when posted).
        """
        self._send_secure_cookies()
        with self.client.get(path, name=f"{name} (formulaire)", allow_redirects=False, catch_response=True) as page:
            token = CSRF_FIELD.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure(f"{path} : statut {page.status_code}, jeton CSRF {'absent' if token is None else 'lu'}")
                return None
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        self._send_secure_cookies()
        with self.client.post(
            path,
            data={**(data() if callable(data) else data), "csrfmiddlewaretoken": token.group(1)},
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{path} : statut {response.status_code} au lieu d’une redirection")
                return None
            return response.headers["Location"]

    def sign_in(self, account: dict) -> None:
        """The real sign-in form, then the code step for the accounts that have an authenticator app."""
        location = self.submit(
            "/comptes/login/", {"login": account["email"], "password": CONFIG["password"]}, "Connexion"
        )
        if location and location.startswith("/comptes/2fa/"):
            secret = account["totp_secret"]
            location = self.submit(
                location, lambda: {"code": totp_code(secret, margin=CONFIG["totp_margin"])}, "Connexion : code"
            )
        if location is not None and location != "/comptes/":
            self.environment.events.request.fire(
                request_type="POST",
                name="Connexion : arrivée",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"{account['email']} : redirigé vers {location}"),
                context={},
            )


class PublicReader(PortalUser):
    """Anyone: the home page, a Maison, the news and information pages, a search, the directory, the legal pages,
    the site map."""

    weight = 3

    @task(3)
    def home(self):
        self.read("/", "Accueil")

    @task(3)
    def maison(self):
        self.read(f"/maisons/{random.choice(CONFIG['maisons'])}/", "Une Maison")

    @task(1)
    def legal(self):
        self.read(random.choice(CONFIG["legal_pages"]), "Pages légales")

    @task(1)
    def site_map(self):
        self.read("/plan-du-site/", "Plan du site")

    @task(3)
    def editorial_page(self):
        self.read(random.choice(CONFIG["editorial_pages"]), "Une actualité ou une page d’information")

    @task(2)
    def search(self):
        self.read(f"/recherche/?q={quote(random.choice(CONFIG['searches']))}", "Recherche")

    @task(2)
    def partner(self):
        self.read(
            random.choice(["/partenaires/", *(f"/partenaires/{slug}/" for slug in CONFIG["partners"])]), "Annuaire"
        )

    @task(2)
    def agenda(self):
        self.read(random.choice(["/agenda/", "/agenda/?vue=mois", "/agenda.ics"]), "Agenda")


class StaffReader(PortalUser):
    """An agent or an official: signs in through the form, then reads their pages."""

    weight = 1

    def on_start(self):
        super().on_start()
        self.account = next(ACCOUNTS["readers"])
        self.pages = CONFIG["staff_pages"][self.account["role"]]
        self.sign_in(self.account)

    @task
    def staff_page(self):
        self.read(random.choice(self.pages))


class InvitationWriter(PortalUser):
    """The project lead (MFA): creates invitations through the real form, each to an address of its own."""

    weight = 1

    def on_start(self):
        super().on_start()
        self.account = next(ACCOUNTS["writers"])
        self.sign_in(self.account)

    @task(3)
    def invite(self):
        email = f"{uuid.uuid4().hex}@{CONFIG['invitation_domain']}"
        data = {"email": email, "first_name": "Invitée", "last_name": "Charge", "roles": CONFIG["invitation_role"]}
        if self.submit("/comptes/invitations/nouvelle/", data, "Invitation : création") == "/comptes/invitations/":
            record("invitation", email)

    @task(1)
    def staff_page(self):
        self.read(random.choice(CONFIG["staff_pages"]["chef_projet"]))


READY = itertools.count(1)


def signed_in() -> None:
    """In a write measured alone, the figures start once the last person has signed in."""
    if CONFIG.get("measured_users") and next(READY) == CONFIG["measured_users"]:
        ENVIRONMENT[0].stats.reset_all()


class VisitWriter(PortalUser):
    """A reception agent (one Maison each): logs visits from the reception screen as htmx posts it (the form
    swapped in place), one idempotency token per entry, often reading the screen between two (issue 8)."""

    weight = 1

    def on_start(self):
        super().on_start()
        self.account = next(ACCOUNTS["agents"])
        self.sign_in(self.account)
        page = self.form_token("/accueil/", "/accueil/")
        self.motifs = MOTIF_FIELD.findall(page or "")
        self.shown_until = self.read_shown_until(page, "0")
        if page is not None and not self.motifs:
            self.fail("Accueil : aucun motif proposé à la saisie")
        signed_in()

    def fail(self, message: str) -> None:
        self.environment.events.request.fire(
            request_type="POST",
            name="Visite : enregistrement",
            response_time=0,
            response_length=0,
            exception=RuntimeError(message),
            context={},
        )

    @staticmethod
    def read_shown_until(text: str | None, default: str) -> str:
        found = SHOWN_UNTIL_FIELD.search(text or "")
        return found.group(1) if found else default

    @task(3)
    def log_visit(self):
        if not self.motifs:
            return
        if not BURST:
            page = self.form_token("/accueil/", "/accueil/")
            self.shown_until = self.read_shown_until(page, self.shown_until)
        token = str(uuid.uuid4())
        data = {
            "token": token,
            "motifs": random.choice(self.motifs),
            "channel": random.choice(["physique", "physique", "telephone", "courriel"]),
            "outcome": "repondu",
            "duration_band": "5_15",
            # Kept only when the reason drawn is « Autre », which asks for it.
            "other_motif": "Demande de mesure",
            # As the screen's form sends them: the last visit listed, and that the browser empties the form itself
            # (accueil/views.py: the answer then brings the next token, the message, counters and new rows only).
            "shown_until": self.shown_until,
            "fresh": "1",
        }
        with self.post("/accueil/", data, "Visite : enregistrement", {"HX-Request": "true"}) as response:
            if response.status_code != 200 or "Visite enregistrée à" not in response.text:
                errors = FIELD_ERROR.findall(response.text or "")
                response.failure(f"/accueil/ : statut {response.status_code}, visite non confirmée {errors[:3]}")
                return
            self.shown_until = self.read_shown_until(response.text, self.shown_until)
        record("visit", token)


class BookingWriter(PortalUser):
    """An elected official: books free rooms through the two-step form (issue 9). Each one takes slots of its
    own (bench/load.py shares them out), and one attempt in ten a slot every official aims at: the form then
    refuses it with its message, an expected answer, counted apart (« Réservation : créneau déjà pris »)."""

    weight = 1

    def on_start(self):
        super().on_start()
        self.account = next(ACCOUNTS["officials"])
        self.slots = iter(CONFIG["booking_slots"][self.account["email"]])
        self.sign_in(self.account)
        self.holder = None
        if BURST:  # The form's token and the official's id, read once.
            slot = CONFIG["booking_contested"][0]
            self.holder = self.read_form(slot)
        signed_in()

    def read_form(self, slot: dict) -> str | None:
        page = self.form_token(f"/reservations/nouvelle/?salle={slot['room']}", "Réservation (formulaire)")
        match = HOLDER_FIELD.search(page or "")
        return match.group(1) if match else None

    @task
    def book(self):
        contested = random.random() < 0.1
        slot = random.choice(CONFIG["booking_contested"]) if contested else next(self.slots, None)
        if slot is None:
            return
        holder = self.holder if BURST else self.read_form(slot)
        if holder is None:
            return
        data = {
            "room": slot["room"],
            "holder": holder,
            "date": slot["date"],
            "start_time": slot["start"],
            "end_time": slot["end"],
            "purpose": "Permanence de mesure",
            "expected_attendance": "2",
            "frequency": "",
        }
        with self.post(
            f"/reservations/nouvelle/?salle={slot['room']}", data, "Réservation : enregistrement"
        ) as response:
            if response.status_code == 302 and response.headers.get("Location") == "/reservations/mes-reservations/":
                record("booking", f"{slot['room']} {slot['date']}T{slot['start']}")
                return
            if response.status_code == 200 and "est déjà occupée" in response.text:
                refused = True
            else:
                errors = FIELD_ERROR.findall(response.text or "") + FORM_ERRORS.findall(response.text or "")
                response.failure(
                    f"réservation : statut {response.status_code} {response.headers.get('Location', '')} {errors[:3]}"
                )
                return
        if refused:
            self.environment.events.request.fire(
                request_type="POST",
                name="Réservation : créneau déjà pris",
                response_time=0,
                response_length=0,
                exception=None,
                context={},
            )


SPAWNED: dict[str, int] = {}
ENVIRONMENT = []


@events.init.add_listener
def keep_environment(environment, **kwargs):
    ENVIRONMENT.append(environment)


@events.spawning_complete.add_listener
def note_users(user_count, **kwargs):
    """How many simulated people each scenario had once all were started (none are left when locust quits)."""
    SPAWNED.update(ENVIRONMENT[0].runner.user_classes_count)


@events.quitting.add_listener
def write_summary(environment, **kwargs):
    """The figures bench/load.py reads: per request name, the totals, the errors and exceptions."""
    stats = environment.stats

    def entry(item):
        return {
            "name": item.name,
            "method": item.method,
            "requests": item.num_requests,
            "failures": item.num_failures,
            "median_ms": item.median_response_time,
            "p95_ms": item.get_response_time_percentile(0.95) if item.num_requests else 0,
            "requests_per_s": item.total_rps,
        }

    summary = {
        # Requests made before a measurement's figures started leave empty entries behind (stats.reset_all).
        "entries": [
            entry(item)
            for item in sorted(stats.entries.values(), key=lambda item: item.name)
            if item.num_requests or item.num_failures
        ],
        "total": entry(stats.total),
        "errors": [
            {"name": error.name, "method": error.method, "error": str(error.error), "occurrences": error.occurrences}
            for error in stats.errors.values()
        ],
        "exceptions": [
            {"message": str(exc["msg"]), "count": exc["count"], "traceback": exc["traceback"]}
            for exc in (environment.runner.exceptions.values() if environment.runner else [])
        ],
        "users": dict(SPAWNED),
    }
    Path(CONFIG["summary"]).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
