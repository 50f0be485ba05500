"""French wording people saw on the portal (issue #6, §6.3): grammar, elision, one name per thing."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from cop_contracts.models import IndicatorDefinition, ValueStatus
from tests.cop_contracts.factories import IndicatorValueFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_login_error_in_french_says_une_adresse_and_no_case_sensitivity(client, researcher):
    response = client.post(reverse("accounts:login"), {"username": researcher.email, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Saisissez une adresse e-mail et un mot de passe valides. Le mot de passe distingue les "
        "majuscules des minuscules\u00a0; l'adresse, non."
    ]
    assert "un adresse" not in text_of(response)


def test_login_error_in_english_does_not_claim_the_address_is_case_sensitive(client, researcher):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("accounts:login"), {"username": researcher.email, "password": "wrong"})

    assert response.context["form"].non_field_errors() == [
        "Enter a correct e-mail address and password. The password is case-sensitive; the address is not."
    ]


@pytest.mark.parametrize("url_name", ["accounts:login", "accounts:password_reset"])
def test_email_field_is_called_adresse_e_mail_never_courriel(client, url_name):
    response = client.get(reverse(url_name))

    text = text_of(response)
    assert "Adresse e-mail" in text
    assert "Courriel" not in text


def test_grid_shows_an_accepted_value_as_accepted_and_locked_with_punctuation(client, coordinator_a):
    value = IndicatorValueFactory(
        contract__canceropole=coordinator_a.pole, status=ValueStatus.ACCEPTED, value=3, year=2024
    )
    client.force_login(coordinator_a)

    response = client.get(
        reverse("cop_contracts:grid", args=[coordinator_a.pole.code, value.contract.first_year])
    )

    text = text_of(response)
    assert "Acceptée par l'INCa verrouillée" not in text
    assert (
        'Acceptée par l&#x27;INCa</span> (<span class="locked">verrouillée</span>)'
        in response.content.decode()
    )


def test_approval_page_title_names_the_pole_without_a_broken_article(client, director_a):
    value = IndicatorValueFactory(contract__canceropole=director_a.pole, status=ValueStatus.SUBMITTED)
    contract = value.contract
    client.force_login(director_a)

    response = client.get(reverse("cop_contracts:approval", args=[director_a.pole.code, contract.first_year]))

    text = text_of(response)
    assert "Valeurs de Cancéropôle" not in text
    assert "Valeurs en attente de l'approbation de la direction – Cancéropôle GSO" in text


ENGLISH_NAMES = {
    "M1_TEAMS": "Number of teams/researchers federated in the network",
    "M1_PARTNERS": "Number of member institutions and partners under agreement",
    "M1_COFUNDING_RATIO": "Leverage of regional co-funding",
    "M1_REGIONAL_MAPPING": "Mapping / inventory of regional research strengths carried out",
    "M3_EMERGENCE_SUCCESS_RATE": "Selection rate of the Émergence call",
    "M3_LEVERAGE": "Leverage of Émergence projects (funding obtained afterwards)",
    "M3_APPLICATIONS_SUPPORTED": (
        "Number of applications to national/European calls coached, and success rate"
    ),
    "M3_YOUNG_RESEARCHERS": "Number of young researchers supported (grants, prizes, mobility, training)",
    "M4_TRANSFER_RATE": "Conversion rate of transfer projects (proof of concept)",
}


@pytest.mark.parametrize(("code", "name_en"), sorted(ENGLISH_NAMES.items()))
def test_english_indicator_name_says_what_the_french_one_says(code, name_en):
    assert IndicatorDefinition.objects.get(code=code).name_en == name_en


def test_reference_file_holds_the_same_english_names_as_the_database():
    from canceropoles.reference import reference

    names = {entry["code"]: entry["name_en"] for entry in reference()["indicators"]}

    assert {code: names[code] for code in ENGLISH_NAMES} == ENGLISH_NAMES
