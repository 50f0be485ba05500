"""Reads of mobility sessions and grants, scoped to a viewer: a grant is its applicant's, its pole's
staff's and INCa's; nobody else sees it (awarded grants are published anonymously in the grants export)."""

from datetime import date

from django.db.models import Q, QuerySet

from funding.selectors import reader_scope
from projects.models import MobilityGrant, MobilitySession, MobilityTransition


def sessions_open(*, today: date) -> QuerySet[MobilitySession]:
    """Sessions taking applications today, every pole, soonest closing first."""
    return (
        MobilitySession.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("canceropole")
        .order_by("closes_on", "canceropole__code", "id")
    )


def sessions_of_pole(*, canceropole) -> QuerySet[MobilitySession]:
    return MobilitySession.objects.filter(canceropole=canceropole).order_by("-year", "number")


def grants_visible_to(*, viewer) -> QuerySet[MobilityGrant]:
    """The viewer's own grants; every grant of their poles for pole staff; all for INCa staff."""
    national, pole_ids = reader_scope(viewer)
    user = getattr(viewer, "user", viewer)
    grants = MobilityGrant.objects.select_related("session", "canceropole", "applicant", "home_lab")
    if national:
        return grants
    scope = Q(canceropole_id__in=pole_ids)
    if user is not None and user.is_authenticated and user.is_active:
        scope |= Q(applicant=user)
    return grants.filter(scope)


def grant_detail(*, viewer, pk: int) -> MobilityGrant:
    """One grant the viewer may see (DoesNotExist otherwise), with its transitions and who made them."""
    from django.db.models import Prefetch

    return (
        grants_visible_to(viewer=viewer)
        .prefetch_related(
            Prefetch(
                "transitions", queryset=MobilityTransition.objects.select_related("by").order_by("at", "id")
            )
        )
        .get(pk=pk)
    )
