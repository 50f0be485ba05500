"""Reads of the network, with their joins built in."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from canceropoles.models import Canceropole, Organisation, Region, RegionCoverage


def coverages_valid_on(day: date) -> QuerySet[RegionCoverage]:
    return RegionCoverage.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day
    ).select_related("region")


def canceropoles_with_regions(*, on: date | None = None) -> QuerySet[Canceropole]:
    """The poles, each with ``current_coverages`` (regions covered on the given day, today by default)."""
    day = on or timezone.localdate()
    return Canceropole.objects.prefetch_related(
        Prefetch(
            "coverages",
            queryset=coverages_valid_on(day).filter(region__kind__in=["metropolitan", "overseas"]),
            to_attr="current_coverages",
        )
    ).order_by("name")


def regions_with_canceropoles(*, on: date | None = None) -> QuerySet[Region]:
    day = on or timezone.localdate()
    return Region.objects.prefetch_related(
        Prefetch(
            "coverages",
            queryset=coverages_valid_on(day).select_related("canceropole"),
            to_attr="current_coverages",
        )
    ).order_by("insee_code")


def organisations_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("region", "parent").order_by("name")
