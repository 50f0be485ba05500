"""Decisions: the committee's outcome per application, the award against the call's envelope, the
publication of the decisions and the outbox of decision e-mails the coordinator reviews before sending."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from calls.models import (
    OUTCOME_TO_STATUS,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Decision,
    OutboxMessage,
    Outcome,
)
from calls.services._shared import database_now, lock_call, record_application, record_call
from common.errors import TransitionError
from common.notifications import email_after_commit
from funding import services as funding_services
from projects import services as project_services
from projects.models import Project

DECIDABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)


def _amount(raw) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", ".").replace(" ", "").replace("\xa0", "").replace("\u202f", ""))
    except InvalidOperation:
        raise TransitionError({"amount_awarded": [_("Enter an amount in euros.")]}) from None
    if not value.is_finite() or value < 0:
        raise TransitionError({"amount_awarded": [_("Enter an amount greater than or equal to 0.")]})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def application_decide(
    *, application: Application, by, outcome: str, amount_awarded=None, rationale: str = ""
) -> Decision:
    """Record (or change, while unpublished) the committee's decision on an application.

    Funded: the amount must be positive, at most the call's ceiling and what remains of the envelope.
    The call's row is locked first, so concurrent awards are counted one after the other and the
    envelope is never overspent. A funded decision creates the Project in the same transaction (its
    award); changing it to another outcome before publication removes that project. The applicant
    learns nothing until the decisions are published.
    """
    call = lock_call(application.call_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if outcome not in Outcome.values:
        raise TransitionError({"outcome": [_("Choose an outcome.")]})
    existing = Decision.objects.filter(application=locked).first()
    if existing is not None and existing.published_at is not None:
        raise TransitionError({"outcome": [_("This decision was published: it can no longer change.")]})
    if existing is None and locked.status not in DECIDABLE:
        raise TransitionError(
            {"outcome": [_("Only an eligible application or one under review can be decided.")]}
        )
    amount = _amount(amount_awarded if amount_awarded not in (None, "") else 0)
    if outcome == Outcome.FUNDED:
        if amount <= 0:
            raise TransitionError({"amount_awarded": [_("Enter the amount awarded.")]})
        if amount > call.max_amount:
            raise TransitionError(
                {
                    "amount_awarded": [
                        _("The amount is above the call's ceiling of %(ceiling)s €.")
                        % {"ceiling": call.max_amount}
                    ]
                }
            )
        others = Decision.objects.filter(application__call=call, outcome=Outcome.FUNDED).exclude(
            application=locked
        ).aggregate(total=Sum("amount_awarded"))["total"] or Decimal(0)
        remaining = call.envelope - others
        if amount > remaining:
            raise TransitionError(
                {
                    "amount_awarded": [
                        _("Only %(remaining)s € remain in the call's envelope of %(envelope)s €.")
                        % {"remaining": remaining, "envelope": call.envelope}
                    ]
                }
            )
    else:
        amount = Decimal(0)
    now = database_now()
    rationale = (rationale or "").strip()
    if existing is None:
        decision = Decision.objects.create(
            application=locked,
            outcome=outcome,
            amount_awarded=amount,
            rationale=rationale,
            decided_by=by,
            decided_at=now,
        )
    else:
        decision = existing
        decision.outcome, decision.amount_awarded, decision.rationale = outcome, amount, rationale
        decision.decided_by, decision.decided_at = by, now
        decision.save(
            update_fields=["outcome", "amount_awarded", "rationale", "decided_by", "decided_at", "updated_at"]
        )
    project = Project.objects.filter(application=locked).first()
    if outcome == Outcome.FUNDED:
        if project is None:
            project = project_services.project_create_from_award(
                canceropole=call.canceropole,
                call=call,
                application=locked,
                title=locked.title,
                lead=locked.applicant,
                lab=locked.lab,
                amount=amount,
            )
        else:
            project.amount_awarded = amount
            project.save(update_fields=["amount_awarded", "updated_at"])
        # The award draws on the call's envelopes recorded in funding (one per funder), in this transaction.
        funding_services.award_commitments_set(project=project, call=call, amount=amount, by=by)
    elif project is not None:
        funding_services.award_commitments_remove(project=project, by=by)
        project_services.project_cancel_award(project=project)
    return decision


def _message(application: Application, decision: Decision) -> tuple[str, str]:
    call = application.call
    subject = _("%(reference)s: decision on your application") % {"reference": call.reference}
    if decision.outcome == Outcome.FUNDED:
        text = _(
            "We are pleased to tell you that your application “%(title)s” is funded, for %(amount)s €."
        ) % {
            "title": application.title,
            "amount": decision.amount_awarded,
        }
    elif decision.outcome == Outcome.WAITING_LIST:
        text = _(
            "Your application “%(title)s” is on the waiting list: "
            "we will write again if funds become available."
        ) % {"title": application.title}
    else:
        text = _("We regret to tell you that your application “%(title)s” is not funded.") % {
            "title": application.title
        }
    body = text
    if decision.rationale:
        body += "\n\n" + _("The committee's comments: %(rationale)s") % {"rationale": decision.rationale}
    body += "\n\n" + _("The %(pole)s team") % {"pole": call.canceropole.short_name}
    return subject, body


@transaction.atomic
def decisions_publish(*, call: Call, by) -> int:
    """Publish the call's pending decisions: applications take their outcome's status, funded projects
    become public, one decision e-mail per application goes to the outbox for review, and the call is
    decided. Returns the number of decisions published. Sends nothing: see ``outbox_send``."""
    locked_call = lock_call(call)
    pending = list(
        Decision.objects.filter(application__call=locked_call, published_at__isnull=True)
        .select_related("application__applicant")
        .select_for_update(of=("self",))
    )
    if not pending:
        raise TransitionError({"decisions": [_("There is no pending decision to publish.")]})
    now = database_now()
    for decision in pending:
        application = Application.objects.select_for_update().get(pk=decision.application_id)
        from_status = application.status
        application.status = OUTCOME_TO_STATUS[Outcome(decision.outcome)]
        application.save(update_fields=["status", "updated_at"])
        record_application(application, from_status=from_status, by=by)
        decision.published_at = now
        decision.save(update_fields=["published_at", "updated_at"])
        application.call = locked_call
        subject, body = _message(application, decision)
        OutboxMessage.objects.update_or_create(
            application=application,
            defaults={
                "call": locked_call,
                "recipient": application.applicant.email,
                "subject": subject,
                "body": body,
                "status": OutboxMessage.Status.PENDING,
            },
        )
    project_services.projects_publish(
        project_ids=list(
            Project.objects.filter(application__in=[d.application_id for d in pending]).values_list(
                "pk", flat=True
            )
        ),
        at=now,
    )
    if locked_call.status != CallStatus.DECIDED:
        from_status = locked_call.status
        locked_call.status = CallStatus.DECIDED
        locked_call.decisions_published_at = now
        locked_call.save(update_fields=["status", "decisions_published_at", "updated_at"])
        record_call(locked_call, from_status=from_status, by=by)
    return len(pending)


@transaction.atomic
def outbox_message_update(*, message: OutboxMessage, by, subject: str, body: str) -> OutboxMessage:
    """The coordinator edits a decision e-mail before it is sent."""
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != OutboxMessage.Status.PENDING:
        raise TransitionError({"status": [_("This e-mail was sent: it can no longer change.")]})
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = [_("Enter a subject.")]
    if not (body or "").strip():
        errors["body"] = [_("Enter the text of the e-mail.")]
    if errors:
        raise TransitionError(errors)
    locked.subject, locked.body = subject.strip()[:250], body.strip()
    locked.save(update_fields=["subject", "body", "updated_at"])
    return locked


@transaction.atomic
def outbox_send(*, call: Call, by, message_ids: list[int] | None = None) -> int:
    """Send the call's reviewed decision e-mails (all pending ones, or those listed), one per applicant.

    Each is marked sent in this transaction and handed to the mailer after commit; a message already
    sent is never sent again. Returns how many were sent.
    """
    messages = OutboxMessage.objects.select_for_update().filter(
        call=call, status=OutboxMessage.Status.PENDING
    )
    if message_ids is not None:
        messages = messages.filter(pk__in=message_ids)
    messages = list(messages.order_by("id"))
    if not messages:
        raise TransitionError({"outbox": [_("There is no decision e-mail to send.")]})
    now = database_now()
    for message in messages:
        message.status = OutboxMessage.Status.SENT
        message.sent_at, message.sent_by = now, by
        message.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
        email_after_commit(subject=message.subject, body=message.body, recipients=[message.recipient])
    return len(messages)
