"""factory-boy factories of COP data. Defaults are plain: a draft count value for 2024, no transitions.

Indicator definitions are not made up: they come from the national catalogue loaded by migration
(``IndicatorDefinition.objects.get(code=…)``). Values built here skip the services, so they have no
ValueTransition rows; tests that need the workflow's records go through the services.
"""

from decimal import Decimal

import factory
from django.utils import timezone

from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    Target,
    ValueStatus,
)
from tests.factories import CanceropoleFactory

# A plain count indicator (aggregation sum) and a ratio in percent, both of mission 3, both entered by hand
# (the Émergence figures are computed from the calls).
COUNT_INDICATOR = "M3_YOUNG_RESEARCHERS"
PERCENT_INDICATOR = "M3_FOLLOWON_SUCCESS"


def indicator(code: str = COUNT_INDICATOR) -> IndicatorDefinition:
    return IndicatorDefinition.objects.get(code=code)


class CopContractFactory(factory.django.DjangoModelFactory):
    """The COP 2023-2027 of a pole (one per pole and period: asking twice gives the same contract)."""

    class Meta:
        model = CopContract
        django_get_or_create = ["canceropole", "first_year"]

    canceropole = factory.SubFactory(CanceropoleFactory)
    first_year = 2023
    last_year = 2027
    status = CopContract.Status.SIGNED


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    contract = factory.SubFactory(CopContractFactory)
    indicator = factory.LazyFunction(indicator)
    year = 2024
    value = Decimal("5")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    contract = factory.SubFactory(CopContractFactory)
    indicator = factory.LazyFunction(indicator)
    year = 2024
    value = Decimal("3")
    status = ValueStatus.DRAFT


class IndicatorRollupFactory(factory.django.DjangoModelFactory):
    """A pole-level published figure; pass ``canceropole=None, level=national`` for a national one."""

    class Meta:
        model = IndicatorRollup

    indicator = factory.LazyFunction(indicator)
    year = 2024
    level = RollupLevel.POLE
    canceropole = factory.SubFactory(CanceropoleFactory)
    scope = factory.LazyAttribute(
        lambda rollup: str(rollup.canceropole.pk) if rollup.canceropole else "national"
    )
    basis = RollupBasis.ACCEPTED
    value = Decimal("3")
    poles_reporting = 1
    computed_at = factory.LazyFunction(timezone.now)


def second_pair_of_eyes():
    """Someone other than the submitter, who approves and accepts in tests that walk a value through the
    workflow without testing who decides (four eyes: nobody decides on what they submitted)."""
    from accounts.models import User

    user, _created = User.objects.get_or_create(email="second.pair.of.eyes@test.canceropoles.fr")
    return user
