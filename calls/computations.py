"""COP indicators computed from the calls, registered in cop_contracts' registry (which never imports calls).

Each computation takes a pole and a year (the calls' year) and counts Émergence calls (every Émergence
kind): applications received (submitted, whatever became of them), projects funded and amounts awarded
by published decisions, and the success rate (funded / eligible applications, as the catalogue defines).

Projects funded, amounts awarded and the success rate replace the catalogue's hand-entered
M3_EMERGENCE_FUNDED, M3_EMERGENCE_AMOUNT and M3_EMERGENCE_SUCCESS_RATE (each registration names its
entry; ``calls/migrations/0002`` and ``load_indicator_catalogue`` apply them). Applications received has
no catalogue entry: M3_APPLICATIONS_SUPPORTED counts applications to national and European calls that the
pole coached, a different measure, and stays entered by hand.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from calls.models import EMERGENCE_KINDS, Application, ApplicationStatus, Decision, Outcome
from cop_contracts.registry import Computed, register

RECEIVED = ~Q(status__in=[ApplicationStatus.DRAFT]) & Q(submitted_at__isnull=False)
# Eligible: passed screening (every status after it); withdrawn ones after screening are not counted.
ELIGIBLE_STATUSES = [
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.WAITING_LIST,
    ApplicationStatus.REJECTED,
]


def _applications(canceropole, year: int, kinds=EMERGENCE_KINDS):
    return Application.objects.filter(
        call__canceropole=canceropole, call__year=year, call__kind__in=list(kinds)
    )


def _funded(canceropole, year: int, kinds=EMERGENCE_KINDS):
    return Decision.objects.filter(
        application__call__canceropole=canceropole,
        application__call__year=year,
        application__call__kind__in=list(kinds),
        outcome=Outcome.FUNDED,
        published_at__isnull=False,
    )


@register("calls_applications_received")
def applications_received(*, canceropole, year: int) -> Computed:
    """Émergence applications submitted to the pole's calls of the year."""
    n = _applications(canceropole, year).filter(RECEIVED).count()
    return Computed(value=Decimal(n), explanation=f"{n} applications submitted to the {year} Émergence calls")


@register("calls_emergence_funded", indicator="M3_EMERGENCE_FUNDED")
def emergence_funded(*, canceropole, year: int) -> Computed:
    """M3_EMERGENCE_FUNDED: Émergence projects funded by published decisions on the year's calls."""
    n = _funded(canceropole, year).count()
    return Computed(
        value=Decimal(n), explanation=f"{n} published funding decisions on the {year} Émergence calls"
    )


@register("calls_emergence_amount", indicator="M3_EMERGENCE_AMOUNT")
def emergence_amount(*, canceropole, year: int) -> Computed:
    """M3_EMERGENCE_AMOUNT: euros awarded by those decisions."""
    total = _funded(canceropole, year).aggregate(total=Sum("amount_awarded"))["total"] or Decimal(0)
    return Computed(value=total, explanation=f"{total} EUR awarded on the {year} Émergence calls")


@register("calls_emergence_success_rate", indicator="M3_EMERGENCE_SUCCESS_RATE")
def emergence_success_rate(*, canceropole, year: int) -> Computed:
    """M3_EMERGENCE_SUCCESS_RATE: funded / eligible applications (numerator and denominator kept)."""
    counts = _applications(canceropole, year).aggregate(
        eligible=Count("id", filter=Q(status__in=ELIGIBLE_STATUSES)),
        funded=Count("id", filter=Q(decision__outcome=Outcome.FUNDED, decision__published_at__isnull=False)),
    )
    eligible, funded = counts["eligible"], counts["funded"]
    if not eligible:
        return Computed(explanation=f"no eligible application on the {year} Émergence calls")
    return Computed(
        value=(Decimal(funded) * 100 / eligible).quantize(Decimal("0.0001")),
        numerator=Decimal(funded),
        denominator=Decimal(eligible),
        explanation=f"{funded} funded of {eligible} eligible applications",
    )
