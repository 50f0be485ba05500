"""Every write on COP contracts and indicator values.

The approval workflow of a value (DESIGN §4)::

    draft ─submit→ submitted ─approve→ approved ─accept→ accepted (locked)
      ↑               │                    │                 │
      └── sent_back ←─┴── send back ───────┘      unlock ────┘ (INCa, with a reason)

Each transition locks the value's row, checks the status it starts from, records a ValueTransition
(who, when, from, to, comment) beside the value's history, and after commit schedules the rollup of
(indicator, year) and an e-mail to whoever acts next. Who may call which transition is decided by
cop_contracts.rules, in the views and the API, before the call.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from common.errors import TransitionError
from common.notifications import email_after_commit
from cop_contracts.models import (
    EDITABLE_STATUSES,
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    Source,
    Target,
    ValueStatus,
    ValueTransition,
)
from cop_contracts.registry import get_computation
from cop_contracts.tasks import indicator_rollup_task


def _decimal(field: str, raw) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        number = Decimal(str(raw).replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        raise TransitionError({field: [_("Enter a number.")]}) from None
    if not number.is_finite():
        raise TransitionError({field: [_("Enter a number.")]})
    return number


def _validated_figures(*, indicator: IndicatorDefinition, value, numerator, denominator) -> dict:
    """The figures to store, checked against the indicator's kind; raises TransitionError naming the field."""
    value, numerator, denominator = (
        _decimal("value", value),
        _decimal("numerator", numerator),
        _decimal("denominator", denominator),
    )
    errors: dict[str, list[str]] = {}
    for field, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            errors[field] = [_("Enter a number greater than or equal to 0.")]
        elif number is not None and abs(number) >= Decimal("1e16"):
            errors[field] = [_("This number is too large.")]
    if errors:
        raise TransitionError(errors)
    if indicator.is_ratio:
        if numerator is None and denominator is None:
            return {"value": None, "numerator": None, "denominator": None}
        if numerator is None:
            errors["numerator"] = [_("A ratio needs its numerator.")]
        if denominator is None or denominator == 0:
            errors["denominator"] = [_("A ratio needs a denominator greater than 0.")]
        if errors:
            raise TransitionError(errors)
        value = (numerator * indicator.scale / denominator).quantize(Decimal("0.0001"))
        return {"value": value, "numerator": numerator, "denominator": denominator}
    return {"value": value, "numerator": None, "denominator": None}


def _check_year(contract: CopContract, year: int) -> None:
    if year not in contract.years:
        raise TransitionError(
            {
                "year": [
                    _("%(year)s is outside the contract's period %(first)s–%(last)s.")
                    % {"year": year, "first": contract.first_year, "last": contract.last_year}
                ]
            }
        )


def _locked_message(value: IndicatorValue) -> str:
    if value.status == ValueStatus.ACCEPTED:
        return _("This value was accepted by INCa and is locked. Ask INCa to unlock it to change it.")
    return _("This value is under review (%(status)s) and cannot be changed now.") % {
        "status": value.get_status_display()
    }


@transaction.atomic
def indicator_value_save(
    *,
    contract: CopContract,
    indicator: IndicatorDefinition,
    year: int,
    by: User,
    value=None,
    numerator=None,
    denominator=None,
    comment: str = "",
    source: str = Source.MANUAL,
) -> IndicatorValue:
    """Create or update a pole's value for (indicator, year), while it is a draft or sent back.

    Raises TransitionError (naming the field) when the figures do not fit the indicator, the year is
    outside the contract, or the value is under review or locked. Records the first save as a
    transition to draft.
    """
    _check_year(contract, year)
    figures = _validated_figures(
        indicator=indicator, value=value, numerator=numerator, denominator=denominator
    )
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(contract=contract, indicator=indicator, year=year)
        .first()
    )
    if existing is not None and not existing.is_editable:
        raise TransitionError({"value": [_locked_message(existing)]})
    if existing is None:
        saved = IndicatorValue.objects.create(
            contract=contract, indicator=indicator, year=year, comment=comment, source=source, **figures
        )
        ValueTransition.objects.create(value=saved, from_status="", to_status=ValueStatus.DRAFT, by=by)
        return saved
    for field, number in figures.items():
        setattr(existing, field, number)
    existing.comment = comment
    existing.source = source
    existing.save(update_fields=[*figures, "comment", "source", "updated_at"])
    return existing


@transaction.atomic
def indicator_value_compute(*, contract: CopContract, indicator: IndicatorDefinition, year: int, by: User):
    """Fill a computed indicator's value from its registered computation, as a draft to approve."""
    if not indicator.computation:
        raise TransitionError({"indicator": [_("This indicator is entered by hand, not computed.")]})
    result = get_computation(indicator.computation)(canceropole=contract.canceropole, year=year)
    return indicator_value_save(
        contract=contract,
        indicator=indicator,
        year=year,
        by=by,
        value=result.value,
        numerator=result.numerator,
        denominator=result.denominator,
        comment=result.explanation,
        source=Source.COMPUTED,
    )


def _transition(
    *,
    value: IndicatorValue,
    by: User,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str = "",
    expected_status: str | None = None,
) -> IndicatorValue:
    locked = (
        IndicatorValue.objects.select_for_update().select_related("contract", "indicator").get(pk=value.pk)
    )
    if locked.status not in allowed_from or (expected_status and locked.status != expected_status):
        raise TransitionError(
            {
                "status": [
                    _("This value is %(status)s: it cannot go to “%(to)s” from there.")
                    % {"status": locked.get_status_display(), "to": ValueStatus(to).label}
                ]
            }
        )
    from_status = locked.status
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    ValueTransition.objects.create(
        value=locked, from_status=from_status, to_status=to, by=by, comment=comment
    )
    transaction.on_commit(
        lambda: indicator_rollup_task.delay(indicator_id=locked.indicator_id, year=locked.year)
    )
    _notify_next_actor(value=locked, to=to, by=by, comment=comment)
    return locked


def _pole_staff_emails(value: IndicatorValue, roles: tuple[str, ...]) -> list[str]:
    return list(
        Membership.objects.filter(
            canceropole_id=value.contract.canceropole_id, role__in=roles, user__is_active=True
        )
        .values_list("user__email", flat=True)
        .distinct()
    )


def _notify_next_actor(*, value: IndicatorValue, to: str, by: User, comment: str) -> None:
    if to == ValueStatus.SUBMITTED:
        recipients = _pole_staff_emails(value, (Membership.Role.DIRECTOR,))
    elif to == ValueStatus.APPROVED:
        recipients = list(
            User.objects.filter(is_inca_staff=True, is_active=True).values_list("email", flat=True)
        )
    else:
        recipients = _pole_staff_emails(value, (Membership.Role.DIRECTOR, Membership.Role.COORDINATOR))
    recipients = [email for email in recipients if email != by.email]
    if not recipients:
        return
    subject = _("COP %(pole)s – %(indicator)s %(year)s: %(status)s") % {
        "pole": value.contract.canceropole.code if hasattr(value.contract, "canceropole") else "",
        "indicator": value.indicator.code,
        "year": value.year,
        "status": ValueStatus(to).label,
    }
    body = _("%(who)s moved the value of %(indicator)s for %(year)s to “%(status)s”.") % {
        "who": by,
        "indicator": value.indicator.name,
        "year": value.year,
        "status": ValueStatus(to).label,
    }
    if comment:
        body += "\n\n" + _("Comment: %(comment)s") % {"comment": comment}
    email_after_commit(subject=subject, body=body, recipients=recipients)


@transaction.atomic
def indicator_value_submit(*, value: IndicatorValue, by: User) -> IndicatorValue:
    """The pole submits a draft (or corrected) value to its director. Refuses an empty value."""
    if value.value is None:
        raise TransitionError({"value": [_("Enter a value before submitting it.")]})
    return _transition(value=value, by=by, allowed_from=EDITABLE_STATUSES, to=ValueStatus.SUBMITTED)


@transaction.atomic
def indicator_values_submit_year(*, contract: CopContract, year: int, by: User) -> list[IndicatorValue]:
    """Submit every filled-in draft or sent-back value of a year at once; empty ones stay drafts."""
    _check_year(contract, year)
    candidates = IndicatorValue.objects.filter(
        contract=contract, year=year, status__in=EDITABLE_STATUSES, value__isnull=False
    ).order_by("indicator__code")
    submitted = [indicator_value_submit(value=value, by=by) for value in candidates]
    if not submitted:
        raise TransitionError(
            {"year": [_("There is no filled-in draft value to submit for %(year)s.") % {"year": year}]}
        )
    return submitted


@transaction.atomic
def indicator_value_approve(*, value: IndicatorValue, by: User, comment: str = "") -> IndicatorValue:
    """The pole director approves a submitted value; it goes to INCa."""
    return _transition(
        value=value, by=by, allowed_from=(ValueStatus.SUBMITTED,), to=ValueStatus.APPROVED, comment=comment
    )


@transaction.atomic
def indicator_value_accept(*, value: IndicatorValue, by: User, comment: str = "") -> IndicatorValue:
    """INCa accepts an approved value: it is locked and counts in the published figures."""
    return _transition(
        value=value, by=by, allowed_from=(ValueStatus.APPROVED,), to=ValueStatus.ACCEPTED, comment=comment
    )


def _require_comment(comment: str, field: str = "comment") -> str:
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError({field: [_("Say why: a comment is required.")]})
    return comment


@transaction.atomic
def indicator_value_send_back(
    *, value: IndicatorValue, by: User, comment: str, expected_status: str | None = None
) -> IndicatorValue:
    """The director (a submitted value) or INCa (an approved value) asks the pole to revise it.

    ``expected_status`` is the status the caller saw when it checked permissions: if the value moved
    meanwhile, the step is refused rather than applied to a state nobody looked at.
    """
    return _transition(
        value=value,
        by=by,
        allowed_from=(ValueStatus.SUBMITTED, ValueStatus.APPROVED),
        to=ValueStatus.SENT_BACK,
        comment=_require_comment(comment),
        expected_status=expected_status,
    )


@transaction.atomic
def indicator_value_unlock(*, value: IndicatorValue, by: User, reason: str) -> IndicatorValue:
    """INCa unlocks an accepted value so that the pole can correct it; it leaves the published figures."""
    return _transition(
        value=value,
        by=by,
        allowed_from=(ValueStatus.ACCEPTED,),
        to=ValueStatus.SENT_BACK,
        comment=_require_comment(reason, "reason"),
    )


@transaction.atomic
def target_set(
    *, contract: CopContract, indicator: IndicatorDefinition, year: int, value, baseline=None
) -> Target:
    """Set the contract's target for (indicator, year), with an optional baseline."""
    _check_year(contract, year)
    number = _decimal("value", value)
    if number is None:
        raise TransitionError({"value": [_("Enter a target.")]})
    target, _created = Target.objects.update_or_create(
        contract=contract,
        indicator=indicator,
        year=year,
        defaults={"value": number, "baseline": _decimal("baseline", baseline)},
    )
    return target
