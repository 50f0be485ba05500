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
from django.utils.translation import gettext_lazy

from accounts.models import Membership, User
from common import workflow
from common.errors import TransitionError
from common.notifications import email_digest
from common.outbox import task_after_commit
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

ROLLUP_TASK = indicator_rollup_task.name


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
        workflow.record_creation(obj=saved, to=ValueStatus.DRAFT, by=by, record_model=ValueTransition)
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


TRANSITION_REFUSED = gettext_lazy("This value is %(status)s: it cannot go to “%(to)s” from there.")


def _schedule_rollup(value: IndicatorValue) -> None:
    task_after_commit(ROLLUP_TASK, indicator_id=value.indicator_id, year=value.year)


def _transition(
    *,
    value: IndicatorValue,
    by: User,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str = "",
    expected_status: str | None = None,
) -> IndicatorValue:
    locked = workflow.transition(
        obj=value,
        to=to,
        allowed_from=allowed_from,
        by=by,
        comment=comment,
        record_model=ValueTransition,
        expected_status=expected_status,
        message=str(TRANSITION_REFUSED),
    )
    _schedule_rollup(locked)
    _notify_next_actor(value=locked, to=to, by=by, comment=comment)
    return locked


def _pole_staff_emails(pole_id: int, roles: tuple[str, ...]) -> list[str]:
    return list(
        Membership.objects.filter(canceropole_id=pole_id, role__in=roles, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


def _inca_staff_emails() -> list[str]:
    return list(
        User.objects.filter(is_inca_staff=True, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


# What each step tells whom: the subject of the act's message and its first line (the values follow).
NOTICES = {
    ValueStatus.SUBMITTED: (
        gettext_lazy("COP %(pole)s: values submitted for your approval"),
        gettext_lazy("%(who)s submitted these values; they wait for your approval:"),
    ),
    ValueStatus.APPROVED: (
        gettext_lazy("COP %(pole)s: values approved by the director"),
        gettext_lazy("%(who)s approved these values; they wait for INCa's review:"),
    ),
    ValueStatus.ACCEPTED: (
        gettext_lazy("COP %(pole)s: values accepted by INCa"),
        gettext_lazy("%(who)s accepted these values; they are published:"),
    ),
    ValueStatus.SENT_BACK: (
        gettext_lazy("COP %(pole)s: values sent back for revision"),
        gettext_lazy("%(who)s sent these values back; please revise them:"),
    ),
}


def _recipients(value: IndicatorValue, to: str, digest) -> list[str]:
    pole_id = value.contract.canceropole_id
    if to == ValueStatus.SUBMITTED:
        roles = (Membership.Role.DIRECTOR,)
        return digest.memo(("pole", pole_id, roles), lambda: _pole_staff_emails(pole_id, roles))
    if to == ValueStatus.APPROVED:
        return digest.memo(("inca",), _inca_staff_emails)
    roles = (Membership.Role.DIRECTOR, Membership.Role.COORDINATOR)
    return digest.memo(("pole", pole_id, roles), lambda: _pole_staff_emails(pole_id, roles))


def _figure_text(value: IndicatorValue) -> str:
    if value.value is None:
        return "–"
    text = format(value.value.normalize(), "f")
    if value.numerator is not None and value.denominator is not None:
        numerator = format(value.numerator.normalize(), "f")
        denominator = format(value.denominator.normalize(), "f")
        text += f" ({numerator}/{denominator})"
    return text


def _notify_next_actor(*, value: IndicatorValue, to: str, by: User, comment: str) -> None:
    """Add the value to the act's digest: one e-mail per recipient per act, listing every value."""
    with email_digest() as digest:
        recipients = [email for email in _recipients(value, to, digest) if email != by.email]
        if not recipients:
            return
        subject, intro = NOTICES[to]
        pole = value.contract.canceropole.code
        line = f"{value.indicator.code} – {value.indicator.name} {value.year}: {_figure_text(value)}"
        if comment:
            line += "\n  " + _("Comment: %(comment)s") % {"comment": comment}
        digest.add(
            recipients=recipients,
            subject=subject % {"pole": pole},
            intro=intro % {"who": by},
            line=line,
        )


@transaction.atomic
def indicator_value_submit(*, value: IndicatorValue, by: User) -> IndicatorValue:
    """The pole submits a draft (or corrected) value to its director. Refuses an empty value."""
    if value.value is None:
        raise TransitionError({"value": [_("Enter a value before submitting it.")]})
    return _transition(value=value, by=by, allowed_from=EDITABLE_STATUSES, to=ValueStatus.SUBMITTED)


@transaction.atomic
def indicator_values_submit_year(*, contract: CopContract, year: int, by: User) -> list[IndicatorValue]:
    """Submit every filled-in draft or sent-back value of a year at once; empty ones stay drafts.

    Locks the values in primary-key order first (see common.workflow). Side effects: one transition
    record and one rollup per value; one e-mail per director listing the values.
    """
    _check_year(contract, year)
    candidates = IndicatorValue.objects.filter(
        contract=contract, year=year, status__in=EDITABLE_STATUSES, value__isnull=False
    )
    locked = workflow.lock_in_order(IndicatorValue.objects.all(), candidates.values_list("pk", flat=True))
    values = (
        IndicatorValue.objects.filter(pk__in=locked)
        .select_related("contract__canceropole", "indicator")
        .order_by("indicator__code")
    )
    with email_digest():
        submitted = [indicator_value_submit(value=value, by=by) for value in values]
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
