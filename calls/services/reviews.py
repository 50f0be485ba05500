"""Reviews: the reviewer pool, assignments (manual or suggested), conflict declarations, review forms."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.assignment import conflict_reasons
from calls.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    Recommendation,
    Review,
    ReviewAssignment,
    Reviewer,
    Score,
)
from calls.services._shared import lock_call, pole_staff_emails, record_application, record_call
from common.errors import TransitionError
from common.notifications import email_after_commit


@transaction.atomic
def reviewer_add(*, canceropole, user, expertise: str = "", by=None) -> Reviewer:
    """Add a user to a pole's reviewer pool (or update their expertise keywords)."""
    reviewer, _created = Reviewer.objects.update_or_create(
        canceropole=canceropole,
        user=user,
        defaults={"expertise": (expertise or "").strip()[:300], "is_active": True},
    )
    return reviewer


@transaction.atomic
def assignment_create(
    *, application: Application, reviewer, by, due_date: date | None = None, notify: bool = True
) -> ReviewAssignment:
    """Assign an eligible application to a reviewer of the pole's pool.

    Refuses (TransitionError on ``reviewer``) a conflicted reviewer (the applicant, a team member, same
    lab or organisation, same pole when the call requires outside experts), one already assigned or at
    the call's load cap. The first assignment puts the application under review and a closed call in
    review. After commit, e-mails the reviewer (who must declare conflicts before seeing the file).
    """
    call = lock_call(application.call_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW):
        raise TransitionError({"application": [_("Only an eligible application can be sent to reviewers.")]})
    if not Reviewer.objects.filter(
        canceropole_id=call.canceropole_id, user=reviewer, is_active=True
    ).exists():
        raise TransitionError({"reviewer": [_("This person is not in the pole's reviewer pool.")]})
    reasons = conflict_reasons(application=locked, reviewer=reviewer, call=call)
    if reasons:
        raise TransitionError({"reviewer": reasons})
    load = ReviewAssignment.objects.filter(
        application__call=call, reviewer=reviewer, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).count()
    if load >= call.reviewer_load_cap:
        raise TransitionError(
            {
                "reviewer": [
                    _("%(name)s already reviews %(n)s applications of this call (the cap).")
                    % {"name": reviewer, "n": load}
                ]
            }
        )
    try:
        with transaction.atomic():
            assignment = ReviewAssignment.objects.create(
                application=locked, reviewer=reviewer, assigned_by=by, due_date=due_date
            )
    except IntegrityError:
        raise TransitionError(
            {"reviewer": [_("This reviewer is already assigned to this application.")]}
        ) from None
    if locked.status == ApplicationStatus.ELIGIBLE:
        locked.status = ApplicationStatus.UNDER_REVIEW
        locked.save(update_fields=["status", "updated_at"])
        record_application(locked, from_status=ApplicationStatus.ELIGIBLE, by=by)
    if call.status == CallStatus.CLOSED:
        call.status = CallStatus.IN_REVIEW
        call.save(update_fields=["status", "updated_at"])
        record_call(call, from_status=CallStatus.CLOSED, by=by)
    if notify:
        _tell_reviewer(call=call, reviewer=reviewer, count=1)
    return assignment


def _tell_reviewer(*, call, reviewer, count: int) -> None:
    email_after_commit(
        subject=_("%(reference)s: applications to review") % {"reference": call.reference},
        body=ngettext(
            "You were asked to review %(n)s application to %(call)s. Declare any conflict of interest in "
            "your reviewer space before reading it.",
            "You were asked to review %(n)s applications to %(call)s. Declare any conflict of interest in "
            "your reviewer space before reading them.",
            count,
        )
        % {"n": count, "call": call.title},
        recipients=[reviewer.email],
    )


@transaction.atomic
def assignments_apply(
    *, pairs: list[tuple[Application, object]], by, due_date: date | None = None
) -> list[ReviewAssignment]:
    """Create the suggested assignments (application, reviewer user) in one transaction: all or none.

    After commit, one e-mail per reviewer for the whole set (not one per application).
    """
    created = [
        assignment_create(application=a, reviewer=r, by=by, due_date=due_date, notify=False) for a, r in pairs
    ]
    per_reviewer: dict[int, list[ReviewAssignment]] = {}
    for assignment in created:
        per_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
    for assignments in per_reviewer.values():
        first = assignments[0]
        _tell_reviewer(call=first.application.call, reviewer=first.reviewer, count=len(assignments))
    return created


@transaction.atomic
def assignment_declare(
    *, assignment: ReviewAssignment, by, conflict: bool, comment: str = ""
) -> ReviewAssignment:
    """The reviewer declares no conflict (access to the application) or a conflict (no access; the pole's
    staff are e-mailed after commit to reassign). Only once, from ``assigned``."""
    locked = (
        ReviewAssignment.objects.select_for_update().select_related("application__call").get(pk=assignment.pk)
    )
    if locked.status != AssignmentStatus.ASSIGNED:
        raise TransitionError(
            {"conflict": [_("You already declared your conflicts of interest for this application.")]}
        )
    comment = (comment or "").strip()
    locked.status = AssignmentStatus.CONFLICT if conflict else AssignmentStatus.ACCEPTED
    locked.coi_declared_at = timezone.now()
    locked.coi_comment = comment
    locked.save(update_fields=["status", "coi_declared_at", "coi_comment", "updated_at"])
    if conflict:
        call = locked.application.call
        recipients = pole_staff_emails(call.canceropole_id)
        if recipients:
            email_after_commit(
                subject=_("%(reference)s: a reviewer declared a conflict") % {"reference": call.reference},
                body=_(
                    "%(reviewer)s declared a conflict of interest on application %(code)s: "
                    "assign another reviewer."
                )
                % {"reviewer": by, "code": locked.application.code},
                recipients=recipients,
            )
    return locked


@transaction.atomic
def assignment_withdraw(*, assignment: ReviewAssignment, by) -> ReviewAssignment:
    """The pole's staff withdraw an assignment whose review was not submitted."""
    locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status in (AssignmentStatus.SUBMITTED, AssignmentStatus.WITHDRAWN):
        raise TransitionError({"status": [_("This assignment can no longer be withdrawn.")]})
    locked.status = AssignmentStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _score(raw, *, field: str, top: int) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise TransitionError({field: [_("Enter a number.")]}) from None
    if not value.is_finite() or value < 0 or value > top:
        raise TransitionError({field: [_("Enter a score between 0 and %(top)s.") % {"top": top}]})
    return value


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    by,
    scores: dict[int, object],
    comment: str = "",
    recommendation: str = "",
    submit: bool = False,
) -> Review:
    """Save (and optionally submit) the reviewer's scores per criterion, comment and recommendation.

    Only after declaring no conflict, and until submitted. Submitting needs every criterion scored and a
    recommendation; the weighted score (Σ weight × score / Σ weight) is stored for the ranking.
    Errors name the field: ``score_<criterion id>``, ``recommendation``.
    """
    locked = (
        ReviewAssignment.objects.select_for_update().select_related("application__call").get(pk=assignment.pk)
    )
    if locked.status == AssignmentStatus.SUBMITTED:
        raise TransitionError({"status": [_("This review was submitted: it can no longer be changed.")]})
    if locked.status != AssignmentStatus.ACCEPTED:
        raise TransitionError(
            {"status": [_("Declare that you have no conflict of interest before reviewing.")]}
        )
    call = locked.application.call
    criteria = list(call.criteria.all())
    values: dict[int, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        field = f"score_{criterion.pk}"
        try:
            values[criterion.pk] = _score(
                scores.get(criterion.pk, scores.get(str(criterion.pk))), field=field, top=call.scale_max
            )
        except TransitionError as error:
            errors.update(error.message_dict)
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if submit:
        for criterion in criteria:
            if values.get(criterion.pk) is None:
                errors.setdefault(f"score_{criterion.pk}", [_("Score this criterion before submitting.")])
        if not recommendation:
            errors["recommendation"] = [_("Choose a recommendation before submitting.")]
    if errors:
        raise TransitionError(errors)
    review, _created = Review.objects.get_or_create(assignment=locked)
    review.comment = (comment or "").strip()
    review.recommendation = recommendation or ""
    for criterion in criteria:
        value = values[criterion.pk]
        if value is None:
            Score.objects.filter(review=review, criterion=criterion).delete()
        else:
            Score.objects.update_or_create(review=review, criterion=criterion, defaults={"value": value})
    scored = [(c.weight, values[c.pk]) for c in criteria if values[c.pk] is not None]
    total_weight = sum((w for w, _v in scored), Decimal(0))
    review.weighted_score = (
        (sum((w * v for w, v in scored), Decimal(0)) / total_weight).quantize(Decimal("0.001"))
        if scored and total_weight
        else None
    )
    if submit:
        review.submitted_at = timezone.now()
        locked.status = AssignmentStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
    review.save()
    return review
