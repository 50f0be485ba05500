"""Applications: drafts, attachments, submission before the deadline, screening, withdrawal."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from calls import attachments as files
from calls.eligibility import eligibility_checks, failing
from calls.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Attachment,
    BudgetCategory,
    BudgetLine,
    Call,
    CallStatus,
    Decision,
    Stage,
    TeamMember,
)
from calls.services._shared import database_now, lock_call, record_application
from common.errors import TransitionError
from common.notifications import email_after_commit
from common.workflow import transition

DRAFT_FIELDS = ("title", "acronym", "lab", "requested_amount", "duration_months", "abstract", "keywords")


def _refuse_if_closed(call: Call, stage: str, now) -> None:
    deadline = call.deadline_for(stage)
    if call.status not in (CallStatus.PUBLISHED, CallStatus.OPEN) and not (
        call.has_letter_of_intent and stage == Stage.FULL and call.status == CallStatus.CLOSED
    ):
        raise TransitionError({"call": [_("This call does not take applications.")]})
    if now < call.opens_at:
        raise TransitionError(
            {
                "call": [
                    _("This call opens on %(date)s.")
                    % {"date": formats.date_format(timezone.localtime(call.opens_at), "DATETIME_FORMAT")}
                ]
            }
        )
    if deadline is None or now >= deadline:
        raise TransitionError(
            {
                "call": [
                    _("The deadline (%(date)s) has passed: applications are no longer accepted.")
                    % {
                        "date": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")
                        if deadline
                        else "—"
                    }
                ]
            }
        )


def _lock_draft(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.DRAFT:
        raise TransitionError(
            {
                "status": [
                    _("This application is %(status)s: it can no longer be changed.")
                    % {"status": locked.get_status_display().lower()}
                ]
            }
        )
    return locked


@transaction.atomic
def application_create(*, call: Call, applicant, title: str) -> Application:
    """A researcher starts a draft on a call that is open (by the clock) for their stage.

    Refuses (TransitionError on ``call``) a call not taking applications, and a title left empty.
    """
    title = (title or "").strip()
    if not title:
        raise TransitionError({"title": [_("Give the project a title.")]})
    stage = Stage.LETTER if call.has_letter_of_intent else Stage.FULL
    _refuse_if_closed(call, stage, database_now())
    application = Application.objects.create(call=call, applicant=applicant, title=title[:300], stage=stage)
    record_application(application, from_status="", by=applicant)
    return application


def _amount(field: str, raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", ".").replace(" ", "").replace("\u202f", "").replace("\xa0", ""))
    except InvalidOperation:
        raise TransitionError({field: [_("Enter an amount in euros.")]}) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise TransitionError({field: [_("Enter an amount between 0 and 9,999,999,999 euros.")]})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def application_update(
    *,
    application: Application,
    by,
    team: list[dict] | None = None,
    budget_lines: list[dict] | None = None,
    **fields,
) -> Application:
    """Save a draft: its fields, and (when given) its whole team and budget, which replace the previous ones.

    Only a draft changes. Raises TransitionError naming the field for a bad amount or duration. The
    eligibility checks are not applied here: a draft may be incomplete; they are shown beside the form.
    """
    locked = _lock_draft(application)
    updated = []
    for name in DRAFT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "requested_amount":
            value = _amount(name, value)
        elif name == "duration_months":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise TransitionError({name: [_("Enter a whole number of months.")]}) from None
                if not 1 <= value <= 120:
                    raise TransitionError({name: [_("Enter a duration between 1 and 120 months.")]})
        elif name == "title":
            value = (value or "").strip()
            if not value:
                raise TransitionError({"title": [_("Give the project a title.")]})
        elif name != "lab":
            value = (value or "").strip()
        setattr(locked, name, value)
        updated.append(name)
    if updated:
        locked.save(update_fields=[*updated, "updated_at"])
    if team is not None:
        locked.team.all().delete()
        for member in team:
            if not (member.get("first_name") or "").strip() and not (member.get("last_name") or "").strip():
                continue
            TeamMember.objects.create(
                application=locked,
                first_name=member.get("first_name", "").strip(),
                last_name=member.get("last_name", "").strip(),
                email=(member.get("email") or "").strip().lower(),
                role=member.get("role") or TeamMember.Role.MEMBER,
                lab=member.get("lab"),
            )
    if budget_lines is not None:
        locked.budget_lines.all().delete()
        for line in budget_lines:
            amount = _amount("budget", line.get("amount"))
            if amount is None:
                continue
            if line.get("category") not in BudgetCategory.values:
                raise TransitionError({"budget": [_("Choose a category for each budget line.")]})
            BudgetLine.objects.create(
                application=locked,
                category=line["category"],
                description=(line.get("description") or "")[:250],
                amount=amount,
            )
    return locked


@transaction.atomic
def attachment_add(
    *, application: Application, by, upload, kind: str = Attachment.Kind.PROPOSAL
) -> Attachment:
    """Attach a PDF to a draft. The file is checked by content (signature and a parse) and size before
    anything is written; a refused file leaves nothing behind, on disk or in the database.

    Raises ValidationError on ``file`` (empty, too large, not a PDF, unreadable PDF) or TransitionError
    when the application is no longer a draft.
    """
    locked = _lock_draft(application)
    if kind not in Attachment.Kind.values:
        raise TransitionError({"kind": [_("Choose what this file is.")]})
    data = files.read_checked_pdf(upload)
    path, digest = files.store(application_id=locked.pk, data=data)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                application=locked,
                kind=kind,
                original_name=(getattr(upload, "name", "") or "document.pdf").rsplit("/", 1)[-1][:200],
                path=path,
                size=len(data),
                sha256=digest,
                uploaded_by=by,
            )
    except Exception:
        files.delete_quietly(path)
        raise
    # Should an enclosing transaction roll back later, the row goes and the file stays: an orphan that
    # no row points to and no URL serves.
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    """Remove a file from a draft (the row now, the file after commit)."""
    _lock_draft(attachment.application)
    path = attachment.path
    attachment.delete()
    transaction.on_commit(lambda: files.delete_quietly(path))


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """Submit a draft before the deadline of its stage, if every eligibility check passes.

    The call's row is locked first, then the database clock is read: a submission that reaches the lock
    after the deadline is refused even when it started before, and the deadline cannot move meanwhile.
    Stores the checks as the eligibility report and ``submitted_at`` (that clock). Raises TransitionError
    on ``call`` (closed), on ``status`` (not a draft) or on each failing field. After commit, e-mails the
    applicant a confirmation.
    """
    call = lock_call(application.call_id)
    locked = _lock_draft(application)
    now = database_now()
    _refuse_if_closed(call, locked.stage, now)
    locked.call = call
    checks = eligibility_checks(locked, on=timezone.localtime(now).date())
    errors = failing(checks)
    if errors:
        raise TransitionError(errors)
    locked.status = ApplicationStatus.SUBMITTED
    locked.submitted_at = now
    locked.eligibility_report = [check.as_dict() for check in checks]
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "submitted_at", "eligibility_report", "updated_at"])
    except IntegrityError:
        raise TransitionError(
            {
                "applicant": [
                    _("You already have an application in progress for this call: withdraw it first.")
                ]
            }
        ) from None
    record_application(locked, from_status=ApplicationStatus.DRAFT, by=by)
    email_after_commit(
        subject=_("%(reference)s: application received") % {"reference": call.reference},
        body=_("Your application “%(title)s” to %(call)s was submitted on %(date)s.")
        % {
            "title": locked.title,
            "call": call.title,
            "date": formats.date_format(timezone.localtime(now), "DATETIME_FORMAT"),
        },
        recipients=[locked.applicant.email],
    )
    return locked


WITHDRAWABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW,
)


def _not_decided(application: Application) -> None:
    if Decision.objects.filter(application=application).exists():
        raise TransitionError(
            {"status": [_("The committee has decided on this application: it cannot be withdrawn.")]}
        )


@transaction.atomic
def application_withdraw(*, application: Application, by, comment: str = "") -> Application:
    """The applicant withdraws their application before the committee decides on it (workflow helper:
    row lock, allowed statuses, recorded step)."""
    return transition(
        obj=application,
        to=ApplicationStatus.WITHDRAWN,
        allowed_from=WITHDRAWABLE,
        by=by,
        record_model=ApplicationTransition,
        comment=comment,
        message=_("This application is “%(status)s”: it can no longer be withdrawn."),
        check=_not_decided,
    )


@transaction.atomic
def application_screen(*, application: Application, by, eligible: bool, comment: str = "") -> Application:
    """The pole's staff screens a submitted application: eligible, or ineligible with the reason."""
    comment = (comment or "").strip()
    if not eligible and not comment:
        raise TransitionError({"comment": [_("Say why the application is ineligible.")]})
    locked = transition(
        obj=application,
        to=ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE,
        allowed_from=(ApplicationStatus.SUBMITTED,),
        by=by,
        record_model=ApplicationTransition,
        comment=comment,
        message=_("Only a submitted application can be screened."),
    )
    if not eligible:
        email_after_commit(
            subject=_("%(reference)s: application not eligible") % {"reference": locked.call.reference},
            body=_("Your application “%(title)s” is not eligible: %(reason)s")
            % {"title": locked.title, "reason": comment},
            recipients=[locked.applicant.email],
        )
    return locked


@transaction.atomic
def application_invite_full(*, application: Application, by, comment: str = "") -> Application:
    """Invite a selected letter of intent to the full stage: it becomes a draft full application."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage != Stage.LETTER or locked.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ELIGIBLE,
    ):
        raise TransitionError(
            {"status": [_("Only a submitted letter of intent can be invited to the full stage.")]}
        )
    from_status = locked.status
    locked.stage = Stage.FULL
    locked.status = ApplicationStatus.DRAFT
    locked.save(update_fields=["stage", "status", "updated_at"])
    record_application(locked, from_status=from_status, by=by, comment=comment or "invited to the full stage")
    email_after_commit(
        subject=_("%(reference)s: invited to the full stage") % {"reference": locked.call.reference},
        body=_("Your letter of intent “%(title)s” was selected: complete and submit the full application.")
        % {"title": locked.title},
        recipients=[locked.applicant.email],
    )
    return locked
