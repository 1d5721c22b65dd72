"""Structured logs: a request id on the response and on every log line of the request; Sentry off without a DSN."""

import http.client
import io
import json
import logging
import logging.config
import os
import subprocess
import sys
import time
from datetime import datetime

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path, reverse

from accounts.enums import Role
from config.celery import app as celery_app
from core.logging import (
    RequestContext,
    bind_request_context,
    clear_request_context,
    logging_config,
    sentry_before_send,
)
from tests.test_deploy import (
    PRODUCTION_HOST,
    database_url_of_this_test,
    dockerfile_arguments,
    free_port,
    healthcheck_command,
    production_env,
    running,
)


@login_not_required
def failing_view(request):
    raise RuntimeError("panne simulée")


# This module is also the URLconf of the test that needs a failing view (pytest.mark.urls).
urlpatterns = [path("panne/", failing_view)]


@pytest.fixture
def json_log():
    """The production logging configuration (LOG_FORMAT=json), its console writing into a buffer; parsed lines."""
    config = logging_config(log_format="json", level="INFO")
    logging.config.dictConfig(config)
    buffer = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(buffer)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)
    for name in config["loggers"]:  # The test settings do not name them: back to inheriting the root's level.
        logging.getLogger(name).setLevel(logging.NOTSET)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "core.requests"]


def test_a_request_is_logged_as_one_json_line_with_the_id_of_its_response_header(client, json_log):
    response = client.get("/plan-du-site/")

    (line,) = request_lines(json_log())
    assert response.status_code == 200
    assert len(response["X-Request-ID"]) == 32
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["method"], line["path"], line["status"]) == ("INFO", "GET", "/plan-du-site/", 200)
    assert isinstance(line["duration_ms"], int)
    assert datetime.fromisoformat(line["timestamp"]).tzinfo is not None
    assert "user_id" not in line


def test_the_signed_in_person_is_logged_by_id_never_by_address(client, user_with_role, json_log):
    agent = user_with_role(Role.AGENT)
    client.force_login(agent)

    client.get(reverse("accounts:dashboard"))

    (line,) = request_lines(json_log())
    assert line["user_id"] == agent.pk
    assert agent.email not in json.dumps(line)
    assert "127.0.0.1" not in json.dumps(line)


def test_the_query_string_stays_out_of_the_log(client, json_log):
    client.get("/plan-du-site/?q=Dupont")

    (line,) = request_lines(json_log())
    assert line["path"] == "/plan-du-site/"
    assert "Dupont" not in json.dumps(line)


def test_a_safe_request_id_from_the_proxy_is_kept(client, json_log):
    response = client.get("/plan-du-site/", headers={"X-Request-ID": "9f3c2a1b7d8e4f60a1b2c3d4e5f60718"})

    assert response["X-Request-ID"] == "9f3c2a1b7d8e4f60a1b2c3d4e5f60718"
    assert request_lines(json_log())[0]["request_id"] == "9f3c2a1b7d8e4f60a1b2c3d4e5f60718"


@pytest.mark.parametrize(
    "crafted",
    ["abc123def456\nINFO forged line", "x" * 500, "short", "<script>alert(1)</script>", "id with spaces 1234"],
    ids=["line-break", "too-long", "too-short", "markup", "spaces"],
)
def test_a_crafted_request_id_is_replaced(client, json_log, crafted):
    response = client.get("/plan-du-site/", headers={"X-Request-ID": crafted})

    (line,) = request_lines(json_log())
    assert response["X-Request-ID"] != crafted
    assert len(response["X-Request-ID"]) == 32
    assert line["request_id"] == response["X-Request-ID"]


def test_a_line_break_in_the_path_cannot_forge_a_log_line(client, json_log):
    logging.config.dictConfig(logging_config(log_format="plain", level="INFO"))
    buffer = io.StringIO()
    logging.getLogger().handlers[0].setStream(buffer)

    client.get("/plan-du-site/%0A2026-01-01 INFO core.requests forged")

    request_line, not_found_line = buffer.getvalue().splitlines()
    assert "GET /plan-du-site/\\x0a2026-01-01 INFO core.requests forged 404" in request_line
    # Django's own warning escapes it too, and is logged with the request id although after this middleware.
    assert "Not Found: /plan-du-site/\\n2026-01-01" in not_found_line
    assert request_line.split("]")[0].split("[")[1] == not_found_line.split("]")[0].split("[")[1] != "-"


@pytest.mark.urls(__name__)
def test_a_server_error_is_logged_with_the_request_id(json_log):
    client = Client(raise_request_exception=False)

    response = client.get("/panne/")

    lines = json_log()
    (error,) = [line for line in lines if line["logger"] == "django.request"]
    assert response.status_code == 500
    assert error["level"] == "ERROR"
    assert error["request_id"] == response["X-Request-ID"]
    assert "panne simulée" in error["exc_info"]
    assert "request" not in error  # Django's WSGIRequest object would carry the query string.
    assert request_lines(lines)[0]["status"] == 500


def test_sentry_events_are_tagged_with_the_request_id(rf):
    bind_request_context(RequestContext(request_id="abcdef0123456789", method="GET", path="/", request=rf.get("/")))
    try:
        event = sentry_before_send({"message": "panne"}, {})
    finally:
        clear_request_context()

    assert event["tags"] == {"request_id": "abcdef0123456789"}


def sentry_state(**env: str) -> dict:
    """Sentry's client once the settings are loaded in a fresh process with these variables."""
    script = (
        "import json, sentry_sdk\n"
        "from django.conf import settings\n"
        "settings.SECRET_KEY\n"
        "client = sentry_sdk.get_client()\n"
        "print(json.dumps({'active': client.is_active(), 'options': {k: client.options.get(k) for k in "
        "('send_default_pii', 'environment', 'release', 'include_local_variables', 'max_request_body_size')}}))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_sentry_is_off_without_a_dsn():
    assert sentry_state(SENTRY_DSN="")["active"] is False


def test_sentry_reports_without_personal_data_when_a_dsn_is_set():
    # A DSN on the loopback: nothing is sent unless an error occurs, and nothing could leave the machine.
    state = sentry_state(SENTRY_DSN="http://cle@127.0.0.1:9/1", SENTRY_ENVIRONMENT="recette", SENTRY_RELEASE="2026.11")

    assert state["active"] is True
    assert state["options"] == {
        "send_default_pii": False,
        "environment": "recette",
        "release": "2026.11",
        "include_local_variables": False,
        "max_request_body_size": "never",
    }


def test_the_production_image_logs_each_request_as_one_json_line_and_nothing_else_about_it(db):
    port = free_port()
    env = production_env(PORT=str(port), DATABASE_URL=database_url_of_this_test(), WEB_CONCURRENCY="1")
    (command,) = dockerfile_arguments("CMD")

    with running(json.loads(command), env) as web:
        web.wait_until_healthy(healthcheck_command("web"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(
            "GET",
            "/sante/?q=Dupont",
            headers={"Host": PRODUCTION_HOST, "X-Forwarded-Proto": "https", "X-Request-ID": "nginx-0123456789abcdef"},
        )
        response = connection.getresponse()
        web.wait_for_log("/sante/ 200")
        output = web.log()

    assert (response.status, response.getheader("X-Request-ID")) == (200, "nginx-0123456789abcdef")
    (mention,) = [line for line in output.splitlines() if "nginx-0123456789abcdef" in line]
    line = json.loads(mention)
    assert (line["logger"], line["request_id"], line["path"], line["status"]) == (
        "core.requests",
        "nginx-0123456789abcdef",
        "/sante/",
        200,
    )
    # No access log line besides, which would carry the query string and the client's address.
    assert "Dupont" not in output


@celery_app.task(name="core.tests.log_something_task")
def log_something_task():
    logging.getLogger("core.tests").warning("Tâche exécutée")


def task_log_line(json_log, timeout: float = 10) -> dict:
    """The worker thread's line; the result may reach the backend a moment before the line reaches the buffer."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in json_log() if line["message"] == "Tâche exécutée"]
        if lines or time.monotonic() > deadline:
            (line,) = lines
            return line
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_during_a_request_logs_under_the_request_id(rf, celery_worker_thread, json_log):
    bind_request_context(RequestContext(request_id="abcdef0123456789", method="POST", path="/", request=rf.post("/")))
    try:
        result = log_something_task.apply_async(queue=celery_worker_thread)
    finally:
        clear_request_context()
    result.get(timeout=30)

    line = task_log_line(json_log)
    assert (line["request_id"], line["task"]) == ("abcdef0123456789", "core.tests.log_something_task")
    assert "path" not in line


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_outside_a_request_logs_without_an_id(celery_worker_thread, json_log):
    log_something_task.apply_async(queue=celery_worker_thread).get(timeout=30)

    line = task_log_line(json_log)
    assert "request_id" not in line
