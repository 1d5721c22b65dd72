"""The API tried from its own OpenAPI schema (schemathesis): whatever the parameters, never a server error, and
every JSON answer conforms to the schema. A bounded number of examples per operation, drawn reproducibly."""

import datetime

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from events.tests.factories import OccupancyFactory, period
from partenaires.tests.factories import PartnerFactory, ServiceFactory, theme


@pytest.fixture
def api_schema(maison_langres, maison_saint_dizier):
    partner = PartnerFactory(slug="caf", themes=[theme("famille")], commune=maison_langres.commune)
    ServiceFactory(partner=partner, themes=[theme("famille--garde-denfants")], audiences=["familles"])
    OccupancyFactory(
        public_event=True, maison=maison_langres, period=period(timezone.now() + datetime.timedelta(days=1))
    )
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails(case):
    response = case.call()
    checks = [not_a_server_error]
    if response.headers.get("Content-Type", [""])[0].startswith("application/json") and response.status_code == 200:
        checks.append(response_schema_conformance)
    case.validate_response(response, checks=checks)
