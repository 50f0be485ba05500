"""Who may review what: conflicts of interest, and a suggested balanced assignment (reads only).

A reviewer is in conflict with an application when they are its applicant or one of its team (by
account or e-mail), when they belong to the applicant's lab or organisation (the lab, its parent
institution, or a team member's lab), or, when the call requires outside experts, when they belong to
the applicant's pole (listed among the pole's people, or working in a lab of the pole's regions).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import ACTIVE_ASSIGNMENT_STATUSES, Application, ApplicationStatus, ReviewAssignment


def _organisations(lab) -> set[int]:
    """The lab and its parents (a lab of a university hospital shares that hospital)."""
    ids: set[int] = set()
    seen = 0
    while lab is not None and seen < 5:
        ids.add(lab.pk)
        lab = lab.parent
        seen += 1
    return ids


def conflict_reasons(*, application: Application, reviewer, call) -> list[str]:
    """Why ``reviewer`` (a user) may not review ``application``; empty when they may."""
    reasons: list[str] = []
    if reviewer.pk == application.applicant_id:
        return [_("A reviewer never reviews their own application.")]
    person = getattr(reviewer, "person", None)
    reviewer_lab = person.lab if person is not None else None
    team = list(application.team.select_related("lab__parent"))
    emails = {member.email.lower() for member in team if member.email}
    if reviewer.email.lower() in emails:
        reasons.append(_("%(name)s is a member of the applicant's team.") % {"name": reviewer})
    if reviewer_lab is not None:
        reviewer_orgs = _organisations(reviewer_lab)
        applicant_orgs = _organisations(application.lab) if application.lab_id else set()
        for member in team:
            if member.lab_id:
                applicant_orgs |= _organisations(member.lab)
        applicant_person = getattr(application.applicant, "person", None)
        if applicant_person is not None and applicant_person.lab_id:
            applicant_orgs |= _organisations(applicant_person.lab)
        if reviewer_orgs & applicant_orgs:
            reasons.append(_("%(name)s works in the applicant's lab or organisation.") % {"name": reviewer})
    if call.outside_experts_required and _belongs_to_pole(reviewer, call.canceropole_id):
        reasons.append(
            _("This call requires experts from outside the pole; %(name)s belongs to it.")
            % {"name": reviewer}
        )
    return reasons


def _belongs_to_pole(reviewer, canceropole_id: int) -> bool:
    from canceropoles.models import RegionCoverage

    if reviewer.pole_roles().get(canceropole_id):
        return True
    person = getattr(reviewer, "person", None)
    if person is None:
        return False
    if person.canceropoles.filter(pk=canceropole_id).exists():
        return True
    if person.lab is not None and person.lab.region_id:
        today = timezone.localdate()
        return RegionCoverage.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=today),
            canceropole_id=canceropole_id,
            region_id=person.lab.region_id,
            valid_from__lte=today,
        ).exists()
    return False


@dataclass
class Suggestion:
    application: Application
    reviewer: object
    shared_keywords: list[str]


def suggest_assignments(*, call, pool) -> tuple[list[Suggestion], list[Application]]:
    """A balanced assignment: each eligible or under-review application gets reviewers up to the call's
    number, never a conflicted one, never beyond a reviewer's load cap; among those allowed, the least
    loaded first, then the one sharing most keywords with the application. Returns the suggestions and
    the applications it could not staff fully (too few reviewers without conflict)."""
    applications = list(
        call.applications.filter(status__in=[ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW])
        .select_related("applicant__person__lab__parent", "lab__parent")
        .prefetch_related("team__lab__parent")
        .order_by("id")
    )
    existing = list(
        ReviewAssignment.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id", "status"
        )
    )
    load: dict[int, int] = {}
    taken: set[tuple[int, int]] = set()
    staffed: dict[int, int] = {}
    for application_id, reviewer_id, status in existing:
        taken.add((application_id, reviewer_id))
        if status in ACTIVE_ASSIGNMENT_STATUSES:
            load[reviewer_id] = load.get(reviewer_id, 0) + 1
            staffed[application_id] = staffed.get(application_id, 0) + 1
    reviewers = list(pool)
    suggestions: list[Suggestion] = []
    keywords = {a.pk: {w.lower() for w in a.keyword_list} for a in applications}
    conflicted: dict[tuple[int, int], bool] = {}

    def allowed(application, user) -> bool:
        key = (application.pk, user.pk)
        if key not in conflicted:
            conflicted[key] = bool(conflict_reasons(application=application, reviewer=user, call=call))
        return not conflicted[key]

    def open_for(application, user) -> bool:
        return (
            (application.pk, user.pk) not in taken
            and load.get(user.pk, 0) < call.reviewer_load_cap
            and allowed(application, user)
        )

    def short_of_reviewers(application) -> bool:
        return staffed.get(application.pk, 0) < call.reviewers_per_application

    # Rounds: every application still short gets one reviewer per round, so that scarce reviewers are
    # spread across applications instead of filling the first ones. Within a round the application with
    # the fewest possible reviewers picks first; it takes the least loaded reviewer, and among equals
    # the one the other short applications need least, then the one sharing most keywords.
    for _round in range(call.reviewers_per_application):
        pending = [a for a in applications if short_of_reviewers(a)]
        pending.sort(key=lambda a: (staffed.get(a.pk, 0), sum(open_for(a, e.user) for e in reviewers), a.pk))
        for application in pending:
            candidates = []
            for entry in reviewers:
                user = entry.user
                if not open_for(application, user):
                    continue
                demand = sum(
                    1
                    for other in pending
                    if other is not application and short_of_reviewers(other) and open_for(other, user)
                )
                shared = sorted(keywords[application.pk] & {w.lower() for w in entry.keyword_list})
                candidates.append((load.get(user.pk, 0), demand, -len(shared), user.pk, user, shared))
            if not candidates:
                continue
            *_rank, user, shared = min(candidates, key=lambda c: c[:4])
            suggestions.append(Suggestion(application=application, reviewer=user, shared_keywords=shared))
            load[user.pk] = load.get(user.pk, 0) + 1
            staffed[application.pk] = staffed.get(application.pk, 0) + 1
            taken.add((application.pk, user.pk))
    short = [a for a in applications if staffed.get(a.pk, 0) < call.reviewers_per_application]
    return suggestions, short
