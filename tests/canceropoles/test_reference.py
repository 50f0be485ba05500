from datetime import date

import pytest

from canceropoles.models import Canceropole, Region, RegionCoverage
from canceropoles.reference import load_network_reference
from canceropoles.selectors import coverages_valid_on

pytestmark = pytest.mark.django_db

OFFICIAL_NAMES = {
    "Cancéropôle Est",
    "Cancéropôle Grand Ouest",
    "Cancéropôle Grand Sud-Ouest",
    "Cancéropôle Île-de-France",
    "Cancéropôle Lyon Auvergne-Rhône-Alpes",
    "Cancéropôle Nord-Ouest",
    "Canceropôle Provence-Alpes-Côte d'Azur",
}


def test_reference_data_has_exactly_the_seven_poles_by_official_name():
    assert set(Canceropole.objects.values_list("name", flat=True)) == OFFICIAL_NAMES
    assert Canceropole.objects.count() == 7


@pytest.mark.parametrize("day", [date(2015, 6, 1), date(2017, 8, 21), date(2017, 8, 22), date(2026, 11, 29)])
def test_every_covered_region_is_mapped_once_on_a_given_day(day):
    region_codes = list(coverages_valid_on(day).values_list("region__insee_code", flat=True))

    assert len(region_codes) == len(set(region_codes))


def test_all_thirteen_metropolitan_regions_but_corsica_are_covered_today():
    today = date(2026, 11, 29)
    covered = set(
        coverages_valid_on(today)
        .filter(region__kind="metropolitan")
        .values_list("region__insee_code", flat=True)
    )

    assert covered == {"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93"}


def test_poitou_charentes_moved_from_grand_ouest_to_grand_sud_ouest_in_2017():
    poitou = Region.objects.get(insee_code="54")

    before = coverages_valid_on(date(2016, 6, 1)).get(region=poitou)
    after = coverages_valid_on(date(2018, 1, 1)).get(region=poitou)

    assert before.canceropole.code == "CGO"
    assert after.canceropole.code == "GSO"


def test_reference_load_is_idempotent():
    counts = (Canceropole.objects.count(), Region.objects.count(), RegionCoverage.objects.count())

    load_network_reference()
    load_network_reference()

    assert (Canceropole.objects.count(), Region.objects.count(), RegionCoverage.objects.count()) == counts
