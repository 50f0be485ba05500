"""Decisions on indicator values, one or many at once: which action needs which permission, and the
all-or-none rule of a bulk decision. The approval page, INCa's review queue and the API all decide
through here.

Actions: ``approve`` (the pole's director, a submitted value), ``accept`` (INCa, an approved value),
``send_back`` (the director at the first step, INCa at the second, with a comment) and ``unlock`` (INCa,
an accepted value, with a reason).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common import workflow
from common.errors import TransitionError
from common.notifications import email_digest
from cop_contracts.models import IndicatorValue, ValueStatus
from cop_contracts.services import values as value_services
from cop_contracts.services.figures import checked_comment


@dataclass(frozen=True)
class Decision:
    permission: str
    done: Promise  # what the decision did, as told to the person who took it


DECISIONS = {
    "approve": Decision("cop_contracts.approve_value", gettext_lazy("Approved: sent to INCa.")),
    "accept": Decision("cop_contracts.accept_value", gettext_lazy("Accepted: published and locked.")),
    "send_back": Decision("cop_contracts.send_back_value", gettext_lazy("Sent back to the pole.")),
    "unlock": Decision("cop_contracts.unlock_value", gettext_lazy("Unlocked: sent back to the pole.")),
}
# The permission of the step at which a value in this status is decided: whoever holds it on a page
# showing values in that status may send them back (a value that moved meanwhile is then refused by the
# service with its reason, rather than forbidden).
STEP_PERMISSIONS = {
    ValueStatus.SUBMITTED: "cop_contracts.approve_value",
    ValueStatus.APPROVED: "cop_contracts.accept_value",
}


def decision_permitted(
    *, user: User, value: IndicatorValue, action: str, expected_status: str | None = None
) -> bool:
    """May ``user`` take ``action`` on ``value``? ``expected_status``: the status the user was shown."""
    if action not in DECISIONS:
        return False
    if user.has_perm(DECISIONS[action].permission, value):
        return True
    step_permission = STEP_PERMISSIONS.get(expected_status)
    return action == "send_back" and step_permission is not None and user.has_perm(step_permission, value)


def _unknown_action() -> TransitionError:
    return TransitionError({"action": [_("Choose approve, accept, send back or unlock.")]})


@transaction.atomic
def indicator_value_decide(
    *, value: IndicatorValue, by: User, action: str, comment: str = "", expected_status: str | None = None
) -> IndicatorValue:
    """Take ``action`` on one value, after checking ``by``'s permission for it.

    Raises PermissionDenied when ``by`` may not take that action on the value, TransitionError when the
    value's state (or a missing comment, four eyes…) forbids it. Side effects: those of the step.
    """
    if action not in DECISIONS:
        raise _unknown_action()
    if not decision_permitted(user=by, value=value, action=action, expected_status=expected_status):
        raise PermissionDenied
    if action == "approve":
        return value_services.indicator_value_approve(value=value, by=by, comment=comment)
    if action == "accept":
        return value_services.indicator_value_accept(value=value, by=by, comment=comment)
    if action == "unlock":
        return value_services.indicator_value_unlock(value=value, by=by, reason=comment)
    return value_services.indicator_value_send_back(
        value=value, by=by, comment=comment, expected_status=expected_status or value.status
    )


@dataclass(frozen=True)
class Failure:
    value: IndicatorValue
    messages: list[str]


class BulkDecisionError(TransitionError):
    """A bulk decision that failed on some values: nothing was changed. ``failures`` lists them."""

    def __init__(self, failures: list[Failure]):
        self.failures = failures
        super().__init__(
            {
                "values": [
                    f"{failure.value.contract.canceropole.code} {failure.value.indicator.code} "
                    f"{failure.value.year}: {' '.join(failure.messages)}"
                    for failure in failures
                ]
            }
        )


@transaction.atomic
def indicator_values_decide(
    *,
    values: Sequence[IndicatorValue],
    by: User,
    action: str,
    comment: str = "",
    expected_status: str | None = None,
) -> list[IndicatorValue]:
    """Take the same ``action`` on every value, with one comment: all of them, or none.

    Checks the permission on every value first (PermissionDenied: nothing changed), locks every value's
    row in primary-key order (so that two bulk decisions, or a bulk decision and a year's submission,
    never deadlock), then decides each. If any value is refused, nothing is changed and
    BulkDecisionError lists every refused value with its reasons.
    Side effects: those of each step, with one e-mail per recipient for the whole act.
    """
    if action not in DECISIONS:
        raise _unknown_action()
    if not values:
        raise TransitionError({"values": [_("Select at least one value.")]})
    checked_comment(comment)
    if action in ("send_back", "unlock") and not (comment or "").strip():
        raise TransitionError({"comment": [_("Say why: a comment is required.")]})
    for value in values:
        if not decision_permitted(user=by, value=value, action=action, expected_status=expected_status):
            raise PermissionDenied
    workflow.lock_in_order(IndicatorValue.objects.all(), [value.pk for value in values])
    decided: list[IndicatorValue] = []
    failures: list[Failure] = []
    with email_digest():
        for value in values:
            try:
                decided.append(
                    indicator_value_decide(
                        value=value, by=by, action=action, comment=comment, expected_status=expected_status
                    )
                )
            except TransitionError as error:
                failures.append(Failure(value, [str(m) for ms in error.message_dict.values() for m in ms]))
        if failures:
            raise BulkDecisionError(failures)  # leaves the digest unsent and rolls everything back
    return decided
