"""Fixtures shared by the funding, follow-up and mobility tests (tests/funding/conftest.py uses them all;
test modules elsewhere import the ones they need)."""

import pytest
from django.utils import translation

from funding.reference import link_computed_indicators
from tests.funding.factories import AllocationFactory, FunderFactory, inca_funder


@pytest.fixture(autouse=True)
def _computed_catalogue(request, _reference_data):
    """A transactional test's flush reloads the catalogue without the computed links: put them back."""
    fixtures = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if fixtures or request.node.get_closest_marker("django_db"):
        link_computed_indicators()


@pytest.fixture(autouse=True)
def _english(request):
    """Services speak the active language: these tests read their messages in English (browser tests
    keep the portal's own choice)."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def region_funder(db):
    return FunderFactory(organisation__name="Région Occitanie")


@pytest.fixture
def inca(db):
    return inca_funder()


@pytest.fixture
def allocation_a(pole_a, region_funder):
    return AllocationFactory(funder=region_funder, canceropole=pole_a, amount="100000.00")


@pytest.fixture
def allocation_b(pole_b, region_funder):
    return AllocationFactory(funder=region_funder, canceropole=pole_b, amount="50000.00")
