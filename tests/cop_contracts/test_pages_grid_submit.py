"""Submitting a year from the grid (issue #6, §3.3): offered only when something in that year can be
submitted, and a confirmation lists what will go to the director before anything changes."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cop_contracts.models import IndicatorDefinition, IndicatorValue, ValueStatus, ValueTransition

pytestmark = pytest.mark.django_db

EVENTS, PARTICIPANTS, AMOUNT = "M2_EVENTS", "M2_PARTICIPANTS", "M3_EMERGENCE_AMOUNT"


def value(contract, code, year, figure, status=ValueStatus.DRAFT, comment=""):
    return IndicatorValue.objects.create(
        contract=contract,
        indicator=IndicatorDefinition.objects.get(code=code),
        year=year,
        value=None if figure is None else Decimal(figure),
        status=status,
        comment=comment,
    )


def grid(client, contract):
    return client.get(reverse("cop_contracts:grid", args=[contract.canceropole.code, contract.first_year]))


def submit_url(contract, year):
    return reverse("cop_contracts:submit_year", args=[contract.canceropole.code, contract.first_year, year])


def test_submit_is_offered_only_for_years_with_something_to_submit(client, coordinator_a, contract_a):
    value(contract_a, EVENTS, 2024, "12")  # a filled-in draft: submittable
    value(contract_a, PARTICIPANTS, 2024, "300", ValueStatus.SENT_BACK)  # sent back: submittable
    value(contract_a, EVENTS, 2025, None)  # an empty draft: not submittable
    value(contract_a, EVENTS, 2023, "8", ValueStatus.SUBMITTED)  # already with the director
    client.force_login(coordinator_a)

    response = grid(client, contract_a)

    counts = {item["year"]: item["count"] for item in response.context["submit_years"]}
    assert counts == {2023: 0, 2024: 2, 2025: 0, 2026: 0, 2027: 0}
    page = response.content.decode()
    assert len(re.findall(r"<button[^>]*>Soumettre \d{4}</button>", page)) == 1
    assert ">Soumettre 2024</button>" in page
    assert "2 valeurs prêtes" in page
    assert "2023\u00a0: rien à soumettre" in page
    assert "2025\u00a0: rien à soumettre" in page


def test_submit_confirmation_lists_what_will_be_submitted_and_changes_nothing(
    client, coordinator_a, contract_a
):
    value(contract_a, EVENTS, 2024, "12", comment="Journées annuelles")
    value(contract_a, AMOUNT, 2024, "25000.5", ValueStatus.SENT_BACK)
    value(contract_a, PARTICIPANTS, 2024, None)
    client.force_login(coordinator_a)

    response = client.get(submit_url(contract_a, 2024))

    assert response.status_code == 200
    assert [v.indicator.code for v in response.context["values"]] == [EVENTS, AMOUNT]
    page = response.content.decode()
    assert "Ces 2 valeurs de 2024 vont partir à la direction du pôle pour approbation." in page
    assert "25\u00a0000,50\u00a0€" in page
    assert "Journées annuelles" in page
    assert "Confirmer\u00a0: soumettre 2 valeurs de 2024" in page
    assert PARTICIPANTS not in page.split("<tbody>", 1)[1]  # the empty draft stays out
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {
        ValueStatus.DRAFT,
        ValueStatus.SENT_BACK,
    }
    assert not ValueTransition.objects.exists()


def test_confirming_submits_the_listed_values(client, coordinator_a, contract_a):
    value(contract_a, EVENTS, 2024, "12")
    client.force_login(coordinator_a)

    response = client.post(submit_url(contract_a, 2024))

    assert response.status_code == 302
    assert IndicatorValue.objects.get().status == ValueStatus.SUBMITTED


def test_submit_confirmation_with_nothing_to_submit_says_so(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.get(submit_url(contract_a, 2025))

    assert response.status_code == 200
    assert response.context["values"] == []
    page = response.content.decode()
    assert "Rien ne peut être soumis pour 2025" in page
    assert '<form method="post"' not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_submit_confirmation_of_pole_a_is_absent_for_coordinator_b(client, coordinator_b, contract_a):
    client.force_login(coordinator_b)

    response = client.get(submit_url(contract_a, 2024))

    assert response.status_code == 404


def test_submit_confirmation_is_forbidden_to_inca_staff(client, inca_staff, contract_a):
    client.force_login(inca_staff)

    response = client.get(submit_url(contract_a, 2024))

    assert response.status_code == 403


def test_submit_confirmation_outside_the_contract_years_is_absent(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.get(submit_url(contract_a, 2031))

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_submit_confirmation_query_count_is_constant(
    client, coordinator_a, contract_a, rows, django_assert_num_queries
):
    for definition in IndicatorDefinition.objects.order_by("code")[:rows]:
        IndicatorValue.objects.create(contract=contract_a, indicator=definition, year=2024, value=3)
    client.force_login(coordinator_a)

    # session, user, the contract with its pole, the user's memberships (read once by the rules),
    # the submittable values with their indicators and missions
    with django_assert_num_queries(5):
        response = client.get(submit_url(contract_a, 2024))

    assert len(response.context["values"]) == rows


def test_an_in_place_save_updates_the_years_offered_for_submission(client, coordinator_a, contract_a):
    value(contract_a, EVENTS, 2024, "12")
    value(contract_a, EVENTS, 2025, "3", ValueStatus.SUBMITTED)
    client.force_login(coordinator_a)
    url = reverse(
        "cop_contracts:cell", args=[contract_a.canceropole.code, contract_a.first_year, AMOUNT, 2024]
    )

    response = client.post(url, {"value": "1000"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    oob = (
        response.content.decode().split('<ul id="submit-list" hx-swap-oob="true">', 1)[1].split("</ul>", 1)[0]
    )
    assert "2 valeurs prêtes" in oob
    assert ">Soumettre 2024</button>" in oob
    assert "2025\u00a0: rien à soumettre" in oob
