"""The API tried from its own OpenAPI schema (schemathesis): whatever the parameters, never a server error, and
every JSON answer conforms to the schema. A bounded number of examples per operation, drawn reproducibly."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from events.tests.factories import OccupancyFactory, period
from partenaires.tests.factories import PartnerFactory, ServiceFactory, theme


@pytest.fixture
def api_data(maison_langres, maison_saint_dizier):
    partner = PartnerFactory(slug="caf", themes=[theme("famille")], commune=maison_langres.commune)
    ServiceFactory(partner=partner, themes=[theme("famille--garde-denfants")], audiences=["familles"])
    OccupancyFactory(
        public_event=True, maison=maison_langres, period=period(timezone.now() + datetime.timedelta(days=1))
    )


def _check(case) -> None:
    response = case.call()
    checks = [not_a_server_error]
    if response.headers.get("Content-Type", [""])[0].startswith("application/json") and response.status_code == 200:
        checks.append(response_schema_conformance)
    case.validate_response(response, checks=checks)


@pytest.fixture
def wsgi_in_test_transaction():
    """Django's WSGI handler closes the database connection at the end of each request; Django's test client stops
    that, so that the test's transaction survives the requests: the same here."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_never_fails(api_data, wsgi_in_test_transaction):
    """Every operation of the schema, each with its own examples, in this test's database (schemathesis's pytest
    integration, `from_fixture`, does not run under the pytest in use)."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:
        run = settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))(
            given(case=operation.as_strategy())(_check)
        )
        run()
