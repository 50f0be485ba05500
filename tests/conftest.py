"""Fixtures every test can use: the personas of the portal and the services a test needs.

Personas (DESIGN §1): INCa staff, the director and a coordinator of pole A (Grand Sud-Ouest), a
coordinator of pole B (CLARA), a researcher with no role, and the anonymous visitor; partner keys come
from ``make_partner_key``. Each persona is a
``User`` with ``.pole`` set to the pole it belongs to, when it has one.

Under ``CI=true`` a missing service (PostgreSQL, the Redis broker, Chromium) fails the test that needs
it; elsewhere that test is skipped with the reason.
"""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Membership
from canceropoles.models import Canceropole
from canceropoles.reference import load_network_reference
from cop_contracts.models import IndicatorDefinition
from cop_contracts.reference import load_indicator_catalogue
from tests.factories import MembershipFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POLE_A = "GSO"
POLE_B = "CLARA"


def require(available: bool, what: str) -> None:
    """Skip a test whose service is missing, or fail it under CI=true (CI must run everything)."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available.", pytrace=False)
    pytest.skip(f"{what} is not available.")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and used second-factor codes live in the cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from a migration; a transactional test's flush removes it: put it back."""
    if not (_DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
    if Canceropole.objects.filter(code__in=[POLE_A, POLE_B]).count() != 2:
        load_network_reference()
    if not IndicatorDefinition.objects.exists():
        load_indicator_catalogue()


def _persona(*, pole_code: str | None = None, role: str | None = None, **fields):
    user = UserFactory(**fields)
    user.pole = Canceropole.objects.get(code=pole_code) if pole_code else None
    if role:
        MembershipFactory(user=user, canceropole=user.pole, role=role)
    return user


@pytest.fixture
def pole_a(db):
    return Canceropole.objects.get(code=POLE_A)


@pytest.fixture
def pole_b(db):
    return Canceropole.objects.get(code=POLE_B)


@pytest.fixture
def inca_staff(db):
    return _persona(email="inca@test.canceropoles.fr", is_inca_staff=True)


@pytest.fixture
def director_a(db):
    return _persona(email="director.a@test.canceropoles.fr", pole_code=POLE_A, role=Membership.Role.DIRECTOR)


@pytest.fixture
def coordinator_a(db):
    return _persona(
        email="coordinator.a@test.canceropoles.fr", pole_code=POLE_A, role=Membership.Role.COORDINATOR
    )


@pytest.fixture
def coordinator_b(db):
    return _persona(
        email="coordinator.b@test.canceropoles.fr", pole_code=POLE_B, role=Membership.Role.COORDINATOR
    )


@pytest.fixture
def director_b(db):
    return _persona(email="director.b@test.canceropoles.fr", pole_code=POLE_B, role=Membership.Role.DIRECTOR)


@pytest.fixture
def researcher(db):
    return _persona(email="researcher@test.canceropoles.fr")


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def make_partner_key(db):
    """Create a partner key through the service: ``make_partner_key(scopes=[...], poles=[...])`` gives
    ``(key, secret)``; send the secret as ``HTTP_AUTHORIZATION=f"Api-Key {secret}"``."""
    from accounts import services

    def make(*, scopes=(), poles=(), expires_at=None, partner="Région test", name="test key"):
        owner = services.partner_get_or_create(name=partner)
        return services.partner_key_create(
            partner=owner, name=name, scopes=list(scopes), canceropoles=list(poles), expires_at=expires_at
        )

    return make
