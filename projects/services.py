"""Writes on funded projects. Called by calls.services when a decision funds an application."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from projects.models import Project


@transaction.atomic
def project_create_from_award(
    *,
    canceropole,
    call,
    application,
    title: str,
    lead,
    lab,
    amount: Decimal,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Project:
    """Create the project of a funded application, unpublished until its decision is published.

    The caller (calls.services.application_decide) holds the row lock on the call and has checked the
    envelope. Side effects: none beyond the row and its history.
    """
    return Project.objects.create(
        canceropole=canceropole,
        call=call,
        application=application,
        title=title,
        lead=lead,
        lab=lab,
        amount_awarded=amount,
        start_date=start_date,
        end_date=end_date,
    )


@transaction.atomic
def project_cancel_award(*, project: Project) -> None:
    """Remove an unpublished award (the decision was changed before publication)."""
    Project.objects.filter(pk=project.pk, published_at__isnull=True).delete()


@transaction.atomic
def projects_publish(*, project_ids: list[int], at) -> int:
    """Make the given projects public (their decisions were published). Returns how many changed."""
    return Project.objects.filter(pk__in=project_ids, published_at__isnull=True).update(published_at=at)
