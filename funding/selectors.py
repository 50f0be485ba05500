"""Reads of the poles' money, scoped to a viewer, with their joins and sums built in.

Scopes (DESIGN §5): a pole's allocations, commitments and payments are its staff's and INCa's; anyone
else sees only the commitments behind published awards (who funded a published project, and how much).
An object outside the scope is absent (404), never forbidden.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funding.models import (
    ZERO,
    Allocation,
    Commitment,
    CommitmentKind,
    Disbursement,
    DisbursementStatus,
    Funder,
)

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def reader_scope(viewer) -> tuple[bool, list[int]]:
    """(national reader?, ids of the poles the viewer works for). A visitor, a researcher and a partner
    key read the public data only."""
    user = getattr(viewer, "user", viewer)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, []
    if user.is_inca_staff:
        return True, []
    return False, sorted(user.pole_roles())


def _sum_subquery(queryset, outer_field: str, field: str = "amount"):
    """Σ ``field`` of ``queryset`` rows whose ``outer_field`` is the outer row, as a correlated subquery
    (no join: the outer rows are not multiplied)."""
    summed = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def funders_listed() -> QuerySet[Funder]:
    """Every funder with its organisation: public (the funders of published awards are public anyway)."""
    return Funder.objects.select_related("organisation").order_by("organisation__name", "id")


def allocations_visible_to(*, viewer) -> QuerySet[Allocation]:
    """Allocations of the viewer's poles (every pole for INCa), with what is committed and paid from each."""
    national, pole_ids = reader_scope(viewer)
    allocations = Allocation.objects.select_related("funder__organisation", "canceropole").annotate(
        committed=_sum_subquery(Commitment.objects.filter(parent__isnull=True), "allocation"),
        paid=_sum_subquery(
            Disbursement.objects.filter(status=DisbursementStatus.PAID), "commitment__allocation"
        ),
    )
    if not national:
        allocations = allocations.filter(canceropole_id__in=pole_ids)
    return allocations.order_by("canceropole__code", "-year", "funder__organisation__name", "id")


def commitments_visible_to(*, viewer) -> QuerySet[Commitment]:
    """Commitments of the viewer's poles (every pole for INCa); for anyone else, the commitments of
    published projects only (their funders and amounts are public). With what is paid on each."""
    national, pole_ids = reader_scope(viewer)
    commitments = Commitment.objects.select_related(
        "allocation__funder__organisation", "allocation__canceropole", "call", "project", "mobility_grant"
    ).annotate(
        paid=_sum_subquery(Disbursement.objects.filter(status=DisbursementStatus.PAID), "commitment"),
    )
    published = Q(
        kind__in=[CommitmentKind.AWARD, CommitmentKind.PROJECT], project__published_at__isnull=False
    )
    if not national:
        commitments = commitments.filter(published | Q(allocation__canceropole_id__in=pole_ids))
    return commitments.order_by("allocation__canceropole__code", "-allocation__year", "committed_on", "id")


def disbursements_visible_to(*, viewer) -> QuerySet[Disbursement]:
    """Payments of the viewer's poles (every pole for INCa); nobody else's."""
    national, pole_ids = reader_scope(viewer)
    disbursements = Disbursement.objects.select_related(
        "commitment__allocation__funder__organisation", "commitment__allocation__canceropole"
    )
    if not national:
        disbursements = disbursements.filter(commitment__allocation__canceropole_id__in=pole_ids)
    return disbursements.order_by("scheduled_on", "id")


# The budget of a pole for a year -------------------------------------------------------------------------


@dataclass
class CommitmentLine:
    commitment: Commitment
    scheduled: Decimal = ZERO
    paid: Decimal = ZERO
    awards: list["CommitmentLine"] = field(default_factory=list)
    open_payments: list[Disbursement] = field(default_factory=list)

    @property
    def awarded(self) -> Decimal:
        return sum((award.commitment.amount for award in self.awards), ZERO)

    @property
    def is_envelope(self) -> bool:
        return self.commitment.kind == CommitmentKind.ENVELOPE

    @property
    def total_paid(self) -> Decimal:
        """Paid on the commitment, or on its awards for an envelope."""
        return self.paid + sum((award.paid for award in self.awards), ZERO)

    @property
    def unscheduled(self) -> Decimal:
        return self.commitment.amount - self.scheduled - self.paid


@dataclass
class AllocationLine:
    allocation: Allocation
    commitments: list[CommitmentLine] = field(default_factory=list)

    @property
    def committed(self) -> Decimal:
        return sum((line.commitment.amount for line in self.commitments), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.total_paid for line in self.commitments), ZERO)

    @property
    def available(self) -> Decimal:
        return self.allocation.amount - self.committed


@dataclass
class FunderLine:
    funder: Funder
    allocations: list[AllocationLine] = field(default_factory=list)

    @property
    def allocated(self) -> Decimal:
        return sum((line.allocation.amount for line in self.allocations), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((line.committed for line in self.allocations), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.allocations), ZERO)

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed


@dataclass
class Budget:
    canceropole: object
    year: int
    funders: list[FunderLine]

    @property
    def allocated(self) -> Decimal:
        return sum((line.allocated for line in self.funders), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((line.committed for line in self.funders), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.funders), ZERO)

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed

    @property
    def allocations(self) -> list[AllocationLine]:
        return [line for funder in self.funders for line in funder.allocations]


def pole_budget(*, canceropole, year: int) -> Budget:
    """What a pole was allocated for a year, by funder and allocation, with each commitment (envelopes
    with their awards), what is scheduled and paid, and what is still available.

    Three queries whatever the sizes: the allocations with their funders, their commitments with what
    each names, and their disbursements; the sums are made in Python from those rows.
    """
    allocations = list(
        Allocation.objects.filter(canceropole=canceropole, year=year)
        .select_related("funder__organisation")
        .order_by("funder__organisation__name", "id")
    )
    commitments = list(
        Commitment.objects.filter(allocation__in=allocations)
        .select_related("call", "project", "mobility_grant__applicant", "event")
        .order_by("committed_on", "id")
    )
    disbursements = list(
        Disbursement.objects.filter(commitment__in=commitments)
        .exclude(status=DisbursementStatus.CANCELLED)
        .order_by("scheduled_on", "id")
    )
    lines = {c.pk: CommitmentLine(commitment=c) for c in commitments}
    for disbursement in disbursements:
        line = lines[disbursement.commitment_id]
        if disbursement.status == DisbursementStatus.PAID:
            line.paid += disbursement.amount
        else:
            line.scheduled += disbursement.amount
            line.open_payments.append(disbursement)
    by_allocation = {a.pk: AllocationLine(allocation=a) for a in allocations}
    for commitment in commitments:
        line = lines[commitment.pk]
        if commitment.parent_id:
            lines[commitment.parent_id].awards.append(line)
        else:
            by_allocation[commitment.allocation_id].commitments.append(line)
    funders: dict[int, FunderLine] = {}
    for allocation in allocations:
        funder_line = funders.setdefault(allocation.funder_id, FunderLine(funder=allocation.funder))
        funder_line.allocations.append(by_allocation[allocation.pk])
    return Budget(canceropole=canceropole, year=year, funders=list(funders.values()))


def budget_years(*, canceropole) -> list[int]:
    """The years for which the pole has allocations, latest first."""
    return list(
        Allocation.objects.filter(canceropole=canceropole)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
