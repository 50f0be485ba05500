"""Reads of the follow-up of funded projects, scoped to a viewer, with their joins built in.

- Projects: published ones for everyone; every project of their poles for the pole's staff; every
  project for INCa staff (``projects.selectors.projects_visible_to``). Their outcomes follow them: what a
  published project produced is public.
- Reports: the project's lead (once the project is published), the pole's staff, INCa staff.
"""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from funding.selectors import reader_scope
from projects.models import Outcome, OutcomeKind, ProgressReport, Project, ProjectMember, ReportStatus
from projects.selectors import projects_visible_to


def _user(viewer):
    return getattr(viewer, "user", viewer)


def projects_listed(*, viewer) -> QuerySet[Project]:
    """The projects the viewer may see, with their pole, call, lab and lead joined and the counts the
    lists show (outcomes, publications, reports due) annotated."""
    return projects_visible_to(user=_user(viewer)).annotate(
        outcomes_count=Count("outcomes", distinct=True),
        publications_count=Count("outcomes", filter=Q(outcomes__kind=OutcomeKind.PUBLICATION), distinct=True),
        reports_due=Count("reports", filter=Q(reports__status=ReportStatus.DUE), distinct=True),
    )


def projects_of_pole(*, viewer, canceropole) -> QuerySet[Project]:
    return projects_listed(viewer=viewer).filter(canceropole=canceropole)


def projects_led_by(*, user) -> QuerySet[Project]:
    """A researcher's own projects, once their funding decision is published (or entered directly)."""
    if not (user.is_authenticated and user.is_active):
        return Project.objects.none()
    return projects_listed(viewer=user).filter(lead=user, published_at__isnull=False)


def project_detail(*, viewer, pk: int) -> Project:
    """One project the viewer may see (DoesNotExist otherwise), its team, outcomes and reports prefetched."""
    return (
        projects_visible_to(user=_user(viewer))
        .prefetch_related(
            Prefetch("team", queryset=ProjectMember.objects.select_related("lab")),
            Prefetch("outcomes", queryset=Outcome.objects.order_by("-year", "kind", "id")),
            Prefetch("reports", queryset=ProgressReport.objects.order_by("due_on", "id")),
        )
        .get(pk=pk)
    )


def outcomes_visible_to(*, viewer) -> QuerySet[Outcome]:
    """Outcomes of the projects the viewer may see."""
    projects = projects_visible_to(user=_user(viewer)).values("pk")
    return (
        Outcome.objects.filter(project__in=projects)
        .select_related("project__canceropole")
        .order_by("-year", "project_id", "id")
    )


def reports_visible_to(*, viewer) -> QuerySet[ProgressReport]:
    """Reports of the viewer's poles (every pole for INCa) and of the viewer's own published projects."""
    national, pole_ids = reader_scope(viewer)
    user = _user(viewer)
    reports = ProgressReport.objects.select_related("project__canceropole", "project__lead")
    if national:
        return reports
    scope = Q(project__canceropole_id__in=pole_ids)
    if user is not None and user.is_authenticated and user.is_active:
        scope |= Q(project__lead=user, project__published_at__isnull=False)
    return reports.filter(scope)


def overdue_reports(*, today: date) -> QuerySet[ProgressReport]:
    """Reports still due after their date, with their project, pole and lead."""
    return (
        ProgressReport.objects.filter(status=ReportStatus.DUE, due_on__lt=today)
        .select_related("project__canceropole", "project__lead")
        .order_by("project__canceropole__code", "due_on", "id")
    )
