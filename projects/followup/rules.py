"""Who may do what with the follow-up of funded projects (DESIGN §5).

- Follow a project (its reports, its team's details): its lead, the pole's staff, INCa staff.
- Enter a project directly (a national grant won later), edit it, schedule and accept its reports, manage
  its team: the pole's director and coordinators.
- Report outcomes (publications, patents, follow-on funding…): the project's lead and the pole's staff.
- Submit a progress or final report: the project's lead, or the pole's staff on the lead's behalf.

Object permissions take a project, or an outcome or report (through its ``project``). Which projects a
user sees at all (404 otherwise) is the selectors' job.
"""

import rules

from accounts.rules import is_coordinator_of, is_director_of, is_inca_staff

is_pole_staff = is_director_of | is_coordinator_of


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def is_project_lead(user, obj) -> bool:
    project = _project(obj)
    return bool(
        project is not None and user.is_authenticated and user.is_active and project.lead_id == user.pk
    )


rules.add_perm("projects.follow_project", is_project_lead | is_pole_staff | is_inca_staff)
rules.add_perm("projects.manage_project", is_pole_staff)
rules.add_perm("projects.report_outcome", is_project_lead | is_pole_staff)
rules.add_perm("projects.submit_report", is_project_lead | is_pole_staff)
# The list of a pole's projects and their follow-up: its staff, INCa read-only (obj: the pole).
rules.add_perm("projects.view_pole_projects", is_pole_staff | is_inca_staff)
