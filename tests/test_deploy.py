"""Deployment checks: the compose file, the image, the production settings and .env.example agree.

No Docker engine runs here, so the compose file is validated against the compose specification's schema and read
as YAML, and the commands the containers would run (gunicorn, the health checks, `check --deploy`, the build-time
collectstatic) run here as subprocesses, with the production settings and the values of .env.example.
"""

import contextlib
import http.client
import importlib.metadata
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from ruamel.yaml import YAML

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
ENV_EXAMPLE = BASE_DIR / ".env.example"
BASE_SETTINGS = BASE_DIR / "config" / "settings" / "base.py"
PRODUCTION_LOCK = BASE_DIR / "requirements.txt"
DEVELOPMENT_LOCK = BASE_DIR / "requirements-dev.txt"
DEPLOYMENT_DOCS = ("docs/architecture.md", "docs/glossary.md", "docs/deployment.md")

APP_SERVICES = ("web", "worker", "beat")
LONG_RUNNING_SERVICES = (*APP_SERVICES, "db", "redis")
PRODUCTION_HOST = "portail.example.fr"
# What a subprocess keeps of this process's environment: nothing that configures the portal (config.settings.test
# sets relaxed values such as SECURE_SSL_REDIRECT=false in os.environ, which must not leak into production runs).
PASSED_THROUGH = ("HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
STARTUP_TIMEOUT = 45


# Reading the deployment files.


def load_compose() -> dict:
    return YAML(typ="safe").load(COMPOSE_FILE.read_text())


def read_env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            name, value = match.groups()
            assert name not in values, f"{name} is listed twice in .env.example"
            values[name] = value.strip().strip("\"'")
    return values


def locked_versions(lock: Path) -> dict[str, str]:
    """{normalised distribution name: version} pinned in a `uv pip compile` output."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", lock.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_arguments(keyword: str) -> list[str]:
    return [arguments for name, arguments in dockerfile_instructions() if name == keyword]


def dockerfile_env() -> dict[str, str]:
    values = {}
    for arguments in dockerfile_arguments("ENV"):
        for assignment in shlex.split(arguments):
            name, _, value = assignment.partition("=")
            values[name] = value
    return values


def dockerfile_healthcheck() -> list[str]:
    (arguments,) = dockerfile_arguments("HEALTHCHECK")
    return json.loads(arguments.split(" CMD ", 1)[1])


def collectstatic_step() -> tuple[dict[str, str], list[str]]:
    """The environment assignments and the command of the Dockerfile's collectstatic step."""
    (run,) = [arguments for arguments in dockerfile_arguments("RUN") if "collectstatic" in arguments]
    words = shlex.split(run.split("&&")[0])
    assignments = {}
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        assignments[name] = value
    return assignments, words


# Running what the containers run.


def production_env(**overrides: str | None) -> dict[str, str]:
    """A container's environment: the image's ENV, then .env.example, a real SECRET_KEY and this host's servers."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env["PATH"] = os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "/usr/bin:/bin")])
    env.update(dockerfile_env())
    env.update(read_env_example())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["ALLOWED_HOSTS"] = PRODUCTION_HOST
    # check --deploy opens no connection: without a server here, a well-formed address is enough.
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "postgres://portail:portail@127.0.0.1:5432/portail")
    env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def container_command(command: list[str]) -> list[str]:
    """A compose or Dockerfile exec-form command, run with this virtual environment's interpreter."""
    return [sys.executable if part == "python" else part for part in command]


def healthcheck_command(service: str) -> list[str]:
    kind, *command = load_compose()["services"][service]["healthcheck"]["test"]
    if kind == "CMD-SHELL":
        # Compose turns `$$` into `$` before the shell sees it.
        return ["sh", "-c", command[0].replace("$$", "$")]
    assert kind == "CMD"
    return container_command(command)


class Service:
    """A container's long-running command, run here in its own process group with its output kept aside."""

    def __init__(self, command: list[str], env: dict[str, str], output: IO[bytes]) -> None:
        self.env, self.output = env, output
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        self.output.seek(0)
        return self.output.read().decode(errors="replace")

    def wait_for_log(self, text: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while text not in self.log():
            assert self.process.poll() is None, f"The service stopped:\n{self.log()}"
            assert time.monotonic() < deadline, f"No {text!r} in its output:\n{self.log()}"
            time.sleep(0.2)

    def wait_until_healthy(self, probe: list[str]) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            result = subprocess.run(probe, cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=60)
            if result.returncode == 0:
                return
            assert self.process.poll() is None, f"The service stopped:\n{self.log()}"
            assert time.monotonic() < deadline, f"Still unhealthy:\n{result.stderr}\n{self.log()}"
            time.sleep(0.5)

    def stop(self) -> None:
        """As `docker stop` does: SIGTERM, then SIGKILL after a grace period."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str]):
    # An unnamed temporary file: the output survives whatever happens to pytest's shared temporary folder.
    with tempfile.TemporaryFile() as output:
        service = Service(command, env, output)
        try:
            yield service
        finally:
            service.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_this_test() -> str:
    """DATABASE_URL pointing at the database this test runs in (pytest-django's test_… database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


# The compose file.


def test_compose_file_validates_against_the_compose_specification():
    result = subprocess.run(
        [str(VENV_BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_every_service_on_current_images():
    services = load_compose()["services"]

    assert {*LONG_RUNNING_SERVICES, "migrate"} <= services.keys()
    postgres = re.fullmatch(r"postgres:(\d+)(?:[.-].*)?", services["db"]["image"])
    assert postgres and int(postgres[1]) in (17, 18)
    assert re.fullmatch(r"redis:7(?:[.-].*)?", services["redis"]["image"])
    assert services["web"].get("command") is None  # The image's gunicorn command, tested below.
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_compose_keeps_data_in_named_volumes():
    compose = load_compose()
    services, declared = compose["services"], compose.get("volumes") or {}
    major = int(re.match(r"postgres:(\d+)", services["db"]["image"])[1])
    # From 18 the image keeps its data in /var/lib/postgresql/<major>/docker and refuses a volume on …/data.
    data_dir = "/var/lib/postgresql" if major >= 18 else "/var/lib/postgresql/data"
    media_root = read_env_example()["MEDIA_ROOT"]

    assert f"postgres-data:{data_dir}" in services["db"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert f"media:{media_root}" in services["web"]["volumes"]
    assert f"media:{media_root}" in services["worker"]["volumes"]
    assert {"postgres-data", "redis-data", "media"} <= declared.keys()


def test_compose_checks_the_health_of_every_long_running_service():
    services = load_compose()["services"]

    for name in LONG_RUNNING_SERVICES:
        healthcheck = services[name].get("healthcheck") or {}
        assert not healthcheck.get("disable"), name
        assert healthcheck.get("test", [None])[0] in ("CMD", "CMD-SHELL"), name
    assert "/sante/" in services["web"]["healthcheck"]["test"][-1]
    assert "inspect ping" in services["worker"]["healthcheck"]["test"][-1]
    assert "pg_isready" in services["db"]["healthcheck"]["test"][-1]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_compose_starts_the_portal_after_healthy_servers_and_migrations():
    services = load_compose()["services"]

    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_configures_the_portal_from_dot_env_and_restarts_it():
    services = load_compose()["services"]

    for name in (*APP_SERVICES, "migrate"):
        env_file = services[name]["env_file"]
        paths = [
            entry if isinstance(entry, str) else entry["path"]
            for entry in ([env_file] if isinstance(env_file, str) else env_file)
        ]
        assert ".env" in paths, name
    for name in LONG_RUNNING_SERVICES:
        assert services[name]["restart"] in ("always", "unless-stopped"), name
    assert services["migrate"]["restart"] in ("no", "on-failure")


def test_compose_web_health_check_is_the_image_health_check():
    assert load_compose()["services"]["web"]["healthcheck"]["test"] == ["CMD", *dockerfile_healthcheck()]


# The image.


def test_dockerfile_builds_a_non_root_image_from_the_locked_requirements():
    instructions = dockerfile_instructions()
    runs = " ".join(arguments for name, arguments in instructions if name == "RUN")
    (command,) = dockerfile_arguments("CMD")
    shell, option, script = json.loads(command)

    assert dockerfile_arguments("FROM") == ["python:3.11-slim"]
    assert re.search(r"pip install (?:\S+ )*--require-hashes (?:\S+ )*-r requirements\.txt", runs)
    assert dockerfile_arguments("USER") and dockerfile_arguments("USER")[-1] not in ("root", "0")
    assert dockerfile_arguments("HEALTHCHECK")
    assert (shell, option) == ("sh", "-c")  # The shell expands PORT.
    assert script.startswith("exec gunicorn config.wsgi ") and '--bind "0.0.0.0:${PORT:-8000}"' in script
    assert "SECRET_KEY" not in dockerfile_env()  # Only the collectstatic step gets a throw-away one.


def test_production_lock_installs_everything_the_settings_and_the_image_use():
    """The image installs requirements.txt only: a package missing from it works in tests and fails in production."""
    dotted = [
        *settings.INSTALLED_APPS,
        *settings.MIDDLEWARE,
        *settings.AUTHENTICATION_BACKENDS,
        *(template["BACKEND"] for template in settings.TEMPLATES),
        *(processor for template in settings.TEMPLATES for processor in template["OPTIONS"]["context_processors"]),
        settings.CELERY_BEAT_SCHEDULER,
    ]
    imported = re.findall(r"^(?:from|import) (\w+)", BASE_SETTINGS.read_text(), flags=re.MULTILINE)
    # Run by the image (gunicorn) or loaded by the production settings' URLs (PostgreSQL, Redis cache).
    modules = {name.split(".")[0].split(":")[0] for name in dotted} | set(imported) | {"gunicorn", "psycopg", "redis"}
    third_party = {module for module in modules if module not in sys.stdlib_module_names and module != "__future__"}
    third_party = {module for module in third_party if not (BASE_DIR / module).is_dir()}
    distributions = importlib.metadata.packages_distributions()
    locked = locked_versions(PRODUCTION_LOCK)

    missing = {
        module
        for module in third_party
        if not any(re.sub(r"[-_.]+", "-", name).lower() in locked for name in distributions.get(module, []))
    }
    assert "django" in third_party and "celery" in third_party  # The lists above are read.
    assert missing == set()


def test_development_lock_pins_the_production_versions():
    """Tests run against the versions the image installs."""
    production, development = locked_versions(PRODUCTION_LOCK), locked_versions(DEVELOPMENT_LOCK)

    assert {name: (version, development.get(name)) for name, version in production.items()} == {
        name: (version, version) for name, version in production.items()
    }


def test_no_committed_file_records_a_download_address():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True).stdout
    paths = {name for name in tracked.decode().split("\0") if name}
    paths |= {"Dockerfile", ".dockerignore", "docker-compose.yml", ".env.example", "README.md", *DEPLOYMENT_DOCS}
    # Spelled in pieces so that this file does not match itself.
    forbidden = re.compile(
        "|".join(
            [
                re.escape("file://" + "/opt"),
                r"(?<![\w-])--(?:extra-)?index-url\b",
                r"(?<![\w-])--find[-]links\b",
                r"\b(?:PIP|UV)_(?:EXTRA_)?INDEX_URL\b",
                r"^\s*(?:extra-)?index-url\s*=",
            ]
        ),
        re.MULTILINE,
    )

    offenders = []
    for name in sorted(paths):
        path = BASE_DIR / name
        if path.is_file() and forbidden.search(path.read_bytes().decode("utf-8", errors="ignore")):
            offenders.append(name)
    assert offenders == []


def test_build_time_collectstatic_needs_only_the_dockerfile_values(tmp_path):
    assignments, command = collectstatic_step()
    static_root = tmp_path / "staticfiles"
    # The image's settings, with STATIC_ROOT moved out of the shared working tree.
    (tmp_path / "deploy_build_settings.py").write_text(
        f"from config.settings.base import *  # noqa: F403\n\nSTATIC_ROOT = {str(static_root)!r}\n"
    )
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(dockerfile_env(), **assignments)
    env.update(DJANGO_SETTINGS_MODULE="deploy_build_settings", PYTHONPATH=str(tmp_path))

    result = subprocess.run(
        container_command(command), cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    assert {"SECRET_KEY", "DATABASE_URL"} <= assignments.keys()
    assert (static_root / "staticfiles.json").is_file()


# The production settings and .env.example.


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DEBUG="false"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_missing_secret_key_stops_start_up_with_a_clear_message(secret_key):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECRET_KEY=secret_key))

    assert result.returncode != 0
    assert "ImproperlyConfigured: The environment variable SECRET_KEY is not set" in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    source = BASE_SETTINGS.read_text()
    read = set(
        re.findall(
            r"""\b(?:env(?:\.\w+)?|require|os\.getenv|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']""", source
        )
    )
    read |= set(re.findall(r"""\bos\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']""", source))

    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= read  # The pattern still finds them.
    assert read - read_env_example().keys() == set()


def test_env_example_lists_every_variable_the_deployment_reads():
    example = read_env_example()
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", COMPOSE_FILE.read_text()))

    assert {"DJANGO_SETTINGS_MODULE", "PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"} <= example.keys()
    assert interpolated - example.keys() == set()


def test_env_example_is_safe_and_consistent_with_the_compose_services():
    example = read_env_example()
    database = urlsplit(example["DATABASE_URL"])

    assert example["SECRET_KEY"] == ""  # Start-up fails until the operator sets one.
    assert example["DJANGO_SETTINGS_MODULE"] == "config.settings.base"
    assert example["DEBUG"] == "false"
    assert example["DEMO_DATA_ALLOWED"] == "false"
    assert example["SITE_URL"].startswith("https://")
    assert (database.hostname, database.username, database.password, database.path) == (
        "db",
        example["POSTGRES_USER"],
        example["POSTGRES_PASSWORD"],
        "/" + example["POSTGRES_DB"],
    )
    assert urlsplit(example["REDIS_URL"]).hostname == "redis"


# The containers' commands and health checks, run here.


def test_image_command_serves_the_health_check_with_production_settings(db):
    port = free_port()
    env = production_env(PORT=str(port), DATABASE_URL=database_url_of_this_test(), WEB_CONCURRENCY="1")
    (command,) = dockerfile_arguments("CMD")

    with running(json.loads(command), env) as web:
        web.wait_until_healthy(healthcheck_command("web"))

        # Plain HTTP from the orchestrator gets the JSON health report, not the HTTPS redirect…
        health = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        health.request("GET", "/sante/", headers={"Host": PRODUCTION_HOST})
        response = health.getresponse()
        assert (response.status, json.loads(response.read())) == (
            200,
            {"status": "ok", "checks": {"database": "ok", "broker": "ok"}},
        )
        # …while every other page redirects to HTTPS.
        home = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        home.request("GET", "/", headers={"Host": PRODUCTION_HOST})
        response = home.getresponse()
        assert (response.status, response.getheader("Location")) == (301, f"https://{PRODUCTION_HOST}/")


def test_worker_health_check_pings_the_worker():
    env = production_env(HOSTNAME=socket.gethostname())
    command = load_compose()["services"]["worker"]["command"]
    # Its own queue, so that this worker takes none of the tasks other tests queue on the same broker.
    isolated = ["--pool=solo", f"--queues=deploy-check-{secrets.token_hex(4)}", "--without-mingle"]

    with running(container_command(command) + isolated, env) as worker:
        worker.wait_for_log(" ready.")
        worker.wait_until_healthy(healthcheck_command("worker"))


def test_beat_health_check_needs_the_broker():
    probe = healthcheck_command("beat")
    unused = free_port()

    reachable = subprocess.run(probe, cwd=BASE_DIR, env=production_env(), capture_output=True, timeout=60)
    unreachable = subprocess.run(
        probe,
        cwd=BASE_DIR,
        env=production_env(REDIS_URL=f"redis://127.0.0.1:{unused}/0"),
        capture_output=True,
        timeout=60,
    )

    assert reachable.returncode == 0, reachable.stderr
    assert unreachable.returncode != 0
