"""Every operation of the OpenAPI schema, fuzzed by schemathesis through the portal's WSGI app.

Three callers: the anonymous visitor, a partner key of pole A (every scope), and a coordinator of pole A
(signed in, with a CSRF token so that writes reach the views). Four checks on every answer: no server
error, a documented status, a body matching the documented schema, the documented content type.
Each operation gets ``MAX_EXAMPLES`` generated cases (derandomized: the same cases on every run), on a
small network with a contract, values at every status, targets and rollups for poles A and B.
"""

from decimal import Decimal

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import PartnerScope
from cop_contracts.models import RollupBasis, RollupLevel, ValueStatus
from portal.wsgi import application
from tests.cop_contracts.factories import (
    CopContractFactory,
    IndicatorRollupFactory,
    IndicatorValueFactory,
    TargetFactory,
)
from tests.factories import OrganisationFactory

MAX_EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
CSRF_TOKEN = "schemathesisCsrfToken0123456789a"  # 32 characters, as Django's unmasked tokens


# The portal's own document, as /api/schema/ serves it.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture
def network(pole_a, pole_b, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "testserver"]
    OrganisationFactory(name="Institut sans parent", parent=None)
    for pole in (pole_a, pole_b):
        contract = CopContractFactory(canceropole=pole)
        for year, status in enumerate(ValueStatus.values, start=2023):
            IndicatorValueFactory(contract=contract, status=status, year=year, value=Decimal("3.5"))
            TargetFactory(contract=contract, year=year)
        for basis in RollupBasis.values:
            IndicatorRollupFactory(canceropole=pole, basis=basis)
    for basis in RollupBasis.values:
        IndicatorRollupFactory(canceropole=None, level=RollupLevel.NATIONAL, basis=basis)


@pytest.fixture
def keep_test_connection():
    """The WSGI app closes the database connection after each request, as in production; in a test that
    connection holds the test's transaction, so it must stay open (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _coordinator_credentials(user) -> tuple[dict, dict]:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies = {
        django_settings.SESSION_COOKIE_NAME: session.session_key,
        django_settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
    }
    return {"X-CSRFToken": CSRF_TOKEN}, cookies


@pytest.fixture
def credentials(request, caller, network, pole_a, make_partner_key):
    """(headers, cookies) of the caller."""
    if caller == "partner key":
        _key, secret = make_partner_key(scopes=PartnerScope.values, poles=[pole_a])
        return {"Authorization": f"Api-Key {secret}"}, {}
    if caller == "coordinator":
        return _coordinator_credentials(request.getfixturevalue("coordinator_a"))
    return {}, {}


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "partner key", "coordinator"])
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_as_documented(case, caller, credentials, keep_test_connection):
    headers, cookies = credentials
    case.call_and_validate(app=application, headers=headers, cookies=cookies, checks=CHECKS)
