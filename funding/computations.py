"""COP indicators computed from the poles' money, registered in cop_contracts' registry.

``funding_cofunding_leverage`` (M1_COFUNDING_RATIO): non-INCa funding secured by the pole for the year
(the allocations of every funder but INCa) over INCa's labelling grant for the same year (INCa's
allocations), a ratio of sums: numerator and denominator are kept, so that the national figure is
Σ non-INCa / Σ INCa, never a mean of the poles' ratios.
"""

from decimal import Decimal

from django.db.models import Q, Sum

from cop_contracts.registry import Computed, register
from funding.models import ZERO, Allocation, FunderKind


@register("funding_cofunding_leverage", indicator="M1_COFUNDING_RATIO")
def cofunding_leverage(*, canceropole, year: int) -> Computed:
    sums = Allocation.objects.filter(canceropole=canceropole, year=year).aggregate(
        inca=Sum("amount", filter=Q(funder__kind=FunderKind.INCA)),
        others=Sum("amount", filter=~Q(funder__kind=FunderKind.INCA)),
    )
    inca, others = sums["inca"] or ZERO, sums["others"] or ZERO
    if not inca:
        return Computed(explanation=f"no INCa allocation recorded for {year}")
    return Computed(
        value=(others / inca).quantize(Decimal("0.0001")),
        numerator=others,
        denominator=inca,
        explanation=f"{others} EUR from other funders / {inca} EUR from INCa in {year}",
    )
