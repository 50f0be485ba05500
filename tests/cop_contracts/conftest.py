"""Fixtures of the COP tests: the contracts of pole A (GSO) and pole B (CLARA), two catalogue indicators,
and a snapshot of a value to check that a refused write changed nothing."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from cop_contracts.models import IndicatorValue, ValueTransition
from tests.cop_contracts.factories import COUNT_INDICATOR, PERCENT_INDICATOR, CopContractFactory, indicator


@pytest.fixture
def contract_a(pole_a):
    return CopContractFactory(canceropole=pole_a)


@pytest.fixture
def contract_b(pole_b):
    return CopContractFactory(canceropole=pole_b)


@pytest.fixture
def funded(db):
    """M3_YOUNG_RESEARCHERS: a count entered by hand, summed across poles."""
    return indicator(COUNT_INDICATOR)


@pytest.fixture
def success_rate(db):
    """M3_FOLLOWON_SUCCESS: a ratio in percent entered by hand (100 × numerator / denominator)."""
    return indicator(PERCENT_INDICATOR)


@dataclass(frozen=True)
class ValueState:
    """Everything a refused write must leave as it was."""

    status: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    comment: str
    transitions: int
    history: int
    values_in_db: int
    transitions_in_db: int


def value_state(value: IndicatorValue) -> ValueState:
    fresh = IndicatorValue.objects.get(pk=value.pk)
    return ValueState(
        status=fresh.status,
        value=fresh.value,
        numerator=fresh.numerator,
        denominator=fresh.denominator,
        comment=fresh.comment,
        transitions=fresh.transitions.count(),
        history=fresh.history.count(),
        values_in_db=IndicatorValue.objects.count(),
        transitions_in_db=ValueTransition.objects.count(),
    )


@pytest.fixture
def state_of():
    """``state_of(value)``: the value's state as stored, to compare before and after a refused write."""
    return value_state


@pytest.fixture
def english(api_client, settings):
    """Messages in English, whatever the portal's default language, so that tests can quote them:
    in the test's own code and in the API's answers (the visitor's language choice is a cookie)."""
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
