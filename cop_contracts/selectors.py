"""Reads of COP data scoped to a user, with their joins built in."""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    Target,
    ValueStatus,
    ValueTransition,
)


def _pole_ids(user: User) -> list[int]:
    return list(user.pole_roles()) if user.is_authenticated else []


def contracts_visible_to(*, user: User) -> QuerySet[CopContract]:
    """INCa staff: every contract; pole staff: their poles' contracts; anyone else: none."""
    contracts = CopContract.objects.select_related("canceropole")
    if user.is_authenticated and user.is_inca_staff:
        return contracts
    return contracts.filter(canceropole_id__in=_pole_ids(user))


def indicator_values_visible_to(*, user: User) -> QuerySet[IndicatorValue]:
    """Values at every status for INCa and their own pole's staff; accepted values only for everyone else."""
    values = IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission")
    if user.is_authenticated and user.is_inca_staff:
        return values
    return values.filter(Q(status=ValueStatus.ACCEPTED) | Q(contract__canceropole_id__in=_pole_ids(user)))


def targets_visible_to(*, user: User) -> QuerySet[Target]:
    """Targets are part of the contract; they are public like accepted figures."""
    return Target.objects.select_related("contract__canceropole", "indicator")


def rollups_visible_to(*, user: User) -> QuerySet[IndicatorRollup]:
    """Published (accepted) rollups for everyone; provisional ones for INCa staff (all) and a pole's staff
    (their own pole's only).

    National provisional figures are INCa's alone: with few poles reporting, a national figure (or the
    national target, the sum of the reporting poles' targets) reveals another pole's values before INCa
    accepted them, which only that pole's staff may see (DESIGN §5).
    """
    rollups = IndicatorRollup.objects.select_related("indicator__mission", "canceropole")
    if user.is_authenticated and user.is_inca_staff:
        return rollups
    pole_ids = _pole_ids(user)
    if not pole_ids:
        return rollups.filter(basis=RollupBasis.ACCEPTED)
    return rollups.filter(
        Q(basis=RollupBasis.ACCEPTED) | Q(level=RollupLevel.POLE, canceropole_id__in=pole_ids)
    )


def indicator_catalogue() -> QuerySet[IndicatorDefinition]:
    return (
        IndicatorDefinition.objects.filter(is_active=True)
        .select_related("mission")
        .order_by("mission__number", "code")
    )


def review_queue(
    *,
    pole_id: int | None = None,
    mission_number: int | None = None,
    status: str | None = None,
    year: int | None = None,
) -> QuerySet[IndicatorValue]:
    """INCa's queue: values approved by their director (by default), filtered as asked."""
    values = IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission").filter(
        status=status or ValueStatus.APPROVED
    )
    if pole_id:
        values = values.filter(contract__canceropole_id=pole_id)
    if mission_number:
        values = values.filter(indicator__mission__number=mission_number)
    if year:
        values = values.filter(year=year)
    return values.order_by(
        "contract__canceropole__name", "indicator__mission__number", "indicator__code", "year"
    )


def last_send_back_comments(*, contract: CopContract) -> dict[int, str]:
    """{value id: comment of its latest send back} for the contract's sent-back values, in one query."""
    transitions = (
        ValueTransition.objects.filter(
            value__contract=contract, value__status=ValueStatus.SENT_BACK, to_status=ValueStatus.SENT_BACK
        )
        .order_by("value_id", "at", "id")
        .values_list("value_id", "comment")
    )
    return dict(transitions)  # later rows overwrite earlier ones: the latest comment wins


def targets_by_key(*, values) -> dict[tuple[int, int, int], Target]:
    """The targets of some values, {(contract id, indicator id, year): target}, in one query."""
    keys = {(value.contract_id, value.indicator_id, value.year) for value in values}
    if not keys:
        return {}
    targets = Target.objects.filter(
        contract_id__in={key[0] for key in keys},
        indicator_id__in={key[1] for key in keys},
        year__in={key[2] for key in keys},
    )
    return {(t.contract_id, t.indicator_id, t.year): t for t in targets}


def _last_send_back_at():
    return (
        ValueTransition.objects.filter(value=OuterRef("pk"), to_status=ValueStatus.SENT_BACK)
        .order_by("-at", "-id")
        .values("at")[:1]
    )


def _submittable(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue]:
    """Filled-in drafts, and sent-back values corrected or commented after they were sent back."""
    return (
        values.filter(value__isnull=False, status__in=(ValueStatus.DRAFT, ValueStatus.SENT_BACK))
        .annotate(sent_back_at=Subquery(_last_send_back_at()))
        .filter(
            Q(status=ValueStatus.DRAFT) | Q(sent_back_at__isnull=True) | Q(updated_at__gt=F("sent_back_at"))
        )
    )


def indicator_values_submittable(*, contract: CopContract, year: int) -> QuerySet[IndicatorValue]:
    """The values that "submit the year" would submit: filled-in drafts, and sent-back values that were
    corrected or answered with a comment since they were sent back (one query)."""
    return _submittable(IndicatorValue.objects.filter(contract=contract, year=year))


def submittable_years(*, contract: CopContract) -> set[int]:
    """The years of the contract with at least one value to submit (one query): where to offer "Submit"."""
    return set(
        _submittable(IndicatorValue.objects.filter(contract=contract))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
