"""Who may see funded projects: everyone once published; the pole's staff and INCa staff before."""

import rules

from accounts.rules import is_coordinator_of, is_director_of, is_inca_staff


@rules.predicate
def is_published(user, project) -> bool:
    return project is not None and project.published_at is not None


rules.add_perm("projects.view_project", is_published | is_director_of | is_coordinator_of | is_inca_staff)
