"""Each pole's page links to that pole's published figures, and to its COP for those who may see it
(issue #6, §6.4)."""

import re

import pytest
from django.urls import reverse

from tests.cop_contracts.factories import CopContractFactory

pytestmark = pytest.mark.django_db


def links(response) -> dict[str, str]:
    section = (
        response.content.decode().split('aria-labelledby="pole-links-heading"', 1)[1].split("</section>")[0]
    )
    return {label: url for url, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)}


def test_pole_page_links_to_the_poles_published_figures_for_everyone(client):
    response = client.get(reverse("canceropoles:detail", args=["GSO"]))

    assert response.status_code == 200
    assert links(response) == {"Chiffres COP publiés du pôle": "/cop/GSO/figures/"}


def test_pole_figures_open_the_dashboard_with_the_pole_highlighted(client):
    response = client.get("/cop/GSO/figures/", follow=True)

    assert response.redirect_chain == [("/cop/dashboard/?pole=GSO", 302)]
    assert response.status_code == 200
    assert response.context["highlighted"].code == "GSO"


def test_figures_of_an_unknown_pole_are_absent(client):
    response = client.get("/cop/NOPE/figures/")

    assert response.status_code == 404


def test_pole_page_links_its_staff_to_the_poles_cop(client, coordinator_a):
    CopContractFactory(canceropole=coordinator_a.pole)
    client.force_login(coordinator_a)

    response = client.get(reverse("canceropoles:detail", args=["GSO"]))

    assert links(response) == {
        "Chiffres COP publiés du pôle": "/cop/GSO/figures/",
        "Grille de saisie du COP": "/cop/GSO/",
        "Valeurs du COP en attente de la direction": "/cop/GSO/approval/",
        "Appels à projets du cancéropôle": "/calls/pole/GSO/",
        "Événements du pôle": "/events/manage/GSO/",
        "Budget": "/funding/GSO/",
        "Projets financés": "/projects/pole/GSO/",
        "Bourses de mobilité": "/mobility/pole/GSO/",
    }


def test_pole_page_of_another_pole_shows_its_staff_only_the_published_figures(client, coordinator_b):
    client.force_login(coordinator_b)

    response = client.get(reverse("canceropoles:detail", args=["GSO"]))

    assert links(response) == {"Chiffres COP publiés du pôle": "/cop/GSO/figures/"}


def test_pole_page_links_inca_staff_to_every_poles_cop(client, inca_staff):
    client.force_login(inca_staff)

    response = client.get(reverse("canceropoles:detail", args=["CLARA"]))

    assert links(response)["Grille de saisie du COP"] == "/cop/CLARA/"
