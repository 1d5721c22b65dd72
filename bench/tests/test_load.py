"""The load test of `make bench`: a short run against a real gunicorn, then its counts; its parts alone."""

import ast
import datetime
import json
import time
import uuid
from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.tests.factories import InvitationFactory
from accueil.models import Visit
from bench import load, run
from bench.seed import LOAD_ACCOUNT_DOMAIN, LOAD_INVITATION_DOMAIN, Volumes, bench_seed, load_accounts_seed
from events.tests.factories import OccupancyFactory, period
from maisons.models import Room

TINY = Volumes(
    maisons=1,
    rooms_per_maison=1,
    visits=10,
    occupancies=5,
    partners=1,
    news=1,
    information_pages=1,
    reception_visits=20,
    reception_maisons=3,
    past_occupancies=5,
)


def _test_database_url() -> str:
    """The test database, for a server in another process (hence the committed data of a transactional test)."""
    config = connection.settings_dict
    host = config["HOST"] or "127.0.0.1"
    credentials = quote(config["USER"] or "") + (":" + quote(config["PASSWORD"]) if config["PASSWORD"] else "")
    return f"postgres://{credentials}@{quote(host, safe='')}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.fixture
def bench_server(tmp_path, few_communes):
    """gunicorn with the benchmark's production settings on the test database, seeded; its port."""
    bench_seed(TINY)
    with load.mail_sink() as (email_url, sink):
        env = run.server_environment(
            _test_database_url(), f"bench-test-{uuid.uuid4().hex}", settings_module="bench.tests.server_settings"
        )
        env["EMAIL_URL"] = email_url
        server = run.Gunicorn(workers=2, port=run.free_port(), log_path=tmp_path / "gunicorn.log", env=env)
        server.start()
        try:
            yield server, sink
        finally:
            server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_short_load_run_has_no_error_and_every_record_counted(bench_server, tmp_path):
    server, sink = bench_server

    # Long enough for the project lead to sign in (password hashing at production cost, the code step) and write.
    result = load.run_load(port=server.port, users=7, duration=10, spawn_rate=7, workdir=tmp_path / "load")

    assert result.exceptions == [] and result.errors == [], (result.errors, server.log_tail())
    assert result.error_count == 0
    names = {entry.name for entry in result.entries}
    assert {"Connexion", "Connexion : code", "Invitation : création"} <= names
    # Reads too (which pages, the simulated people draw at random in ten seconds).
    assert any(not name.startswith(("Connexion", "Invitation", "Visite", "Réservation")) for name in names), names
    assert {"Visite : enregistrement", "Réservation : enregistrement"} <= names
    assert result.users_per_scenario == {
        "PublicReader": 3,
        "StaffReader": 1,
        "InvitationWriter": 1,
        "VisitWriter": 1,
        "BookingWriter": 1,
    }
    invitations, visits, bookings = result.records
    created = Invitation.objects.filter(email__endswith="@" + LOAD_INVITATION_DOMAIN).count()
    assert invitations.reported == invitations.in_database == created > 0
    assert (
        visits.reported
        == visits.in_database
        == Visit.all_objects.filter(agent__email__endswith="@" + LOAD_ACCOUNT_DOMAIN).count()
        > 0
    )
    assert bookings.reported == bookings.in_database > 0
    assert all(check.ok for check in result.records) and result.ok
    assert sink.received == created  # Each invitation was mailed, once.


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_one_writer_counts_only_its_posts(bench_server, tmp_path):
    server, _sink = bench_server

    result = load.run_load(
        port=server.port,
        users=2,
        duration=6,
        spawn_rate=2,
        workdir=tmp_path / "load",
        user_classes=["BookingWriter"],
        burst=True,
    )

    assert result.error_count == 0, (result.errors, server.log_tail())
    assert result.users_per_scenario == {"BookingWriter": 2}
    entries = {entry.name: entry for entry in result.entries}
    # The form is read once per person, before the figures start: only the posts are left.
    assert set(entries) <= {"Réservation : enregistrement", "Réservation : créneau déjà pris"}
    assert entries["Réservation : enregistrement"].requests > 0
    bookings = next(check for check in result.records if check.kind == "booking")
    assert bookings.ok and bookings.reported > 0


def test_booking_slots_are_shared_out_without_overlap(few_communes):
    bench_seed(TINY)

    own, contested = load.booking_slots(["a@x.test", "b@x.test"])

    keys = [(slot["room"], slot["date"], slot["start"]) for slots in own.values() for slot in slots]
    assert len(keys) == len(set(keys)) > 0 and contested
    assert not {(slot["room"], slot["date"], slot["start"]) for slot in contested} & set(keys)


def test_booking_slots_leave_out_what_an_earlier_run_booked(few_communes):
    bench_seed(TINY)
    own, _contested = load.booking_slots(["a@x.test"])
    slot = own["a@x.test"][0]
    room = Room.objects.get(pk=slot["room"])
    start = timezone.make_aware(
        datetime.datetime.combine(
            datetime.date.fromisoformat(slot["date"]), datetime.time.fromisoformat(slot["start"])
        )
    )
    OccupancyFactory(maison=room.maison, room=room, period=period(start))

    again, _contested = load.booking_slots(["a@x.test"])

    assert slot not in again["a@x.test"] and len(again["a@x.test"]) == len(own["a@x.test"]) - 1


def test_check_records_finds_lost_duplicated_and_unreported_records(tmp_path):
    for address in ("a", "b", "c"):
        InvitationFactory(email=f"{address}@{LOAD_INVITATION_DOMAIN}")
    ledger = tmp_path / "ledger.tsv"
    ledger.write_text(
        "".join(f"invitation\t{a}@{LOAD_INVITATION_DOMAIN}\n" for a in ("a", "b", "b", "d")), encoding="utf-8"
    )

    check = next(check for check in load.check_records(ledger) if check.kind == "invitation")

    assert (check.reported, check.in_database) == (4, 3)
    assert (check.lost, check.duplicated, check.unreported) == (1, 1, 1)
    assert not check.ok


def test_load_accounts_give_project_leads_a_code_the_locustfile_computes_as_allauth(few_communes):
    bench_seed(TINY)

    accounts = load_accounts_seed(readers=2, writers=1, agents=2, officials=1)

    assert [account.role for account in accounts] == ["agent", "elu", "chef_projet", "agent", "agent", "elu"]
    assert [account.kind for account in accounts] == ["readers"] * 2 + ["writers"] + ["agents"] * 2 + ["officials"]
    assert User.objects.get(email=accounts[0].email).maisons.exists()
    # Each agent who logs visits has one Maison: the reception screen does not ask which.
    desks = [list(User.objects.get(email=account.email).maisons.all()) for account in accounts[3:5]]
    assert all(len(maisons) == 1 for maisons in desks) and desks[0] != desks[1]
    assert [bool(account.totp_secret) for account in accounts] == [False, False, True, False, False, False]
    secret = accounts[2].totp_secret
    code = _locustfile_totp()(secret)
    counter = int(time.time()) // 30
    # The locustfile waits out the last two seconds of a period: the code is this period's or the next one's.
    assert code in {format_hotp_value(hotp_value(secret, counter + n)) for n in (0, 1)}


def _locustfile_totp():
    """The locustfile's totp_code, read without importing locust (which patches this process with gevent)."""
    source = load.LOCUSTFILE.read_text(encoding="utf-8")
    tree = ast.parse(source)
    [function] = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "totp_code"]
    namespace = {}
    exec("import base64, hashlib, hmac, struct, time\n" + ast.get_source_segment(source, function), namespace)
    return namespace["totp_code"]


def test_markdown_section_reports_requests_and_counts():
    entry = load.LoadEntry("Accueil", "GET", 1200, 0, 35.0, 120.0, 20.0)
    total = load.LoadEntry("Aggregated", "", 1500, 0, 40.0, 150.0, 25.0)
    check = load.RecordCheck("invitation", "Invitations", 42, 42, 0, 0, 0)
    result = load.LoadResult(50, 60, 10, [entry], total, records=[check], users_per_scenario={"PublicReader": 30})

    section = load.markdown_section(result, run.french_number)

    assert "## Charge mixte (locust) : 50 personnes simulées, 60 s" in section
    assert "| Accueil    |  1\u202f200 |      0 |" in section
    assert "- Invitations : 42 créations confirmées aux personnes simulées, 42 en base ; perdues 0" in section
    assert "- Erreurs (statut inattendu ou exception) : 0." in section


def test_results_files_carry_the_load_section_and_figures(tmp_path):
    from bench.tests.test_bench import make_meta, make_row

    ceiling = make_row("Plafond", "/bench/plafond/", 2000.0, 5.0, 12.0, 0)
    rows = run.with_ceiling_ratios([ceiling], ceiling)
    total = load.LoadEntry("Aggregated", "", 10, 1, 40.0, 150.0, 25.0)
    check = load.RecordCheck("invitation", "Invitations", 3, 3, 0, 0, 0)
    result = load.LoadResult(5, 10, 5, [], total, records=[check])

    markdown, data, _ = run.write_results(make_meta(), rows, tmp_path, "20261129T231200Z", result)

    assert "## Charge mixte (locust) : 5 personnes simulées, 10 s" in markdown.read_text(encoding="utf-8")
    figures = json.loads(data.read_text(encoding="utf-8"))["mixed_load"]
    assert (figures["error_count"], figures["ok"], figures["records"][0]["in_database"]) == (1, False, 3)


def test_load_options_default_to_fifty_people_for_sixty_seconds():
    args = run.parse_args([])
    assert (args.load_users, args.load_duration, args.load_spawn_rate) == (50, 60, 10)
    assert run.parse_args(["--load-duration", "0"]).load_duration == 0
    with pytest.raises(SystemExit):
        run.parse_args(["--load-users", "0"])
