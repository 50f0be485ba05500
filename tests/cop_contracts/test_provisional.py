"""Fault 5.8: national provisional figures are INCa's only; a pole's staff see their own pole's.

Reproduced as found: CLARA submits 123, and GSO's coordinator read a national provisional 123 with "1 pole
reporting" (and the national target, which was CLARA's). Now GSO's staff see no national provisional
figure at all, and CLARA's staff only CLARA's pole-level one.
"""

import pytest
from django.test import TestCase
from django.urls import reverse

from cop_contracts import selectors, services
from cop_contracts.models import IndicatorRollup, RollupBasis, RollupLevel
from tests.cop_contracts.factories import CopContractFactory, indicator

pytestmark = pytest.mark.django_db

CODE = "M2_EVENTS"


@pytest.fixture
def clara_submitted_123(pole_b, coordinator_b):
    contract = CopContractFactory(canceropole=pole_b)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.target_set(contract=contract, indicator=indicator(CODE), year=2024, value="100")
        value = services.indicator_value_save(
            contract=contract, indicator=indicator(CODE), year=2024, by=coordinator_b, value="123"
        )
        services.indicator_value_submit(value=value, by=coordinator_b)
    assert (
        IndicatorRollup.objects.filter(basis=RollupBasis.PROVISIONAL, level=RollupLevel.NATIONAL).count() == 1
    )


def _provisional(api_client, user) -> set[tuple[str, str]]:
    api_client.force_authenticate(user)
    rows = api_client.get(reverse("api:rollup-list"), {"basis": "provisional", "page_size": 100}).json()[
        "results"
    ]
    return {(row["level"], row["canceropole"] or "") for row in rows}


@pytest.mark.usefixtures("clara_submitted_123")
def test_another_pole_s_staff_see_no_national_provisional_figure(api_client, coordinator_a, director_a):
    assert _provisional(api_client, coordinator_a) == set()
    assert _provisional(api_client, director_a) == set()


@pytest.mark.usefixtures("clara_submitted_123")
def test_a_pole_s_staff_see_their_own_pole_s_provisional_figure_only(api_client, coordinator_b):
    assert _provisional(api_client, coordinator_b) == {("pole", "CLARA")}


@pytest.mark.usefixtures("clara_submitted_123")
def test_inca_staff_see_every_provisional_figure(api_client, inca_staff):
    assert _provisional(api_client, inca_staff) == {("pole", "CLARA"), ("national", "")}


@pytest.mark.usefixtures("clara_submitted_123")
def test_selector_gives_pole_staff_no_national_provisional_row(coordinator_a, coordinator_b):
    for user in (coordinator_a, coordinator_b):
        rows = selectors.rollups_visible_to(viewer=user).filter(
            basis=RollupBasis.PROVISIONAL, level=RollupLevel.NATIONAL
        )
        assert list(rows) == []


@pytest.mark.usefixtures("clara_submitted_123")
def test_provisional_dashboard_of_another_pole_s_coordinator_does_not_show_the_figure(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("cop_contracts:dashboard"), {"year": 2024, "basis": "provisional"})

    assert response.status_code == 200
    assert "123" not in response.content.decode()
