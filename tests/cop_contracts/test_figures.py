"""Figures people can trust (issue §3.1) and the bad numbers found by probing (faults 5.3 and 5.7).

Every figure is refused with a 400 naming the field, never a 500 and never a half-written record: on the
API (JSON numbers only), on the page (the cell form) and in the service itself.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from common.errors import TransitionError
from cop_contracts import services
from cop_contracts.models import IndicatorValue, ValueTransition
from tests.cop_contracts.factories import indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

COUNT = "M3_EMERGENCE_FUNDED"
EUR = "M3_EMERGENCE_AMOUNT"
SHARE = "M3_EMERGENCE_SUCCESS_RATE"  # a ratio in percent
LEVERAGE = "M3_LEVERAGE"  # a ratio, may exceed 1
HTMX = {"HTTP_HX_REQUEST": "true"}


def _save(contract, by, code, **figures):
    return services.indicator_value_save(
        contract=contract, indicator=indicator(code), year=2024, by=by, **figures
    )


def _refused(contract, by, code, **figures) -> dict:
    with pytest.raises(TransitionError) as excinfo:
        _save(contract, by, code, **figures)
    return {field: [str(m) for m in messages] for field, messages in excinfo.value.message_dict.items()}


# Plausibility (§3.1) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "figures", "errors"),
    [
        (COUNT, {"value": "12,5"}, {"value": ["A count is a whole number."]}),
        (COUNT, {"value": Decimal("12.5")}, {"value": ["A count is a whole number."]}),
        (EUR, {"value": "1200,555"}, {"value": ["An amount in euros has at most two decimals."]}),
        (
            SHARE,
            {"numerator": "20", "denominator": "10"},
            {"numerator": ["The numerator cannot exceed the denominator: a share is at most 100 percent."]},
        ),
        (COUNT, {"value": "1e6"}, {"value": ["Enter a number in digits, such as 12 or 12,5."]}),
        (COUNT, {"value": "١٢"}, {"value": ["Enter a number in digits, such as 12 or 12,5."]}),
    ],
)
def test_implausible_figures_are_refused_naming_the_field(contract_a, coordinator_a, code, figures, errors):
    assert _refused(contract_a, coordinator_a, code, **figures) == errors
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "figures", "stored"),
    [
        (COUNT, {"value": "12"}, Decimal("12")),
        (COUNT, {"value": "1 200"}, Decimal("1200")),
        (COUNT, {"value": "12,0"}, Decimal("12")),
        (EUR, {"value": "1\u202f200,50"}, Decimal("1200.5")),
        (SHARE, {"numerator": "10", "denominator": "10"}, Decimal("100")),
        (LEVERAGE, {"numerator": "30", "denominator": "10"}, Decimal("3")),
    ],
)
def test_plausible_figures_are_stored(contract_a, coordinator_a, code, figures, stored):
    assert _save(contract_a, coordinator_a, code, **figures).value == stored


# Fault 5.3: numbers that used to give a 500 ------------------------------------------------------------

HUGE = "1e999999999"
TINY = "1e-999999999"
LONG = "9999999999999999.99999"


@pytest.mark.parametrize(
    ("code", "figures", "field", "message"),
    [
        (
            EUR,
            {"value": Decimal(HUGE)},
            "value",
            "This number is too large: enter less than 10,000,000,000,000,000.",
        ),
        (EUR, {"value": Decimal(TINY)}, "value", "Enter at most 4 decimals."),
        (EUR, {"value": Decimal(LONG)}, "value", "Enter at most 4 decimals."),
        (
            EUR,
            {"value": Decimal("1e16")},
            "value",
            "This number is too large: enter less than 10,000,000,000,000,000.",
        ),
        (
            LEVERAGE,
            {"numerator": Decimal("9999999999999999"), "denominator": Decimal("0.0001")},
            "denominator",
            "The ratio is too large: check the denominator.",
        ),
        (
            LEVERAGE,
            {"numerator": Decimal("999999999999999"), "denominator": Decimal("0.0001")},
            "denominator",
            "The ratio is too large: check the denominator.",
        ),
    ],
)
def test_service_refuses_out_of_range_numbers(contract_a, coordinator_a, code, figures, field, message):
    assert _refused(contract_a, coordinator_a, code, **figures) == {field: [message]}


def _api_create(api_client, user, contract, code, body: str):
    api_client.force_authenticate(user)
    payload = f'{{"contract": {contract.pk}, "indicator": "{code}", "year": 2024, {body}}}'
    return api_client.post(reverse("api:indicatorvalue-list"), payload, content_type="application/json")


@pytest.mark.parametrize(
    ("code", "body", "field"),
    [
        (EUR, f'"value": {HUGE}', "value"),
        (EUR, f'"value": {TINY}', "value"),
        (EUR, f'"value": {LONG}', "value"),
        (LEVERAGE, '"numerator": 9999999999999999, "denominator": 0.0001', "denominator"),
        (LEVERAGE, '"numerator": 999999999999999, "denominator": 0.0001', "denominator"),
        (EUR, '"value": "12.5"', "value"),
        (EUR, '"value": true', "value"),
        (EUR, '"value": NaN', None),
        (EUR, '"value": Infinity', None),
    ],
)
def test_api_refuses_bad_numbers_with_a_400_naming_the_field(
    api_client, coordinator_a, contract_a, code, body, field
):
    response = _api_create(api_client, coordinator_a, contract_a, code, body)

    assert response.status_code == 400
    if field:
        assert list(response.json()["errors"]) == [field]
    assert IndicatorValue.objects.count() == 0


def test_api_reads_json_numbers_as_exact_decimals(api_client, coordinator_a, contract_a):
    response = _api_create(api_client, coordinator_a, contract_a, EUR, '"value": 1200.1')

    assert response.status_code == 201
    assert IndicatorValue.objects.get().value == Decimal("1200.1")


@pytest.mark.parametrize(
    ("code", "posted", "field"),
    [
        (EUR, {"value": HUGE}, "value"),
        (EUR, {"value": TINY}, "value"),
        (EUR, {"value": LONG}, "value"),
        (LEVERAGE, {"numerator": "9999999999999999", "denominator": "0,0001"}, "numerator"),
        (LEVERAGE, {"numerator": "999999999999999", "denominator": "0,0001"}, "denominator"),
    ],
)
def test_page_refuses_bad_numbers_with_a_400(client, coordinator_a, contract_a, code, posted, field):
    client.force_login(coordinator_a)
    url = reverse("cop_contracts:cell", args=["GSO", contract_a.first_year, code, 2024])

    response = client.post(url, posted, **HTMX)

    assert response.status_code == 400
    assert IndicatorValue.objects.count() == 0


# Fault 5.7: one comment limit everywhere --------------------------------------------------------------


def test_service_refuses_a_comment_over_2000_characters(contract_a, coordinator_a):
    assert _refused(contract_a, coordinator_a, COUNT, value="1", comment="x" * 2001) == {
        "comment": ["Enter at most 2000 characters (it has 2001)."]
    }


def test_api_refuses_a_comment_over_2000_characters_on_create_and_patch(
    api_client, coordinator_a, contract_a
):
    too_long = "x" * 2_400_000

    created = _api_create(
        api_client, coordinator_a, contract_a, COUNT, f'"value": 1, "comment": "{too_long}"'
    )
    value = _save(contract_a, coordinator_a, COUNT, value="1", comment="court")
    patched = api_client.patch(reverse("api:indicatorvalue-detail", args=[value.pk]), {"comment": "x" * 2001})

    assert (created.status_code, patched.status_code) == (400, 400)
    assert list(created.json()["errors"]) == ["comment"]
    assert list(patched.json()["errors"]) == ["comment"]
    value.refresh_from_db()
    assert value.comment == "court"
    assert IndicatorValue.objects.count() == 1


@pytest.mark.parametrize(("action", "field"), [("send-back", "comment"), ("approve", "comment")])
def test_api_refuses_a_decision_comment_over_2000_characters(
    api_client, contract_a, coordinator_a, director_a, action, field
):
    value = services.indicator_value_submit(
        value=_save(contract_a, coordinator_a, COUNT, value="1"), by=coordinator_a
    )
    transitions = ValueTransition.objects.count()
    api_client.force_authenticate(director_a)

    response = api_client.post(reverse(f"api:indicatorvalue-{action}", args=[value.pk]), {field: "x" * 2001})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert ValueTransition.objects.count() == transitions


def test_service_refuses_a_decision_comment_over_2000_characters(contract_a, coordinator_a, director_a):
    value = services.indicator_value_submit(
        value=_save(contract_a, coordinator_a, COUNT, value="1"), by=coordinator_a
    )

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_approve(value=value, by=director_a, comment="x" * 2001)

    assert list(excinfo.value.message_dict) == ["comment"]
    value.refresh_from_db()
    assert value.status == "submitted"
