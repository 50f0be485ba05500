"""Every write on the poles' money: funders, allocations, commitments (call envelopes and their awards,
projects, mobility grants, events, other expenses) and disbursements.

Each function is keyword-only and atomic; it validates its input (ValidationError naming the field),
checks the state it starts from (TransitionError naming the field) and records the change in the row's
history. The invariants are held under row locks taken in one order, so that concurrent writers queue
rather than overspend:

- a top-level commitment locks its allocation's row, then sums the allocation's commitments;
- an award locks its envelope's row, then sums the envelope's awards;
- a disbursement locks its commitment's row, then sums the commitment's live disbursements.

On PostgreSQL (READ COMMITTED) the sum read after the lock is granted sees every commitment that the
previous holder of the lock committed. Who may call which service is decided by funding.rules, in the
views and the API, before the call.
"""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from canceropoles.models import Organisation
from common.errors import TransitionError
from funding.models import (
    LIVE_DISBURSEMENT_STATUSES,
    ZERO,
    Allocation,
    Commitment,
    CommitmentKind,
    Disbursement,
    DisbursementStatus,
    Earmark,
    Funder,
    FunderKind,
)
from funding.money import CENT, euros, parse_amount

# What an earmarked allocation may fund. Call kinds are the values of calls.models.CallKind (funding
# does not import calls): an envelope draws on the earmark of its call's kind.
CALL_KIND_EARMARK = {
    "emergence": Earmark.EMERGENCE,
    "emergence_shs": Earmark.EMERGENCE,
    "high_risk": Earmark.EMERGENCE,
    "cross_border": Earmark.EMERGENCE,
    "structuring": Earmark.STRUCTURING,
    "training_event": Earmark.EVENTS,
    "platform": Earmark.PLATFORMS,
}
KIND_EARMARKS = {
    CommitmentKind.PROJECT: {Earmark.EMERGENCE, Earmark.STRUCTURING, Earmark.PLATFORMS},
    CommitmentKind.MOBILITY: {Earmark.MOBILITY},
    CommitmentKind.EVENT: {Earmark.EVENTS},
    CommitmentKind.OTHER: {Earmark.OPERATIONS, Earmark.PLATFORMS, Earmark.EVENTS},
}
TOP_LEVEL_KINDS = (
    CommitmentKind.ENVELOPE,
    CommitmentKind.PROJECT,
    CommitmentKind.MOBILITY,
    CommitmentKind.EVENT,
    CommitmentKind.OTHER,
)


def _today() -> date:
    return timezone.localdate()


def _sum(queryset, field: str = "amount") -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def committed_on_allocation(allocation_id: int, *, excluding: int | None = None) -> Decimal:
    """Σ of the allocation's top-level commitments (awards count against their envelope instead)."""
    commitments = Commitment.objects.filter(allocation_id=allocation_id, parent__isnull=True)
    if excluding is not None:
        commitments = commitments.exclude(pk=excluding)
    return _sum(commitments)


def awarded_on_envelope(envelope_id: int, *, excluding=None) -> Decimal:
    awards = Commitment.objects.filter(parent_id=envelope_id)
    if excluding is not None:
        awards = awards.exclude(
            pk__in=excluding if isinstance(excluding, list | tuple | set) else [excluding]
        )
    return _sum(awards)


def disbursed_on_commitment(commitment_id: int, *, excluding: int | None = None) -> Decimal:
    """Σ of the commitment's scheduled and paid disbursements (cancelled ones no longer count)."""
    disbursements = Disbursement.objects.filter(
        commitment_id=commitment_id, status__in=LIVE_DISBURSEMENT_STATUSES
    )
    if excluding is not None:
        disbursements = disbursements.exclude(pk=excluding)
    return _sum(disbursements)


# Funders ------------------------------------------------------------------------------------------------


@transaction.atomic
def funder_create(
    *, kind: str, by, organisation: Organisation | None = None, name: str = "", siret: str = "", ror: str = ""
) -> Funder:
    """Register an organisation as a funder: an existing one, or a new organisation named ``name``.

    Raises ValidationError naming the field: unknown kind, no name, an organisation already a funder,
    a malformed SIRET or ROR. Side effects: the organisation (when new) and the funder, with history.
    """
    if kind not in FunderKind.values:
        raise ValidationError({"kind": [_("Choose the kind of funder.")]})
    if organisation is None:
        name = (name or "").strip()
        if not name:
            raise ValidationError({"name": [_("Enter the funder's name.")]})
        existing = Organisation.objects.filter(name__iexact=name).first()
        if existing is not None:
            organisation = existing
        else:
            organisation = Organisation(
                name=name[:250],
                kind=Organisation.Kind.ASSOCIATION
                if kind in (FunderKind.FOUNDATION, FunderKind.PATIENT_ASSOCIATION)
                else Organisation.Kind.COMPANY
                if kind in (FunderKind.INDUSTRY, FunderKind.SPONSORSHIP)
                else Organisation.Kind.FUNDER,
                siret=(siret or "").strip(),
                ror=(ror or "").strip(),
            )
            organisation.full_clean()
            organisation.save()
    if Funder.objects.filter(organisation=organisation).exists():
        raise ValidationError({"name": [_("%(name)s is already a funder.") % {"name": organisation.name}]})
    return Funder.objects.create(organisation=organisation, kind=kind)


# Allocations --------------------------------------------------------------------------------------------


def _year(raw) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({"year": [_("Enter a year such as 2026.")]}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
    return year


def _earmark(raw) -> str:
    raw = raw or ""
    if raw and raw not in Earmark.values:
        raise ValidationError({"earmark": [_("Choose an earmark from the list, or none.")]})
    return raw


@transaction.atomic
def allocation_create(
    *, funder: Funder, canceropole, year, amount, purpose: str, by, earmark: str = "", reference: str = ""
) -> Allocation:
    """Record what a funder gives a pole for a year. Raises ValidationError naming the field."""
    amount = parse_amount("amount", amount)
    year = _year(year)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Say what the allocation is for.")]})
    return Allocation.objects.create(
        funder=funder,
        canceropole=canceropole,
        year=year,
        amount=amount,
        purpose=purpose[:250],
        earmark=_earmark(earmark),
        reference=(reference or "").strip()[:80],
        created_by=by,
    )


@transaction.atomic
def allocation_update(
    *, allocation: Allocation, by, amount, purpose: str, earmark: str = "", reference: str = ""
) -> Allocation:
    """Change an allocation; never below what is already committed from it (row lock on the allocation)."""
    amount = parse_amount("amount", amount)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Say what the allocation is for.")]})
    earmark = _earmark(earmark)
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    committed = committed_on_allocation(locked.pk)
    if amount < committed:
        raise TransitionError(
            {
                "amount": [
                    _("%(committed)s are already committed from this allocation: it cannot be less.")
                    % {"committed": euros(committed)}
                ]
            }
        )
    if earmark and earmark != locked.earmark:
        for commitment in Commitment.objects.filter(allocation=locked, parent__isnull=True).select_related(
            "call"
        ):
            if not _earmark_allows(earmark, commitment.kind, commitment.call):
                raise TransitionError(
                    {"earmark": [_("Some commitments of this allocation do not fit that earmark.")]}
                )
    locked.amount, locked.purpose, locked.earmark = amount, purpose[:250], earmark
    locked.reference = (reference or "").strip()[:80]
    locked.save(update_fields=["amount", "purpose", "earmark", "reference", "updated_at"])
    return locked


@transaction.atomic
def allocation_delete(*, allocation: Allocation, by) -> None:
    """Remove an allocation recorded by mistake; refused while anything is committed from it."""
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if Commitment.objects.filter(allocation=locked).exists():
        raise TransitionError(
            {"allocation": [_("Commitments draw on this allocation: it cannot be removed.")]}
        )
    locked.delete()


# Commitments --------------------------------------------------------------------------------------------


def _earmark_allows(earmark: str, kind: str, call=None) -> bool:
    if not earmark:
        return True
    if kind == CommitmentKind.ENVELOPE:
        return call is not None and CALL_KIND_EARMARK.get(call.kind) == earmark
    return earmark in KIND_EARMARKS.get(kind, set())


def _check_target(
    *, allocation: Allocation, kind: str, call, project, mobility_grant, label: str, event=None
) -> None:
    """The commitment names what its kind needs, of the allocation's pole, within its earmark."""
    pole_id = allocation.canceropole_id
    errors: dict[str, list[str]] = {}
    if kind == CommitmentKind.ENVELOPE:
        if call is None:
            errors["call"] = [_("Choose the call whose envelope this is.")]
        elif call.canceropole_id != pole_id:
            errors["call"] = [_("The call belongs to another pole than the allocation.")]
    elif kind == CommitmentKind.PROJECT:
        if project is None:
            errors["project"] = [_("Choose the project.")]
        elif project.canceropole_id != pole_id:
            errors["project"] = [_("The project belongs to another pole than the allocation.")]
    elif kind == CommitmentKind.MOBILITY:
        if mobility_grant is None:
            errors["mobility_grant"] = [_("Choose the mobility grant.")]
        elif mobility_grant.canceropole_id != pole_id:
            errors["mobility_grant"] = [_("The mobility grant belongs to another pole than the allocation.")]
    elif kind == CommitmentKind.EVENT:
        if event is not None and event.canceropole_id != pole_id:
            errors["event"] = [_("The event belongs to another pole than the allocation.")]
        elif event is None and not label:
            errors["event"] = [_("Choose the event, or say what this commitment pays for.")]
    elif kind == CommitmentKind.OTHER:
        if not label:
            errors["label"] = [_("Say what this commitment pays for.")]
    else:
        errors["kind"] = [_("Choose the kind of commitment.")]
    if errors:
        raise ValidationError(errors)
    if not _earmark_allows(allocation.earmark, kind, call):
        raise ValidationError(
            {
                "allocation": [
                    _("This allocation is earmarked for “%(earmark)s”.")
                    % {"earmark": Earmark(allocation.earmark).label}
                ]
            }
        )


def _lock_allocation(allocation_id: int) -> Allocation:
    return Allocation.objects.select_for_update(of=("self",)).select_related("funder").get(pk=allocation_id)


def _no_room(available: Decimal, of_what: str) -> TransitionError:
    return TransitionError(
        {
            "amount": [
                _("Only %(available)s remain %(of_what)s.")
                % {"available": euros(available), "of_what": of_what}
            ]
        }
    )


@transaction.atomic
def commitment_create(
    *,
    allocation: Allocation,
    kind: str,
    amount,
    by,
    call=None,
    project=None,
    mobility_grant=None,
    event=None,
    label: str = "",
    committed_on: date | None = None,
) -> Commitment:
    """Commit money of an allocation to a call's envelope, a project entered directly, a mobility grant,
    an event or another expense (awards on a call go through ``award_commitments_set``).

    Locks the allocation's row, then checks that its commitments plus this one stay within it; a call's
    envelopes never exceed the call's envelope either. Raises ValidationError (bad input) or
    TransitionError (no room left), naming the field. Side effects: the commitment and its history.
    """
    if kind not in TOP_LEVEL_KINDS:
        raise ValidationError({"kind": [_("Choose the kind of commitment.")]})
    amount = parse_amount("amount", amount)
    label = (label or "").strip()[:250]
    locked_call = _lock_call(call.pk) if kind == CommitmentKind.ENVELOPE and call is not None else None
    locked = _lock_allocation(allocation.pk)
    _check_target(
        allocation=locked,
        kind=kind,
        call=call,
        project=project,
        mobility_grant=mobility_grant,
        label=label,
        event=event,
    )
    if locked_call is not None:
        _check_call_envelope(call=locked_call, adding=amount)
    available = locked.amount - committed_on_allocation(locked.pk)
    if amount > available:
        raise _no_room(available, _("on this allocation"))
    return Commitment.objects.create(
        allocation=locked,
        kind=kind,
        call=call if kind == CommitmentKind.ENVELOPE else None,
        project=project if kind == CommitmentKind.PROJECT else None,
        mobility_grant=mobility_grant if kind == CommitmentKind.MOBILITY else None,
        event=event if kind == CommitmentKind.EVENT else None,
        label=label,
        amount=amount,
        committed_on=committed_on or _today(),
        created_by=by,
    )


def _lock_call(call_id: int):
    """The call's row, locked (the lock its decisions take first): calls.Call, read by name."""
    call_model = Commitment._meta.get_field("call").related_model
    return call_model.objects.select_for_update().get(pk=call_id)


def _check_call_envelope(*, call, adding: Decimal, excluding: int | None = None) -> None:
    """The funders' envelopes of a call add up to at most the call's envelope. The caller holds the
    call's row lock, so two envelopes recorded at once on different allocations are counted in turn."""
    envelopes = Commitment.objects.filter(call=call, kind=CommitmentKind.ENVELOPE)
    if excluding is not None:
        envelopes = envelopes.exclude(pk=excluding)
    room = call.envelope - _sum(envelopes)
    if adding > room:
        raise _no_room(
            max(room, ZERO), _("of the call's envelope of %(envelope)s") % {"envelope": euros(call.envelope)}
        )


@transaction.atomic
def commitment_update(*, commitment: Commitment, amount, by, label: str | None = None) -> Commitment:
    """Change a top-level commitment's amount (and an event's or expense's label): never above what its
    allocation has left (nor, for an envelope, above the call's envelope), never below what its awards or
    live disbursements already take. An award follows its decision and is changed through it."""
    amount = parse_amount("amount", amount)
    if commitment.kind == CommitmentKind.AWARD:
        raise TransitionError({"amount": [_("An award changes with its funding decision, on the call.")]})
    if commitment.kind == CommitmentKind.ENVELOPE:
        _lock_call(commitment.call_id)
    _lock_allocation(commitment.allocation_id)
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("allocation", "call")
        .get(pk=commitment.pk)
    )
    floor = max(disbursed_on_commitment(locked.pk), awarded_on_envelope(locked.pk))
    if amount < floor:
        raise TransitionError(
            {
                "amount": [
                    _("%(floor)s are already awarded or paid from it: it cannot be less.")
                    % {"floor": euros(floor)}
                ]
            }
        )
    room = locked.allocation.amount - committed_on_allocation(locked.allocation_id, excluding=locked.pk)
    if amount > room:
        raise _no_room(room, _("on this allocation"))
    if locked.kind == CommitmentKind.ENVELOPE:
        _check_call_envelope(call=locked.call, adding=amount, excluding=locked.pk)
    locked.amount = amount
    fields = ["amount", "updated_at"]
    if label is not None and locked.kind in (CommitmentKind.EVENT, CommitmentKind.OTHER):
        if not label.strip() and (locked.kind == CommitmentKind.OTHER or locked.event_id is None):
            raise ValidationError({"label": [_("Say what this commitment pays for.")]})
        locked.label = label.strip()[:250]
        fields.append("label")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def commitment_cancel(*, commitment: Commitment, by) -> None:
    """Release a commitment nothing was paid or awarded from: its scheduled payments are cancelled with it."""
    if commitment.kind == CommitmentKind.AWARD:
        raise TransitionError({"commitment": [_("An award changes with its funding decision, on the call.")]})
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if Commitment.objects.filter(parent=locked).exists():
        raise TransitionError({"commitment": [_("Awards draw on this envelope: it cannot be released.")]})
    if Disbursement.objects.filter(commitment=locked, status=DisbursementStatus.PAID).exists():
        raise TransitionError(
            {"commitment": [_("Payments were made from this commitment: it cannot be released.")]}
        )
    Disbursement.objects.filter(commitment=locked).delete()
    locked.delete()


# Awards on a call's envelope ----------------------------------------------------------------------------


def _split(amount: Decimal, envelopes: list[Commitment], room: dict[int, Decimal]) -> dict[int, Decimal]:
    """Share ``amount`` between the envelopes in proportion to their size, to the cent, within each one's
    room; what one cannot take goes to the others. Assumes Σ room ≥ amount."""
    total = sum((e.amount for e in envelopes), ZERO)
    shares: dict[int, Decimal] = {}
    for envelope in envelopes:
        ideal = (amount * envelope.amount / total).quantize(CENT, rounding=ROUND_DOWN) if total else ZERO
        shares[envelope.pk] = min(ideal, room[envelope.pk])
    rest = amount - sum(shares.values(), ZERO)
    for envelope in envelopes:  # the cents of rounding and what full envelopes could not take
        if rest <= 0:
            break
        extra = min(rest, room[envelope.pk] - shares[envelope.pk])
        shares[envelope.pk] += extra
        rest -= extra
    return shares


@transaction.atomic
def award_commitments_set(*, project, call, amount, by) -> list[Commitment]:
    """Draw a project's award from its call's envelopes (one per funder's allocation), or change it.

    Called with the call's row locked by the decision (calls.services.application_decide). The envelopes'
    rows are locked in id order; the award is shared between them in proportion to their size, so a call
    co-funded by INCa and a region gives awards co-funded by both. Raises TransitionError on
    ``amount_awarded`` when the envelopes have less left than the award, or when a share would fall below
    what was already paid from it. A call with no envelope recorded in funding has nothing to draw from:
    returns [] and the budget shows the award once the pole records the envelope.
    """
    amount = parse_amount("amount_awarded", amount)
    envelopes = list(
        Commitment.objects.select_for_update().filter(call=call, kind=CommitmentKind.ENVELOPE).order_by("id")
    )
    if not envelopes:
        return []
    existing = {
        c.parent_id: c
        for c in Commitment.objects.select_for_update().filter(project=project, kind=CommitmentKind.AWARD)
    }
    room = {
        e.pk: e.amount - awarded_on_envelope(e.pk, excluding=[c.pk for c in existing.values()])
        for e in envelopes
    }
    available = sum(room.values(), ZERO)
    if amount > available:
        raise TransitionError(
            {
                "amount_awarded": [
                    _("Only %(available)s remain in the funders' envelopes of this call.")
                    % {"available": euros(available)}
                ]
            }
        )
    shares = _split(amount, envelopes, room)
    kept: list[Commitment] = []
    for envelope in envelopes:
        share = shares[envelope.pk]
        current = existing.pop(envelope.pk, None)
        if current is not None:
            paid = disbursed_on_commitment(current.pk)
            if share < paid:
                raise TransitionError(
                    {
                        "amount_awarded": [
                            _("%(paid)s were already paid from this award.") % {"paid": euros(paid)}
                        ]
                    }
                )
            if share == 0 and paid == 0:
                Disbursement.objects.filter(commitment=current).delete()
                current.delete()
                continue
            if current.amount != share:
                current.amount = share
                current.save(update_fields=["amount", "updated_at"])
            kept.append(current)
        elif share > 0:
            kept.append(
                Commitment.objects.create(
                    allocation_id=envelope.allocation_id,
                    kind=CommitmentKind.AWARD,
                    parent=envelope,
                    project=project,
                    amount=share,
                    committed_on=_today(),
                    created_by=by,
                )
            )
    for orphan in existing.values():  # an envelope removed since: its award cannot stay
        award_commitment_remove(commitment=orphan)
    return kept


def award_commitment_remove(*, commitment: Commitment) -> None:
    if disbursed_on_commitment(commitment.pk) > 0:
        raise TransitionError({"amount_awarded": [_("Payments are scheduled or made on this award.")]})
    Disbursement.objects.filter(commitment=commitment).delete()
    commitment.delete()


@transaction.atomic
def award_commitments_remove(*, project, by=None) -> int:
    """The decision no longer funds the project: its awards go back to their envelopes. Refused when a
    payment is scheduled or made on one of them. Returns how many were removed."""
    awards = list(Commitment.objects.select_for_update().filter(project=project, kind=CommitmentKind.AWARD))
    for award in awards:
        award_commitment_remove(commitment=award)
    return len(awards)


# Disbursements ------------------------------------------------------------------------------------------


def _date(field: str, raw) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


@transaction.atomic
def disbursement_schedule(
    *, commitment: Commitment, amount, scheduled_on, by, reference: str = ""
) -> Disbursement:
    """Schedule a payment of a commitment. Locks the commitment's row, then checks that its scheduled and
    paid disbursements plus this one stay within it. An envelope is paid through its awards only."""
    amount = parse_amount("amount", amount)
    scheduled_on = _date("scheduled_on", scheduled_on)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if locked.kind == CommitmentKind.ENVELOPE:
        raise TransitionError({"commitment": [_("A call's envelope is paid through its awards.")]})
    available = locked.amount - disbursed_on_commitment(locked.pk)
    if amount > available:
        raise _no_room(available, _("to pay on this commitment"))
    return Disbursement.objects.create(
        commitment=locked,
        amount=amount,
        scheduled_on=scheduled_on,
        reference=(reference or "").strip()[:80],
        created_by=by,
    )


@transaction.atomic
def disbursement_pay(*, disbursement: Disbursement, by, paid_on=None, reference: str = "") -> Disbursement:
    """Mark a scheduled payment as paid (on ``paid_on``, by default today)."""
    paid_on = _date("paid_on", paid_on) if paid_on else _today()
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if locked.status != DisbursementStatus.SCHEDULED:
        raise TransitionError({"status": [_("Only a scheduled payment can be marked as paid.")]})
    locked.status, locked.paid_on = DisbursementStatus.PAID, paid_on
    fields = ["status", "paid_on", "updated_at"]
    if reference:
        locked.reference = reference.strip()[:80]
        fields.append("reference")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def disbursement_cancel(*, disbursement: Disbursement, by) -> Disbursement:
    """Cancel a scheduled payment: its amount is free to schedule again."""
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if locked.status != DisbursementStatus.SCHEDULED:
        raise TransitionError({"status": [_("Only a scheduled payment can be cancelled.")]})
    locked.status = DisbursementStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def commitment_pay_balance(*, commitment: Commitment, by, paid_on=None) -> Disbursement | None:
    """Pay what remains of a commitment in one payment: its scheduled payments are paid, and the balance
    not yet scheduled is paid too. Returns the last payment made (None if nothing was left)."""
    paid_on = _date("paid_on", paid_on) if paid_on else _today()
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    last = None
    for scheduled in Disbursement.objects.filter(commitment=locked, status=DisbursementStatus.SCHEDULED):
        last = disbursement_pay(disbursement=scheduled, by=by, paid_on=paid_on)
    balance = locked.amount - disbursed_on_commitment(locked.pk)
    if balance > 0:
        last = Disbursement.objects.create(
            commitment=locked,
            amount=balance,
            scheduled_on=paid_on,
            paid_on=paid_on,
            status=DisbursementStatus.PAID,
            created_by=by,
        )
    return last


__all__ = [
    "allocation_create",
    "allocation_delete",
    "allocation_update",
    "award_commitments_remove",
    "award_commitments_set",
    "commitment_cancel",
    "commitment_create",
    "commitment_pay_balance",
    "commitment_update",
    "disbursement_cancel",
    "disbursement_pay",
    "disbursement_schedule",
    "funder_create",
]
