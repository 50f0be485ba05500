"""Who may do what with calls, applications, reviews and decisions (DESIGN §5).

Object permissions take a Call, an Application, a ReviewAssignment or a Decision (each has a
``canceropole_id``). Visibility (what is absent: 404) is the selectors' job; these rules say what a user
who sees an object may do with it (403 otherwise). State checks (is the call still open, is the draft
still a draft) are the services': a permitted user acting in the wrong state gets a 400 naming why.
"""

import rules

from accounts.rules import is_coordinator_of, is_director_of, is_inca_staff
from calls.models import ApplicationStatus, AssignmentStatus, CallStatus

is_pole_staff = is_director_of | is_coordinator_of


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_public_call(user, call) -> bool:
    return call is not None and call.status != CallStatus.DRAFT


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.status == ApplicationStatus.DRAFT


@rules.predicate
def is_submitted_application(user, application) -> bool:
    return application is not None and application.status != ApplicationStatus.DRAFT


@rules.predicate
def is_cleared_reviewer_of(user, application) -> bool:
    """The user reviews this application and declared no conflict (not before, not after a conflict)."""
    if application is None or not user.is_authenticated or application.applicant_id == user.pk:
        return False
    return application.assignments.filter(
        reviewer=user, status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED]
    ).exists()


@rules.predicate
def is_assigned_reviewer(user, assignment) -> bool:
    return assignment is not None and user.is_authenticated and assignment.reviewer_id == user.pk


@rules.predicate
def has_cleared_assignment(user, assignment) -> bool:
    return assignment is not None and assignment.status in (
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.SUBMITTED,
    )


# A call: public once published; its pole's staff and INCa staff see drafts too.
rules.add_perm("calls.view_call", is_public_call | is_pole_staff | is_inca_staff)
# Create, edit, publish a call, screen, assign, rank, decide, send the decision e-mails: the pole's staff.
rules.add_perm("calls.manage_call", is_pole_staff)
# Follow a pole's calls (applications, reviews, ranking, exports): its staff, and INCa read-only.
rules.add_perm("calls.follow_call", is_pole_staff | is_inca_staff)
# Apply: any signed-in account (the deadline is checked by the service).
rules.add_perm("calls.apply", is_authenticated & is_public_call)
# See an application: the applicant; the pole's staff and INCa once submitted; a reviewer cleared of
# conflicts. Nobody but the applicant sees a draft.
rules.add_perm(
    "calls.view_application",
    is_applicant
    | (is_submitted_application & (is_pole_staff | is_inca_staff))
    | (is_submitted_application & is_cleared_reviewer_of),
)
# Edit, attach files to, submit or withdraw an application: its applicant.
rules.add_perm("calls.edit_application", is_applicant)
# Screen (eligible / ineligible), invite a letter to the full stage, assign reviewers, decide: pole staff.
rules.add_perm("calls.screen_application", is_pole_staff)
rules.add_perm("calls.decide_application", is_pole_staff)
# A review assignment: the reviewer declares conflicts; scores only once cleared.
rules.add_perm("calls.declare_conflict", is_assigned_reviewer)
rules.add_perm("calls.score_application", is_assigned_reviewer & has_cleared_assignment)
rules.add_perm("calls.view_assignment", is_assigned_reviewer | is_pole_staff | is_inca_staff)
