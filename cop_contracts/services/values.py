"""Indicator values: entering figures, and each step of their approval.

The approval workflow of a value (DESIGN §4)::

    draft ─submit→ submitted ─approve→ approved ─accept→ accepted (locked)
      ↑               │                    │                 │
      └── sent_back ←─┴── send back ───────┘      unlock ────┘ (INCa, with a reason)

Each step goes through common.workflow.transition: it locks the value's row (that row only), checks the
status it starts from, records a ValueTransition (who, when, from, to, comment), and after commit
schedules the rollup of (indicator, year) through the outbox and adds the value to the act's e-mail
digest (one message per recipient per act). Four eyes: nobody approves or accepts a value they
submitted. Who may call which step is decided by cop_contracts.rules, in the views and the API (or
cop_contracts.services.decisions), before the call.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, User
from common import workflow
from common.errors import TransitionError
from common.notifications import email_digest
from common.outbox import task_after_commit
from cop_contracts import selectors
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    Source,
    ValueStatus,
    ValueTransition,
)
from cop_contracts.registry import get_computation
from cop_contracts.services.figures import checked_comment, validated_figures
from cop_contracts.tasks import indicator_rollup_task

ROLLUP_TASK = indicator_rollup_task.name
TRANSITION_REFUSED = gettext_lazy("This value is %(status)s: it cannot go to “%(to)s” from there.")


def check_year(contract: CopContract, year: int) -> None:
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


def _locked_value(contract: CopContract, indicator: IndicatorDefinition, year: int) -> IndicatorValue | None:
    return (
        IndicatorValue.objects.select_for_update(of=("self",))
        .filter(contract=contract, indicator=indicator, year=year)
        .first()
    )


def schedule_rollup(*, indicator_id: int, year: int) -> None:
    """After commit, recompute the rollups of (indicator, year) (through the outbox: never lost)."""
    task_after_commit(ROLLUP_TASK, indicator_id=indicator_id, year=year)


@transaction.atomic
def indicator_value_save(
    *,
    contract: CopContract,
    indicator: IndicatorDefinition,
    year: int,
    by: User | None,
    value=None,
    numerator=None,
    denominator=None,
    comment: str = "",
    source: str = Source.MANUAL,
) -> IndicatorValue | None:
    """Create or update a pole's value for (indicator, year), while it is a draft or sent back.

    Raises TransitionError (naming the field) when the figures do not fit the indicator, the comment is
    too long, the year is outside the contract, or the value is under review or locked. Records the
    first save as a transition to draft (``by`` None: the portal itself, for computed values).

    An empty save (no figure, no comment) of a value never entered creates nothing and returns None: "not
    entered" stays distinct from a blank draft. A save that changes nothing writes nothing, so that a
    sent-back value counts as corrected only when its figures or comment really changed. Two first saves
    of one cell at once are safe: the second updates what the first created.
    """
    check_year(contract, year)
    comment = checked_comment(comment)
    figures = validated_figures(
        indicator=indicator, value=value, numerator=numerator, denominator=denominator
    )
    existing = _locked_value(contract, indicator, year)
    if existing is None:
        if all(number is None for number in figures.values()) and not comment.strip():
            return None
        try:
            with transaction.atomic():
                saved = IndicatorValue.objects.create(
                    contract=contract,
                    indicator=indicator,
                    year=year,
                    comment=comment,
                    source=source,
                    **figures,
                )
                workflow.record_creation(obj=saved, to=ValueStatus.DRAFT, by=by, record_model=ValueTransition)
            return saved
        except IntegrityError:
            # Another request created the value meanwhile (PostgreSQL made this insert wait for it):
            # this save is then a correction of that value.
            existing = _locked_value(contract, indicator, year)
            if existing is None:
                raise
    if not existing.is_editable:
        raise TransitionError({"value": [_locked_message(existing)]})
    wanted = {**figures, "comment": comment, "source": source}
    changed = [field for field, new in wanted.items() if getattr(existing, field) != new]
    if changed:
        for field in changed:
            setattr(existing, field, wanted[field])
        existing.save(update_fields=[*changed, "updated_at"])
    return existing


@transaction.atomic
def indicator_value_compute(
    *, contract: CopContract, indicator: IndicatorDefinition, year: int, by: User | None
) -> IndicatorValue | None:
    """Fill a computed indicator's value from its registered computation, as a draft to approve.

    Raises TransitionError when the indicator is not computed, its computation is not registered, or
    the value is under review or locked.
    """
    if not indicator.computation:
        raise TransitionError({"indicator": [_("This indicator is entered by hand, not computed.")]})
    try:
        computation = get_computation(indicator.computation)
    except LookupError:
        raise TransitionError(
            {
                "indicator": [
                    _("No computation named “%(name)s” is registered.") % {"name": indicator.computation}
                ]
            }
        ) from None
    result = computation(canceropole=contract.canceropole, year=year)
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
    check=None,
) -> IndicatorValue:
    locked = workflow.transition(
        obj=value,
        to=to,
        allowed_from=allowed_from,
        by=by,
        comment=checked_comment(comment),
        record_model=ValueTransition,
        expected_status=expected_status,
        message=str(TRANSITION_REFUSED),
        check=check,
    )
    schedule_rollup(indicator_id=locked.indicator_id, year=locked.year)
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


def _require_figure(locked: IndicatorValue) -> None:
    if locked.value is None:
        raise TransitionError({"value": [_("Enter a value before submitting it.")]})


def _four_eyes(by: User):
    def check(locked: IndicatorValue) -> None:
        workflow.require_four_eyes(
            record_model=ValueTransition, obj=locked, by=by, submitted_status=ValueStatus.SUBMITTED
        )

    return check


@transaction.atomic
def indicator_value_submit(*, value: IndicatorValue, by: User) -> IndicatorValue:
    """The pole submits a draft (or corrected) value to its director. Refuses an empty value.

    Side effects: a transition record; after commit, the rollup and an e-mail to the pole's director
    (within the act's digest).
    """
    return _transition(
        value=value,
        by=by,
        allowed_from=(ValueStatus.DRAFT, ValueStatus.SENT_BACK),
        to=ValueStatus.SUBMITTED,
        check=_require_figure,
    )


@transaction.atomic
def indicator_values_submit_year(*, contract: CopContract, year: int, by: User) -> list[IndicatorValue]:
    """Submit every value of a year that can be submitted (see selectors.indicator_values_submittable).

    Filled-in drafts go; a sent-back value goes only once it was corrected or commented after it was
    sent back; empty values stay drafts. Locks the values in primary-key order first (see
    common.workflow). Side effects: one transition record and one rollup per value; one e-mail per
    director listing the values. Raises TransitionError naming ``year`` when nothing can be submitted.
    """
    check_year(contract, year)
    candidates = selectors.indicator_values_submittable(contract=contract, year=year)
    locked = workflow.lock_in_order(IndicatorValue.objects.all(), candidates.values_list("pk", flat=True))
    values = (
        selectors.indicator_values_submittable(contract=contract, year=year)
        .filter(pk__in=locked)
        .select_related("contract__canceropole", "indicator")
        .order_by("indicator__code")
    )
    with email_digest():
        submitted = [indicator_value_submit(value=value, by=by) for value in values]
    if not submitted:
        raise TransitionError(
            {
                "year": [
                    _(
                        "Nothing to submit for %(year)s: no filled-in draft, and no sent-back value "
                        "corrected or commented since it was sent back."
                    )
                    % {"year": year}
                ]
            }
        )
    return submitted


@transaction.atomic
def indicator_value_approve(*, value: IndicatorValue, by: User, comment: str = "") -> IndicatorValue:
    """The pole director approves a submitted value; it goes to INCa. Four eyes: not one they submitted.

    Side effects: a transition record; after commit, the rollup and an e-mail to INCa staff.
    """
    return _transition(
        value=value,
        by=by,
        allowed_from=(ValueStatus.SUBMITTED,),
        to=ValueStatus.APPROVED,
        comment=comment,
        check=_four_eyes(by),
    )


@transaction.atomic
def indicator_value_accept(*, value: IndicatorValue, by: User, comment: str = "") -> IndicatorValue:
    """INCa accepts an approved value: it is locked and counts in the published figures.

    Four eyes: not a value they submitted. Side effects: a transition record; after commit, the rollup
    and an e-mail to the pole's director and coordinators.
    """
    return _transition(
        value=value,
        by=by,
        allowed_from=(ValueStatus.APPROVED,),
        to=ValueStatus.ACCEPTED,
        comment=comment,
        check=_four_eyes(by),
    )


def _require_comment(comment: str, field: str = "comment") -> str:
    comment = checked_comment((comment or "").strip(), field)
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
