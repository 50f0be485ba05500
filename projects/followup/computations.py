"""COP indicators computed from funded projects and mobility grants, registered in cop_contracts' registry.

- ``projects_followon_leverage`` (M3_LEVERAGE): the Émergence projects of the pole's calls of the year
  (published awards); numerator: the follow-on funding they reported, obtained within three years of
  the call's year; denominator: the amounts awarded to them. A ratio of sums (euros per euro granted).
- ``projects_publications`` (M4_PUBLICATIONS): distinct publications (by DOI, else HAL identifier)
  reported in the year by the pole's funded projects (cancelled ones aside).
- ``projects_mobility_grants_awarded`` (M3_MOBILITY_GRANTS): mobility grants of the year's sessions that
  the pole approved (approved, stay done, report received or paid).
"""

from decimal import Decimal

from django.db.models import Sum

from cop_contracts.registry import Computed, register
from projects.models import AWARDED_MOBILITY_STATUSES, MobilityGrant, Outcome, OutcomeKind, Project

# The Émergence call kinds (calls.models.EMERGENCE_KINDS, by value: projects does not import calls).
EMERGENCE_KINDS = ("emergence", "emergence_shs", "high_risk", "cross_border")
FOLLOW_ON_WINDOW_YEARS = 3
ZERO = Decimal("0.00")


def emergence_projects(*, canceropole, year: int):
    return Project.objects.filter(
        canceropole=canceropole,
        call__year=year,
        call__kind__in=EMERGENCE_KINDS,
        published_at__isnull=False,
    ).exclude(status=Project.Status.CANCELLED)


@register("projects_followon_leverage", indicator="M3_LEVERAGE")
def followon_leverage(*, canceropole, year: int) -> Computed:
    projects = emergence_projects(canceropole=canceropole, year=year)
    granted = projects.aggregate(total=Sum("amount_awarded"))["total"] or ZERO
    if not granted:
        return Computed(explanation=f"no Émergence project funded on the {year} calls")
    follow_on = (
        Outcome.objects.filter(
            project__in=projects,
            kind=OutcomeKind.FOLLOW_ON_FUNDING,
            year__gte=year,
            year__lte=year + FOLLOW_ON_WINDOW_YEARS,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return Computed(
        value=(follow_on / granted).quantize(Decimal("0.0001")),
        numerator=follow_on,
        denominator=granted,
        explanation=f"{follow_on} EUR of follow-on funding for {granted} EUR granted on the {year} Émergence"
        " calls",
    )


def publication_keys(*, canceropole, year: int) -> set[str]:
    rows = (
        Outcome.objects.filter(project__canceropole=canceropole, kind=OutcomeKind.PUBLICATION, year=year)
        .exclude(project__status=Project.Status.CANCELLED)
        .values_list("doi", "hal_id")
    )
    return {f"doi:{doi.lower()}" if doi else f"hal:{hal_id.lower()}" for doi, hal_id in rows}


@register("projects_publications", indicator="M4_PUBLICATIONS")
def publications(*, canceropole, year: int) -> Computed:
    n = len(publication_keys(canceropole=canceropole, year=year))
    return Computed(value=Decimal(n), explanation=f"{n} distinct publications of funded projects in {year}")


@register("projects_mobility_grants_awarded", indicator="M3_MOBILITY_GRANTS")
def mobility_grants_awarded(*, canceropole, year: int) -> Computed:
    n = MobilityGrant.objects.filter(
        canceropole=canceropole, session__year=year, status__in=AWARDED_MOBILITY_STATUSES
    ).count()
    return Computed(value=Decimal(n), explanation=f"{n} mobility grants awarded in the {year} sessions")
