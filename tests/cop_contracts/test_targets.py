"""Targets (issue §4.5): set through target_set, which checks them and refreshes the rollups, by INCa
staff through the API and the admin (fault 5.9: the admin used to bypass the checks)."""

from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from common.errors import TransitionError
from cop_contracts import services
from cop_contracts.models import IndicatorRollup, Target
from tests.cop_contracts.admin_client import signed_in_admin
from tests.cop_contracts.factories import CopContractFactory, IndicatorValueFactory, indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CODE = "M2_EVENTS"


def _national_target():
    return IndicatorRollup.objects.get(
        level="national", basis="accepted", indicator__code=CODE, year=2024
    ).target


def test_target_set_refreshes_the_rollups(contract_a, contract_b):
    for contract in (contract_a, contract_b):
        IndicatorValueFactory(contract=contract, indicator=indicator(CODE), status="accepted")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.target_set(contract=contract_a, indicator=indicator(CODE), year=2024, value="10")
    assert _national_target() == Decimal(10)

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.target_set(contract=contract_b, indicator=indicator(CODE), year=2024, value="5")
        services.target_set(contract=contract_a, indicator=indicator(CODE), year=2024, value="12")

    assert _national_target() == Decimal(17)


@pytest.mark.parametrize(
    ("code", "year", "value", "errors"),
    [
        (CODE, 2030, "10", {"year": ["2030 is outside the contract's period 2023–2027."]}),
        (CODE, 2024, "10,5", {"value": ["A count is a whole number."]}),
        ("M3_EMERGENCE_SUCCESS_RATE", 2024, "120", {"value": ["A percentage is at most 100."]}),
        (CODE, 2024, "", {"value": ["Enter a target."]}),
        (CODE, 2024, "1e999999999", {"value": ["Enter a number in digits, such as 12 or 12,5."]}),
    ],
)
def test_target_set_refuses_a_bad_target_naming_the_field(contract_a, code, year, value, errors):
    with pytest.raises(TransitionError) as excinfo:
        services.target_set(contract=contract_a, indicator=indicator(code), year=year, value=value)

    assert excinfo.value.message_dict == errors
    assert Target.objects.count() == 0


def test_target_set_records_who_set_it(contract_a, inca_staff):
    target = services.target_set(
        contract=contract_a, indicator=indicator(CODE), year=2024, value="8", by=inca_staff
    )

    assert target.history.get().history_user == inca_staff


def test_api_target_create_by_inca_staff_sets_it_and_refreshes_the_rollups(
    api_client, contract_a, inca_staff
):
    IndicatorValueFactory(contract=contract_a, indicator=indicator(CODE), status="accepted")
    api_client.force_authenticate(inca_staff)

    with TestCase.captureOnCommitCallbacks(execute=True):
        created = api_client.post(
            reverse("api:target-list"),
            {"contract": contract_a.pk, "indicator": CODE, "year": 2024, "value": 9},
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        replaced = api_client.post(
            reverse("api:target-list"),
            {"contract": contract_a.pk, "indicator": CODE, "year": 2024, "value": 11, "baseline": 4},
        )

    assert (created.status_code, replaced.status_code) == (201, 200)
    assert (replaced.json()["value"], replaced.json()["baseline"]) == ("11.0000", "4.0000")
    assert Target.objects.count() == 1
    assert _national_target() == Decimal(11)


@pytest.mark.parametrize("persona", ["director_a", "coordinator_a", "researcher"])
def test_api_target_create_by_anyone_but_inca_staff_is_forbidden_and_changes_nothing(
    request, api_client, contract_a, persona
):
    api_client.force_authenticate(request.getfixturevalue(persona))

    response = api_client.post(
        reverse("api:target-list"), {"contract": contract_a.pk, "indicator": CODE, "year": 2024, "value": 9}
    )

    assert response.status_code == 403
    assert Target.objects.count() == 0


def test_api_target_create_with_a_bad_value_is_a_400_naming_the_field(api_client, contract_a, inca_staff):
    api_client.force_authenticate(inca_staff)

    response = api_client.post(
        reverse("api:target-list"), {"contract": contract_a.pk, "indicator": CODE, "year": 2024, "value": "9"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["value"]
    assert Target.objects.count() == 0


# The admin goes through the service -------------------------------------------------------------------


@pytest.fixture
def admin_client(settings):
    return signed_in_admin(settings)


def test_admin_target_with_a_year_outside_the_contract_is_refused(admin_client, contract_a):
    response = admin_client.post(
        reverse("admin:cop_contracts_target_add"),
        {"contract": contract_a.pk, "indicator": indicator(CODE).pk, "year": 2031, "value": "3"},
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["year"]
    assert Target.objects.count() == 0


def test_admin_target_change_goes_through_the_service_and_refreshes_the_rollups(admin_client, contract_a):
    IndicatorValueFactory(contract=contract_a, indicator=indicator(CODE), status="accepted")
    target = services.target_set(contract=contract_a, indicator=indicator(CODE), year=2024, value="3")

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            reverse("admin:cop_contracts_target_change", args=[target.pk]),
            {"contract": contract_a.pk, "indicator": indicator(CODE).pk, "year": 2024, "value": "7"},
        )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal(7)
    assert target.history.latest().history_user == admin_client.admin
    assert _national_target() == Decimal(7)


def test_admin_target_delete_refreshes_the_rollups(admin_client, contract_a):
    IndicatorValueFactory(contract=contract_a, indicator=indicator(CODE), status="accepted")
    with TestCase.captureOnCommitCallbacks(execute=True):
        target = services.target_set(contract=contract_a, indicator=indicator(CODE), year=2024, value="3")

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            reverse("admin:cop_contracts_target_delete", args=[target.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert Target.objects.count() == 0
    assert _national_target() is None


def test_targets_of_another_contract_keep_their_own_period(contract_a):
    other = CopContractFactory(canceropole=contract_a.canceropole, first_year=2028, last_year=2032)

    services.target_set(contract=other, indicator=indicator(CODE), year=2030, value="3")

    assert Target.objects.get().year == 2030
