"""/sante/ answers 200 when the database and the broker answer, 503 otherwise."""

import socket

from django.test import override_settings


def test_healthy_when_database_and_broker_answer(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert "no-cache" in response["Cache-Control"]
    # A load balancer probes it every few seconds: no session or CSRF cookie for it to carry or to store.
    assert "Set-Cookie" not in response.headers
    assert response.cookies == {}


def test_probes_share_one_broker_connection(client, settings):
    """A probe every few seconds must not open a new connection to the broker each time."""
    import redis

    from config.views import broker_client_name

    for _ in range(10):
        assert client.get("/sante/").status_code == 200
    server = redis.Redis.from_url(settings.REDIS_URL)
    probes = [entry for entry in server.client_list() if entry["name"] == broker_client_name()]
    assert len(probes) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unhealthy_when_the_broker_is_down(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "broker": "error"}}


def test_unhealthy_when_the_database_is_down(client, monkeypatch):
    from config import views

    def broken():
        raise OSError("connexion refusée")

    # Stopping the test's own PostgreSQL is not possible; the check's failure path is what is tested here.
    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
