"""`make backup` / `make restore`: a backup restored into a new, empty database gives back the same data and files.

The commands run as `make` runs them (`python -m devtools.backup`, in a subprocess) against this test's database on
the real server: pg_dump sees committed rows only, hence the transactional tests.
"""

import dataclasses
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from accounts.enums import Role
from accueil.models import Motif
from accueil.tests.factories import VisitFactory
from devtools.backup import BackupError, Database, client_major_version, find_client
from events.tests.factories import OccupancyFactory
from partenaires.models import Partner

pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name))


def run_backup(*args: str, database: str, media_root: Path, backup_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media_root),
        "BACKUP_DIR": str(backup_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "devtools.backup", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def this_database() -> Database:
    return Database.from_settings(connection.settings_dict)


@pytest.fixture
def empty_database():
    """A new database on the test server, dropped after the test."""
    source = this_database()
    target = dataclasses.replace(source, name=f"{source.name}_restore")
    with dataclasses.replace(source, name="postgres").connect() as server:
        server.autocommit = True
        server.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{target.name}"')
    yield target
    with dataclasses.replace(source, name="postgres").connect() as server:
        server.autocommit = True
        server.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


def snapshot(database: Database) -> dict:
    """Row counts per table, constraints, indexes and sequence positions of the public schema."""
    with database.connect() as db:
        tables = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        counts = {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        constraints = {
            row[0]
            for row in db.execute(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = 'public'"
            )
        }
        indexes = {row[0] for row in db.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
        sequences = dict(db.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"))
        extensions = {row[0] for row in db.execute("SELECT extname FROM pg_extension")}
    return {
        "counts": counts,
        "constraints": constraints,
        "indexes": indexes,
        "sequences": sequences,
        "extensions": extensions,
    }


def test_a_backup_restores_into_an_empty_database_with_the_same_data_and_files(
    tmp_path, maison_langres, user_with_role, empty_database
):
    agent = user_with_role(Role.AGENT, first_name="Émilie")
    partner = Partner.objects.create(name="Caisse d’allocations familiales", slug="caf", acronym="CAF")
    motif = Motif.objects.create(label="Aide au dossier de retraite")
    VisitFactory(maison=maison_langres, agent=agent, motifs=[motif], partner=partner, note="Rappeler jeudi")
    occupancy = OccupancyFactory(maison=maison_langres, title="Permanence CAF")
    media_root, backup_dir = tmp_path / "media", tmp_path / "sauvegardes"
    poster = media_root / "pages" / "affiche été 2026.pdf"
    poster.parent.mkdir(parents=True)
    poster.write_bytes(b"%PDF-1.7 affiche\x00\xff")
    source = this_database()

    made = run_backup("backup", database=source.name, media_root=media_root, backup_dir=backup_dir)
    assert made.returncode == 0, made.stderr
    (folder,) = backup_dir.iterdir()
    restored_media = tmp_path / "media-restauree"
    restored = run_backup(
        "restore", str(folder), database=empty_database.name, media_root=restored_media, backup_dir=backup_dir
    )

    assert restored.returncode == 0, restored.stderr
    assert folder.name.startswith("portail-")
    assert {path.name for path in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)  # Personal data: the owner only.
    before, after = snapshot(source), snapshot(empty_database)
    assert after == before
    for table in ("accounts_user", "maisons_maison", "partenaires_partner", "accueil_visit", "events_occupancy"):
        assert after["counts"][table] >= 1
    assert {"btree_gist", "unaccent", "pg_trgm"} <= after["extensions"]
    with empty_database.connect() as db:
        assert db.execute(
            "SELECT email, first_name, password FROM accounts_user WHERE id = %s", [agent.pk]
        ).fetchone() == (
            agent.email,
            "Émilie",
            agent.password,
        )
        assert db.execute("SELECT note FROM accueil_visit").fetchone() == ("Rappeler jeudi",)
        assert db.execute(
            "SELECT title, lower(period), upper(period) FROM events_occupancy WHERE id = %s", [occupancy.pk]
        ).fetchone() == ("Permanence CAF", occupancy.period.lower, occupancy.period.upper)
    assert (restored_media / "pages" / "affiche été 2026.pdf").read_bytes() == poster.read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["database"], manifest["media_files"]) == (source.name, 1)


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path, maison_langres, empty_database):
    media_root, backup_dir = tmp_path / "media", tmp_path / "sauvegardes"
    source = this_database()
    assert run_backup("backup", database=source.name, media_root=media_root, backup_dir=backup_dir).returncode == 0
    (folder,) = backup_dir.iterdir()
    first = run_backup(
        "restore", str(folder), database=empty_database.name, media_root=media_root, backup_dir=backup_dir
    )
    assert first.returncode == 0, first.stderr
    with empty_database.connect() as db:
        db.execute("UPDATE maisons_maison SET name = 'Modifiée après la restauration'")

    again = run_backup(
        "restore", str(folder), database=empty_database.name, media_root=media_root, backup_dir=backup_dir
    )

    assert again.returncode == 1
    assert f"La base « {empty_database.name} » n’est pas vide" in again.stderr
    assert "--force" in again.stderr
    with empty_database.connect() as db:
        assert db.execute("SELECT name FROM maisons_maison").fetchone() == ("Modifiée après la restauration",)

    forced = run_backup(
        "restore", str(folder), "--force", database=empty_database.name, media_root=media_root, backup_dir=backup_dir
    )

    assert forced.returncode == 0, forced.stderr
    with empty_database.connect() as db:
        assert db.execute("SELECT name FROM maisons_maison").fetchone() == (maison_langres.name,)


def test_a_damaged_backup_is_refused(tmp_path, empty_database):
    media_root, backup_dir = tmp_path / "media", tmp_path / "sauvegardes"
    assert (
        run_backup("backup", database=this_database().name, media_root=media_root, backup_dir=backup_dir).returncode
        == 0
    )
    (folder,) = backup_dir.iterdir()
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(-10, os.SEEK_END)
        dump.write(b"0123456789")

    result = run_backup(
        "restore", str(folder), database=empty_database.name, media_root=media_root, backup_dir=backup_dir
    )

    assert result.returncode == 1
    assert "database.dump est absent ou altéré" in result.stderr
    assert snapshot(empty_database)["counts"] == {}


def test_a_failed_backup_leaves_no_folder_behind(tmp_path):
    backup_dir = tmp_path / "sauvegardes"

    result = run_backup("backup", database="base_inexistante", media_root=tmp_path / "media", backup_dir=backup_dir)

    assert result.returncode == 1
    assert "Connexion impossible à la base « base_inexistante »" in result.stderr
    assert not backup_dir.exists() or list(backup_dir.iterdir()) == []


def test_the_client_programs_match_the_server_major_version():
    server_major = this_database().server_major_version()

    for program in ("pg_dump", "pg_restore"):
        assert client_major_version(find_client(program, server_major)) == server_major


def test_a_missing_client_version_is_explained_in_french():
    with pytest.raises(BackupError) as refused:
        find_client("pg_dump", 99)

    assert "Aucun pg_dump de PostgreSQL 99 n’a été trouvé" in str(refused.value)
    assert "postgresql-client-99" in str(refused.value)


def test_prune_keeps_7_daily_4_weekly_and_12_monthly_backups(tmp_path):
    # Two backups a day, at 02:30 and 14:30, from 1 January 2025 to Sunday 30 November 2026, plus an unfinished one.
    day, last = date(2025, 1, 1), date(2026, 11, 30)
    while day <= last:
        for hour in ("023000", "143000"):
            (tmp_path / f"portail-{day:%Y%m%d}-{hour}").mkdir()
        day += timedelta(days=1)
    (tmp_path / ".portail-20241231-023000.partiel").mkdir()

    result = subprocess.run(
        ["python3", "-m", "devtools.backup", "prune", "--dir", str(tmp_path)],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"]},  # The host's python3 and no Django: as cron runs it.
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    kept = sorted(path.name for path in tmp_path.iterdir())
    # Monday 30 November back to the 24th; the last of the ISO weeks ending on the 22nd and the 15th; the last of each
    # month from October 2026 back to December 2025 (November's is the 30th, kept already).
    daily = [f"202611{day}" for day in range(24, 31)]
    weekly = ["20261122", "20261115"]
    monthly = ["20261031", "20260930", "20260831", "20260731", "20260630", "20260531", "20260430", "20260331"]
    monthly += ["20260228", "20260131", "20251231"]
    expected = [f"portail-{day}-143000" for day in daily + weekly + monthly]
    assert kept == sorted([".portail-20241231-023000.partiel", *expected])
    assert result.stdout.strip() == f"Sauvegardes dans {tmp_path} : 20 conservées, {2 * 699 - 20} supprimées."


def test_a_backup_made_with_the_production_commands_restores_too(tmp_path, maison_langres, empty_database):
    # What docs/deployment.md has cron run on a docker-compose host: pg_dump in the db container, tar in web.
    source = this_database()
    folder = tmp_path / "portail-20261130-023000"
    folder.mkdir()
    media_root = tmp_path / "media"
    (media_root / "pages").mkdir(parents=True)
    (media_root / "pages" / "plan.png").write_bytes(b"\x89PNG plan")
    pg_dump = find_client("pg_dump", source.server_major_version())
    subprocess.run(
        [str(pg_dump), "--format=custom", "--file", str(folder / "database.dump")], env=source.libpq_env(), check=True
    )
    with (folder / "media.tar.gz").open("wb") as archive:
        subprocess.run(["tar", "-C", str(media_root), "-czf", "-", "."], stdout=archive, check=True)

    restored_media = tmp_path / "media-restauree"
    result = run_backup(
        "restore", str(folder), database=empty_database.name, media_root=restored_media, backup_dir=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert snapshot(empty_database) == snapshot(source)
    assert (restored_media / "pages" / "plan.png").read_bytes() == b"\x89PNG plan"
