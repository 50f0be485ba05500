"""Targets of a contract: set (and removed) by INCa staff through here only, so the rollups follow."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import TransitionError
from cop_contracts.models import CopContract, IndicatorDefinition, Target
from cop_contracts.services.figures import target_figure
from cop_contracts.services.values import check_year, schedule_rollup


def target_validate(
    *, contract: CopContract, indicator: IndicatorDefinition, year: int, value, baseline=None
):
    """(value, baseline) as they would be stored, or TransitionError naming the field."""
    check_year(contract, year)
    number = target_figure(indicator=indicator, field="value", raw=value)
    if number is None:
        raise TransitionError({"value": [_("Enter a target.")]})
    return number, target_figure(indicator=indicator, field="baseline", raw=baseline)


@transaction.atomic
def target_set(
    *,
    contract: CopContract,
    indicator: IndicatorDefinition,
    year: int,
    value,
    baseline=None,
    by: User | None = None,
) -> Target:
    """Set the contract's target for (indicator, year), with an optional baseline.

    The target follows the indicator's unit (a whole count, euros with two decimals, a percentage at
    most 100) and the contract's period; TransitionError names the field otherwise.
    Side effects: the target's history (by ``by``); after commit, the rollups of (indicator, year),
    whose targets are aggregated from the poles' ones.
    """
    number, base = target_validate(
        contract=contract, indicator=indicator, year=year, value=value, baseline=baseline
    )
    target = (
        Target.objects.select_for_update(of=("self",))
        .filter(contract=contract, indicator=indicator, year=year)
        .first()
    )
    if target is None:
        target = Target(contract=contract, indicator=indicator, year=year)
    elif (target.value, target.baseline) == (number, base):
        return target
    target.value, target.baseline = number, base
    if by is not None:
        target._history_user = by
    target.save()
    schedule_rollup(indicator_id=indicator.pk, year=year)
    return target


@transaction.atomic
def target_delete(*, target: Target, by: User | None = None) -> None:
    """Remove a target. Side effects: its history; after commit, the rollups of (indicator, year)."""
    if by is not None:
        target._history_user = by
    indicator_id, year = target.indicator_id, target.year
    target.delete()
    schedule_rollup(indicator_id=indicator_id, year=year)
