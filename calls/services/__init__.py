"""Every write on calls, applications, reviews and decisions (one module per entity).

Each function is keyword-only, atomic, checks the state it starts from (TransitionError naming the field
otherwise), records the transition (who, when, from, to, comment) and schedules e-mails after commit.
Who may call which service is decided by calls.rules, in the views and the API, before the call.
"""

from calls.services.applications import (
    application_create,
    application_invite_full,
    application_screen,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_remove,
)
from calls.services.calls import (
    call_archive,
    call_create,
    call_publish,
    call_update,
    calls_follow_clock,
)
from calls.services.decisions import (
    application_decide,
    decisions_publish,
    outbox_message_update,
    outbox_send,
)
from calls.services.reviews import (
    assignment_create,
    assignment_declare,
    assignment_withdraw,
    assignments_apply,
    review_save,
    reviewer_add,
)

__all__ = [
    "application_create",
    "application_decide",
    "application_invite_full",
    "application_screen",
    "application_submit",
    "application_update",
    "application_withdraw",
    "assignment_create",
    "assignment_declare",
    "assignment_withdraw",
    "assignments_apply",
    "attachment_add",
    "attachment_remove",
    "call_archive",
    "call_create",
    "call_publish",
    "call_update",
    "calls_follow_clock",
    "decisions_publish",
    "outbox_message_update",
    "outbox_send",
    "review_save",
    "reviewer_add",
]
