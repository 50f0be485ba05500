"""Reads of COP data scoped to a viewer (a user or a partner key: accounts.viewers), joins built in."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from accounts.models import PartnerScope
from accounts.viewers import as_viewer
from canceropoles.models import Canceropole
from common.text import folded
from cop_contracts.models import (
    PROVISIONAL_STATUSES,
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


def contracts_visible_to(*, viewer) -> QuerySet[CopContract]:
    """INCa staff: every contract; pole staff: their poles' contracts; a key with the ``contracts`` scope:
    its poles' contracts; anyone else: none."""
    viewer = as_viewer(viewer)
    contracts = CopContract.objects.select_related("canceropole")
    if viewer.is_national:
        return contracts
    return contracts.filter(
        viewer.staff_q("canceropole_id") | viewer.scope_q(PartnerScope.CONTRACTS, "canceropole_id")
    )


def indicator_values_visible_to(*, viewer) -> QuerySet[IndicatorValue]:
    """Accepted values for everyone; every status for INCa and for their own pole's staff; values that
    left the pole (submitted, approved, accepted) of its poles for a key with the ``values`` scope."""
    viewer = as_viewer(viewer)
    values = IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission")
    if viewer.is_national:
        return values
    pole = "contract__canceropole_id"
    return values.filter(
        Q(status=ValueStatus.ACCEPTED)
        | viewer.staff_q(pole)
        | (Q(status__in=PROVISIONAL_STATUSES) & viewer.scope_q(PartnerScope.VALUES, pole))
    )


def targets_visible_to(*, viewer) -> QuerySet[Target]:
    """Targets are part of the contract; they are public like accepted figures, for every viewer."""
    return Target.objects.select_related("contract__canceropole", "indicator")


def rollups_visible_to(*, viewer) -> QuerySet[IndicatorRollup]:
    """Published (accepted) rollups for everyone; provisional ones for INCa staff (all), a pole's staff
    (their own pole's only) and a key with the ``rollups`` scope (its poles' only).

    National provisional figures are INCa's alone: with few poles reporting, a national figure (or the
    national target, the sum of the reporting poles' targets) reveals another pole's values before INCa
    accepted them, which only that pole's staff may see (DESIGN §5).
    """
    viewer = as_viewer(viewer)
    rollups = IndicatorRollup.objects.select_related("indicator__mission", "canceropole")
    if viewer.is_national:
        return rollups
    published = Q(basis=RollupBasis.ACCEPTED)
    if viewer.staff_pole_ids:
        published |= Q(level=RollupLevel.POLE) & viewer.staff_q("canceropole_id")
    if viewer.grants(PartnerScope.ROLLUPS):
        published |= Q(level=RollupLevel.POLE) & viewer.scope_q(PartnerScope.ROLLUPS, "canceropole_id")
    return rollups.filter(published)


# The API's shapes of the same reads: the codes it prints come as columns, so that a page of 500 rows
# builds 500 objects (one per row), not one per joined table and row.


def indicator_values_for_api(*, viewer) -> QuerySet[IndicatorValue]:
    """indicator_values_visible_to(viewer) with ``canceropole_code``, ``indicator_code`` and
    ``mission_number``; the contract stays joined for the permission checks of the actions."""
    return (
        indicator_values_visible_to(viewer=viewer)
        .select_related(None)
        .select_related("contract")
        .annotate(
            canceropole_code=F("contract__canceropole__code"),
            indicator_code=F("indicator__code"),
            mission_number=F("indicator__mission__number"),
        )
    )


def targets_for_api(*, viewer) -> QuerySet[Target]:
    """targets_visible_to(viewer) with ``canceropole_code`` and ``indicator_code``."""
    return (
        targets_visible_to(viewer=viewer)
        .select_related(None)
        .annotate(canceropole_code=F("contract__canceropole__code"), indicator_code=F("indicator__code"))
    )


def rollups_for_api(*, viewer) -> QuerySet[IndicatorRollup]:
    """rollups_visible_to(viewer) with ``indicator_code`` and ``canceropole_code`` (null when national)."""
    return (
        rollups_visible_to(viewer=viewer)
        .select_related(None)
        .annotate(indicator_code=F("indicator__code"), canceropole_code=F("canceropole__code"))
    )


def indicator_catalogue(*, viewer=None) -> QuerySet[IndicatorDefinition]:
    """The active indicators of the national catalogue: public, the same for every viewer."""
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
    poles: list[Canceropole] | None = None,
) -> QuerySet[IndicatorValue]:
    """INCa's queue: values approved by their director (by default), filtered as asked, the poles in French
    order (``poles``: poles_in_french_order(), when the caller already has them)."""
    values = IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission").filter(
        status=status or ValueStatus.APPROVED
    )
    if pole_id:
        values = values.filter(contract__canceropole_id=pole_id)
    if mission_number:
        values = values.filter(indicator__mission__number=mission_number)
    if year:
        values = values.filter(year=year)
    order = french_pole_order(poles if poles is not None else poles_in_french_order())
    return values.order_by(order, "indicator__mission__number", "indicator__code", "year", "pk")


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


def submittable_counts(*, contract: CopContract) -> dict[int, int]:
    """{year: number of values "submit the year" would submit}, for the years with any (one query)."""
    rows = (
        _submittable(IndicatorValue.objects.filter(contract=contract))
        .order_by()
        .values("year")
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    return dict(rows)


def submittable_years(*, contract: CopContract) -> set[int]:
    """The years of the contract with at least one value to submit (one query): where to offer "Submit"."""
    return set(
        _submittable(IndicatorValue.objects.filter(contract=contract))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass
class DecisionContext:
    """What a decision on a value is taken with: the previous year's value, the target, the history."""

    previous: dict[tuple[int, int, int], IndicatorValue]
    targets: dict[tuple[int, int, int], Target]
    history: dict[int, list[ValueTransition]]

    def previous_of(self, value: IndicatorValue) -> IndicatorValue | None:
        return self.previous.get((value.contract_id, value.indicator_id, value.year - 1))

    def target_of(self, value: IndicatorValue) -> Target | None:
        return self.targets.get((value.contract_id, value.indicator_id, value.year))


def decision_context(*, values) -> DecisionContext:
    """The context of some values in three queries, whatever their number (see DecisionContext)."""
    values = list(values)
    if not values:
        return DecisionContext(previous={}, targets={}, history={})
    previous = IndicatorValue.objects.filter(
        contract_id__in={v.contract_id for v in values},
        indicator_id__in={v.indicator_id for v in values},
        year__in={v.year - 1 for v in values},
    ).order_by()
    history: dict[int, list[ValueTransition]] = {}
    for step in (
        ValueTransition.objects.filter(value_id__in=[v.pk for v in values])
        .select_related("by")
        .order_by("at", "id")
    ):
        history.setdefault(step.value_id, []).append(step)
    return DecisionContext(
        previous={(v.contract_id, v.indicator_id, v.year): v for v in previous},
        targets=targets_by_key(values=values),
        history=history,
    )


def poles_in_french_order() -> list[Canceropole]:
    """The poles as a French reader sorts them, whatever the accents ("Île-de-France" after "Grand Ouest")."""
    return sorted(Canceropole.objects.all(), key=lambda pole: folded(pole.name))


def french_pole_order(poles) -> Case:
    """An ORDER BY expression putting values in the poles' French order (``poles`` in that order)."""
    return Case(
        *[When(contract__canceropole_id=pole.pk, then=Value(rank)) for rank, pole in enumerate(poles)],
        default=Value(len(poles)),
        output_field=IntegerField(),
    )


def approval_queue(
    *,
    contract: CopContract,
    status: str | None = None,
    year: int | None = None,
    mission_number: int | None = None,
) -> QuerySet[IndicatorValue]:
    """A pole director's list: the contract's values submitted for approval (by default), filtered."""
    values = IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission").filter(
        contract=contract, status=status or ValueStatus.SUBMITTED
    )
    if year:
        values = values.filter(year=year)
    if mission_number:
        values = values.filter(indicator__mission__number=mission_number)
    return values.order_by("indicator__mission__number", "indicator__code", "year")
