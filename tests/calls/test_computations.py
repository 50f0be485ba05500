"""COP indicators computed from the calls, through cop_contracts' registry."""

from decimal import Decimal

import pytest

from calls import services
from calls.models import CallKind
from cop_contracts.registry import get_computation, registered_names
from tests.calls.factories import ApplicationFactory, CallFactory, complete

pytestmark = pytest.mark.django_db

NAMES = [
    "calls_applications_received",
    "calls_emergence_funded",
    "calls_emergence_amount",
    "calls_emergence_success_rate",
]


def submitted(call):
    application = complete(ApplicationFactory(call=call))
    return services.application_submit(application=application, by=application.applicant)


@pytest.fixture
def year_2025(pole_a, coordinator_a):
    """GSO 2025 Émergence: 4 submitted, 1 ineligible, 3 eligible of which 2 funded (20,000 + 15,000) and
    published; a structuring call (not Émergence) with one funded project; a draft that counts nowhere."""
    call = CallFactory(canceropole=pole_a, year=2025)
    applications = [submitted(call) for _ in range(4)]
    services.application_screen(
        application=applications[0], by=coordinator_a, eligible=False, comment="Hors champ"
    )
    for application in applications[1:]:
        services.application_screen(application=application, by=coordinator_a, eligible=True)
    services.application_decide(
        application=applications[1], by=coordinator_a, outcome="funded", amount_awarded="20000"
    )
    services.application_decide(
        application=applications[2], by=coordinator_a, outcome="funded", amount_awarded="15000"
    )
    services.application_decide(application=applications[3], by=coordinator_a, outcome="rejected")
    services.decisions_publish(call=call, by=coordinator_a)
    ApplicationFactory(call=call)
    structuring = CallFactory(canceropole=pole_a, year=2025, kind=CallKind.STRUCTURING)
    other = submitted(structuring)
    services.application_screen(application=other, by=coordinator_a, eligible=True)
    services.application_decide(application=other, by=coordinator_a, outcome="funded", amount_awarded="25000")
    services.decisions_publish(call=structuring, by=coordinator_a)
    return call


def compute(name, pole, year=2025):
    return get_computation(name)(canceropole=pole, year=year)


def test_the_calls_computations_are_registered():
    assert set(NAMES) <= set(registered_names())


def test_computed_figures_of_a_year(year_2025, pole_a):
    assert compute("calls_applications_received", pole_a).value == Decimal(4)
    assert compute("calls_emergence_funded", pole_a).value == Decimal(2)
    assert compute("calls_emergence_amount", pole_a).value == Decimal("35000")
    rate = compute("calls_emergence_success_rate", pole_a)
    assert (rate.numerator, rate.denominator, rate.value) == (Decimal(2), Decimal(3), Decimal("66.6667"))


def test_computed_figures_ignore_other_poles_and_years(year_2025, pole_b):
    assert compute("calls_emergence_funded", pole_b).value == Decimal(0)
    assert compute("calls_emergence_amount", year_2025.canceropole, 2024).value == Decimal(0)
    assert compute("calls_emergence_success_rate", pole_b).value is None


def test_unpublished_decisions_do_not_count(pole_a, coordinator_a):
    call = CallFactory(canceropole=pole_a, year=2025)
    application = submitted(call)
    services.application_screen(application=application, by=coordinator_a, eligible=True)
    services.application_decide(
        application=application, by=coordinator_a, outcome="funded", amount_awarded="10000"
    )

    assert compute("calls_emergence_funded", pole_a).value == Decimal(0)


def test_indicator_value_compute_stores_the_calls_figure_as_a_draft(year_2025, pole_a, coordinator_a):
    from cop_contracts import services as cop_services
    from cop_contracts.models import CopContract, IndicatorDefinition

    contract = CopContract.objects.create(canceropole=pole_a)
    indicator = IndicatorDefinition.objects.get(code="M3_EMERGENCE_FUNDED")
    indicator.source, indicator.computation = "computed", "calls_emergence_funded"

    value = cop_services.indicator_value_compute(
        contract=contract, indicator=indicator, year=2025, by=coordinator_a
    )

    assert (value.value, value.status, value.source) == (Decimal(2), "draft", "computed")
