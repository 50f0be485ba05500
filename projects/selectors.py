"""Reads of funded projects, scoped to a user."""

from django.db.models import Q, QuerySet

from projects.models import Project


def projects_visible_to(*, user) -> QuerySet[Project]:
    """Published projects for everyone; their poles' projects for pole staff; every project for INCa."""
    projects = Project.objects.select_related("canceropole", "call", "lab", "lead").order_by(
        "-created_at", "id"
    )
    if user.is_authenticated and user.is_active and user.is_inca_staff:
        return projects
    scope = Q(published_at__isnull=False)
    if user.is_authenticated and user.is_active:
        pole_ids = list(user.pole_roles())
        if pole_ids:
            scope |= Q(canceropole_id__in=pole_ids)
    return projects.filter(scope)
