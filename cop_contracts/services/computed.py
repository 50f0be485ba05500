"""Computed indicators: their values filled from the portal's own data, on a schedule and on demand."""

from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from common.errors import TransitionError
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorValue, Source
from cop_contracts.services.values import indicator_value_compute


@dataclass
class ComputeReport:
    computed: list[IndicatorValue] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (pole, indicator, reason)


def computed_indicators():
    return IndicatorDefinition.objects.filter(is_active=True, source=Source.COMPUTED).order_by("code")


def indicator_values_compute_all(
    *, year: int | None = None, by: User | None = None, indicators=None, contracts=None
) -> ComputeReport:
    """Compute every computed indicator for ``year`` (default: the current year) in every contract
    covering it, each in its own transaction.

    A value under review or accepted is left as it is (it is listed in ``skipped`` with the reason), as
    is an indicator whose computation is not registered. ``by`` None: the scheduled run, recorded as
    made by the portal itself. Side effects: those of indicator_value_save for each value.
    """
    year = year or timezone.localdate().year
    report = ComputeReport()
    indicators = list(indicators if indicators is not None else computed_indicators())
    contracts = contracts if contracts is not None else CopContract.objects.all()
    contracts = contracts.filter(first_year__lte=year, last_year__gte=year).select_related("canceropole")
    for contract in contracts.order_by("canceropole__code"):
        for indicator in indicators:
            try:
                value = indicator_value_compute(contract=contract, indicator=indicator, year=year, by=by)
            except TransitionError as error:
                reason = " ".join(str(m) for ms in error.message_dict.values() for m in ms)
                report.skipped.append((contract.canceropole.code, indicator.code, reason))
                continue
            if value is not None:
                report.computed.append(value)
    return report
