import pytest

from tests.calls.factories import ApplicationFactory, CallFactory, complete, reviewer_for


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Applications' files go to a temporary private root, never to the portal's."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def call_a(pole_a):
    return CallFactory(canceropole=pole_a)


@pytest.fixture
def call_b(pole_b):
    return CallFactory(canceropole=pole_b)


@pytest.fixture
def draft(call_a, researcher):
    return ApplicationFactory(call=call_a, applicant=researcher)


@pytest.fixture
def ready_draft(draft):
    return complete(draft)


@pytest.fixture
def reviewer(call_a):
    return reviewer_for(call_a, email="reviewer@test.canceropoles.fr")


@pytest.fixture
def reviewer_2(call_a):
    return reviewer_for(call_a, email="reviewer2@test.canceropoles.fr")
