"""Reads of calls, applications, reviews and decisions, scoped to a user, with their joins built in.

Scopes (DESIGN §5): an object outside them is absent (404), never forbidden.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from calls.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    AssignmentStatus,
    Call,
    CallStatus,
    Decision,
    OutboxMessage,
    Outcome,
    Review,
    ReviewAssignment,
    Reviewer,
)


def _pole_ids(user) -> list[int]:
    return list(user.pole_roles()) if user.is_authenticated and user.is_active else []


def _is_inca(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_inca_staff)


def calls_public() -> QuerySet[Call]:
    """Published calls (every status but draft), soonest deadline first among the open ones."""
    return (
        Call.objects.exclude(status=CallStatus.DRAFT)
        .select_related("canceropole")
        .order_by("-deadline", "id")
    )


def calls_open(*, now=None) -> QuerySet[Call]:
    """Calls taking applications now: published, opened, deadline not passed."""
    now = now or timezone.now()
    return (
        calls_public()
        .filter(status__in=[CallStatus.PUBLISHED, CallStatus.OPEN], opens_at__lte=now)
        .filter(Q(deadline__gt=now) | Q(full_deadline__gt=now))
        .order_by("deadline", "id")
    )


def calls_visible_to(*, user) -> QuerySet[Call]:
    """Published calls for everyone; drafts too for their pole's staff and INCa staff."""
    calls = Call.objects.select_related("canceropole")
    if _is_inca(user):
        return calls
    return calls.filter(~Q(status=CallStatus.DRAFT) | Q(canceropole_id__in=_pole_ids(user)))


def calls_followed_by(*, user) -> QuerySet[Call]:
    """The calls whose management pages the user may open: their poles' calls, every call for INCa."""
    calls = Call.objects.select_related("canceropole").annotate(
        applications_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT))
    )
    if _is_inca(user):
        return calls.order_by("-deadline", "id")
    return calls.filter(canceropole_id__in=_pole_ids(user)).order_by("-deadline", "id")


def applications_visible_to(*, user) -> QuerySet[Application]:
    """The applicant's own (drafts included); submitted ones of their poles for pole staff, all for INCa;
    those assigned to a reviewer who declared no conflict. Nobody else's draft, ever."""
    applications = Application.objects.select_related("call__canceropole", "applicant", "lab")
    if not (user.is_authenticated and user.is_active):
        return applications.none()
    scope = Q(applicant=user)
    submitted = ~Q(status=ApplicationStatus.DRAFT)
    if _is_inca(user):
        scope |= submitted
    else:
        pole_ids = _pole_ids(user)
        if pole_ids:
            scope |= submitted & Q(call__canceropole_id__in=pole_ids)
        cleared = ReviewAssignment.objects.filter(
            reviewer=user, status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED]
        ).values("application_id")
        scope |= submitted & Q(pk__in=cleared)
    return applications.filter(scope).distinct()


def applications_of(*, user) -> QuerySet[Application]:
    """ "My applications": the user's own, with the call and the decision (if published) joined."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("call__canceropole", "lab", "decision")
        .order_by("-created_at", "id")
    )


def application_detail(*, pk: int, user) -> Application:
    """One application the user may see, with everything its page shows (404 otherwise)."""
    return (
        applications_visible_to(user=user)
        .select_related("decision")
        .prefetch_related("team__lab", "budget_lines", "attachments")
        .get(pk=pk)
    )


def applications_of_call(*, call: Call) -> QuerySet[Application]:
    """The submitted applications of a call, for its staff (drafts stay private to their applicants)."""
    return (
        call.applications.exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant", "lab__region", "decision")
        .annotate(
            reviewers_count=Count(
                "assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES)
            ),
            reviews_count=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)),
        )
        .order_by("id")
    )


def assignments_of(*, user) -> QuerySet[ReviewAssignment]:
    """The reviewer's own assignments (every status), with the call and the review joined."""
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .exclude(status=AssignmentStatus.WITHDRAWN)
        .select_related("application__call__canceropole", "review")
        .order_by("due_date", "id")
    )


def assignments_visible_to(*, user) -> QuerySet[ReviewAssignment]:
    """A reviewer's own; a pole's staff see those of their poles' calls; INCa every one."""
    assignments = ReviewAssignment.objects.select_related(
        "application__call__canceropole", "reviewer", "review"
    )
    if not (user.is_authenticated and user.is_active):
        return assignments.none()
    if _is_inca(user):
        return assignments
    return assignments.filter(Q(reviewer=user) | Q(application__call__canceropole_id__in=_pole_ids(user)))


def reviews_visible_to(*, user) -> QuerySet[Review]:
    """Reviews: the reviewer's own; the pole's staff (their poles' calls); INCa all."""
    reviews = Review.objects.select_related(
        "assignment__application__call", "assignment__reviewer"
    ).prefetch_related("scores__criterion")
    if not (user.is_authenticated and user.is_active):
        return reviews.none()
    if _is_inca(user):
        return reviews
    return reviews.filter(
        Q(assignment__reviewer=user) | Q(assignment__application__call__canceropole_id__in=_pole_ids(user))
    )


def reviewer_pool(*, canceropole_id: int) -> QuerySet[Reviewer]:
    return (
        Reviewer.objects.filter(canceropole_id=canceropole_id, is_active=True)
        .select_related("user__person__lab__region")
        .order_by("user__last_name", "user__first_name", "id")
    )


def reviewer_loads(*, call: Call) -> dict[int, int]:
    """{reviewer user id: active assignments on this call}, in one query."""
    rows = (
        ReviewAssignment.objects.filter(application__call=call, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .values("reviewer_id")
        .annotate(n=Count("id"))
    )
    return {row["reviewer_id"]: row["n"] for row in rows}


def assignments_of_call(*, call: Call) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(application__call=call)
        .select_related("reviewer", "application__call")
        .order_by("application_id", "id")
    )


def decisions_public() -> QuerySet[Decision]:
    """Published decisions (what the committee decided, once the coordinator published it)."""
    return (
        Decision.objects.filter(published_at__isnull=False)
        .select_related("application__call__canceropole", "application__lab")
        .order_by("-published_at", "id")
    )


def decisions_visible_to(*, user) -> QuerySet[Decision]:
    """Published decisions for everyone; pending ones of their poles for pole staff, all for INCa; an
    applicant's own decision only once published."""
    decisions = Decision.objects.select_related("application__call__canceropole", "application__lab")
    if _is_inca(user):
        return decisions.order_by("-decided_at", "id")
    scope = Q(published_at__isnull=False)
    pole_ids = _pole_ids(user)
    if pole_ids:
        scope |= Q(application__call__canceropole_id__in=pole_ids)
    return decisions.filter(scope).order_by("-decided_at", "id")


def outbox_of(*, call: Call) -> QuerySet[OutboxMessage]:
    return call.outbox.select_related("application__call").order_by("status", "id")


def awarded_total(*, call: Call) -> Decimal:
    total = Decision.objects.filter(application__call=call, outcome=Outcome.FUNDED).aggregate(
        total=Sum("amount_awarded")
    )["total"]
    return total or Decimal(0)


@dataclass
class RankingRow:
    application: Application
    reviewer_scores: list[Decimal] = field(default_factory=list)
    mean: Decimal | None = None
    spread: Decimal | None = None
    diverging: bool = False
    rank: int | None = None

    @property
    def decision(self):
        return getattr(self.application, "decision", None)


# Reviews diverge when their weighted scores are further apart than this share of the scale.
DIVERGENCE_SHARE = Decimal("0.3")


def ranking(*, call: Call) -> list[RankingRow]:
    """The call's applications under review or decided, ranked by the weighted mean of their submitted
    reviews (best first), with the spread between reviewers and a flag when reviews diverge.

    Two queries: the applications with their decisions, the submitted reviews of the call.
    """
    applications = list(
        call.applications.filter(
            status__in=[
                ApplicationStatus.ELIGIBLE,
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.SELECTED,
                ApplicationStatus.WAITING_LIST,
                ApplicationStatus.REJECTED,
            ]
        )
        .select_related("applicant", "lab", "decision")
        .order_by("id")
    )
    scores: dict[int, list[Decimal]] = {}
    for application_id, weighted in Review.objects.filter(
        assignment__application__call=call, submitted_at__isnull=False, weighted_score__isnull=False
    ).values_list("assignment__application_id", "weighted_score"):
        scores.setdefault(application_id, []).append(weighted)
    threshold = DIVERGENCE_SHARE * call.scale_max
    rows = []
    for application in applications:
        given = scores.get(application.pk, [])
        row = RankingRow(application=application, reviewer_scores=sorted(given, reverse=True))
        if given:
            row.mean = (sum(given) / len(given)).quantize(Decimal("0.01"))
            row.spread = (max(given) - min(given)).quantize(Decimal("0.01"))
            row.diverging = len(given) > 1 and row.spread > threshold
        rows.append(row)
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.application.pk))
    for position, row in enumerate((r for r in rows if r.mean is not None), start=1):
        row.rank = position
    return rows
