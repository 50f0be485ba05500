"""Public pages of the network: the home page, a pole's page, and the language they are served in."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from canceropoles.models import RegionCoverage
from tests.factories import CanceropoleFactory, RegionFactory

pytestmark = pytest.mark.django_db

OFFICIAL_NAMES = [
    "Cancéropôle Est",
    "Cancéropôle Grand Ouest",
    "Cancéropôle Grand Sud-Ouest",
    "Cancéropôle Île-de-France",
    "Cancéropôle Lyon Auvergne-Rhône-Alpes",
    "Cancéropôle Nord-Ouest",
    "Canceropôle Provence-Alpes-Côte d'Azur",
]
COVERED_REGION_NAMES = [
    "Île-de-France",
    "Centre-Val de Loire",
    "Bourgogne-Franche-Comté",
    "Normandie",
    "Hauts-de-France",
    "Grand Est",
    "Pays de la Loire",
    "Bretagne",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Auvergne-Rhône-Alpes",
    "Provence-Alpes-Côte d'Azur",
]


def _text(response) -> str:
    return unescape(response.content.decode())


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_home_lists_the_seven_poles_by_official_name(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    text = _text(response)
    for name in OFFICIAL_NAMES:
        assert name in text
    assert sorted(pole.name for pole in response.context["canceropoles"]) == sorted(OFFICIAL_NAMES)


def test_home_lists_the_regions_each_pole_covers(client):
    response = client.get(reverse("home"))

    text = _text(response)
    for name in COVERED_REGION_NAMES:
        assert name in text
    assert "Nouvelle-Aquitaine, Occitanie" in text  # Grand Sud-Ouest's card
    assert "Corse" not in text  # no cancéropôle covers Corsica
    assert "Poitou-Charentes" not in text  # a former region, inside Nouvelle-Aquitaine today


def test_home_links_each_pole_to_its_page(client):
    response = client.get(reverse("home"))

    for code in ["CGO", "CLARA", "CNO", "EST", "GSO", "IDF", "PACA"]:
        assert f'href="{reverse("canceropoles:detail", args=[code])}"' in response.content.decode()


@pytest.mark.parametrize("extra", [0, 3])
def test_home_query_count_is_constant(client, extra, django_assert_num_queries):
    for code in ["05", "07", "08"][:extra]:  # INSEE codes no real region uses
        RegionCoverage.objects.create(
            region=RegionFactory(insee_code=code),
            canceropole=CanceropoleFactory(),
            valid_from=date(2023, 1, 1),
        )

    # the poles; their current coverages with the region joined
    with django_assert_num_queries(2):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert len(response.context["canceropoles"]) == 7 + extra


def test_pole_page_shows_name_seat_and_regions(client):
    response = client.get(reverse("canceropoles:detail", args=["GSO"]))

    assert response.status_code == 200
    text = _text(response)
    assert "<h1>Cancéropôle Grand Sud-Ouest</h1>" in text
    assert "Toulouse" in text
    assert "<td>Nouvelle-Aquitaine</td><td>75</td>" in text
    assert "<td>Occitanie</td><td>76</td>" in text
    assert "https://www.canceropole-gso.org" in text


def test_pole_page_accepts_a_lower_case_code(client):
    response = client.get(reverse("canceropoles:detail", args=["clara"]))

    assert response.status_code == 200
    assert response.context["canceropole"].code == "CLARA"


def test_pole_page_of_unknown_code_is_404(client):
    response = client.get(reverse("canceropoles:detail", args=["NOPE"]))

    assert response.status_code == 404


def test_pages_are_french_whatever_the_browser_asks(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert _html_lang(response) == "fr"
    assert response["Content-Language"] == "fr"


def test_pages_are_english_once_the_visitor_chose_english(client):
    switched = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    response = client.get(reverse("home"))

    assert switched.status_code == 302
    assert switched["Location"] == reverse("home")
    assert _html_lang(response) == "en"
    assert "The 7 cancéropôles" in _text(response)


def test_pages_go_back_to_french_when_the_visitor_chooses_it(client):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "fr"})

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert _html_lang(response) == "fr"


def test_unsupported_language_choice_keeps_french(client):
    client.post(reverse("set_language"), {"language": "de"})

    response = client.get(reverse("home"))

    assert _html_lang(response) == "fr"
