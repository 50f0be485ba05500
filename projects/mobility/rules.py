"""Who may do what with mobility grants (DESIGN §5, the mobility row of the researcher and pole columns).

- Apply: any signed-in account (the session's dates and ceiling are the service's checks).
- See a grant: its applicant, the pole's staff, INCa staff.
- Approve, refuse, pay: the pole's director and coordinators, never on their own application.
- Declare the stay done and hand in the report: the applicant, or the pole's staff on their behalf.
- Open the year's sessions and follow the pole's grants: the pole's staff; INCa follows, read-only.
"""

import rules

from accounts.rules import is_coordinator_of, is_director_of, is_inca_staff

is_pole_staff = is_director_of | is_coordinator_of


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_grant_applicant(user, grant) -> bool:
    return grant is not None and user.is_authenticated and grant.applicant_id == user.pk


rules.add_perm("projects.apply_mobility", is_signed_in)
rules.add_perm("projects.view_mobility_grant", is_grant_applicant | is_pole_staff | is_inca_staff)
rules.add_perm("projects.decide_mobility_grant", is_pole_staff & ~is_grant_applicant)
rules.add_perm("projects.report_mobility_stay", is_grant_applicant | is_pole_staff)
rules.add_perm("projects.manage_mobility", is_pole_staff)
rules.add_perm("projects.view_pole_mobility", is_pole_staff | is_inca_staff)
