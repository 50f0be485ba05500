"""Reads of the network, with their joins built in.

Every list takes the ``viewer`` (a user or a partner key, see accounts.viewers) like the selectors of the
other apps, so that no list can be added without deciding what each reader sees; the network itself is
public: every viewer sees the same rows.
"""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from canceropoles.models import Canceropole, Organisation, Region, RegionCoverage


def coverages_valid_on(day: date) -> QuerySet[RegionCoverage]:
    return RegionCoverage.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day
    ).select_related("region")


def canceropoles_with_regions(*, viewer, on: date | None = None) -> QuerySet[Canceropole]:
    """The poles, each with ``current_coverages`` (regions covered on the given day, today by default)."""
    day = on or timezone.localdate()
    return Canceropole.objects.prefetch_related(
        Prefetch(
            "coverages",
            queryset=coverages_valid_on(day).filter(region__kind__in=["metropolitan", "overseas"]),
            to_attr="current_coverages",
        )
    ).order_by("name")


def regions_with_canceropoles(*, viewer, on: date | None = None) -> QuerySet[Region]:
    day = on or timezone.localdate()
    return Region.objects.prefetch_related(
        Prefetch(
            "coverages",
            queryset=coverages_valid_on(day).select_related("canceropole"),
            to_attr="current_coverages",
        )
    ).order_by("insee_code")


def organisations_list(*, viewer) -> QuerySet[Organisation]:
    return Organisation.objects.select_related("region", "parent").order_by("name")
