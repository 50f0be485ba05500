"""Targets set through a page by INCa staff (issue #6, §4.5): the contracts to choose from, a contract's
targets, and a form per target read the French way, checked by services.target_set, which refreshes the
rollups. Pole staff who see the contract get 403, others 404; a denied write changes nothing."""

from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from common.text import folded
from cop_contracts.models import IndicatorDefinition, IndicatorRollup, Target
from tests.cop_contracts.factories import IndicatorValueFactory, indicator

pytestmark = pytest.mark.django_db

CODE = "M2_EVENTS"  # a count
AMOUNT = "M3_EMERGENCE_AMOUNT"  # euros
RATE = "M3_EMERGENCE_SUCCESS_RATE"  # a percentage


def edit_url(contract, code=CODE, year=2024):
    return reverse(
        "cop_contracts:target_edit", args=[contract.canceropole.code, contract.first_year, code, year]
    )


def targets_url(contract):
    return reverse("cop_contracts:targets", args=[contract.canceropole.code, contract.first_year])


def target_state():
    return sorted(Target.objects.values_list("contract_id", "indicator__code", "year", "value", "baseline"))


def test_inca_staff_set_a_target_typed_the_french_way(client, inca_staff, contract_a):
    client.force_login(inca_staff)

    response = client.post(edit_url(contract_a), {"value": "1\u202f200", "baseline": "800"})

    assert response.status_code == 302
    assert response["Location"] == targets_url(contract_a) + f"#target-{CODE}-2024"
    target = Target.objects.get()
    assert (target.contract, target.indicator.code, target.year) == (contract_a, CODE, 2024)
    assert (target.value, target.baseline) == (Decimal(1200), Decimal(800))
    assert target.history.get().history_user == inca_staff


def test_changing_a_target_on_the_page_refreshes_the_national_target(
    client, inca_staff, contract_a, contract_b
):
    for contract in (contract_a, contract_b):
        IndicatorValueFactory(contract=contract, indicator=indicator(CODE), year=2024, status="accepted")
    Target.objects.create(contract=contract_b, indicator=indicator(CODE), year=2024, value=5)
    client.force_login(inca_staff)

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(edit_url(contract_a), {"value": "10"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(edit_url(contract_a), {"value": "12,0"})

    national = IndicatorRollup.objects.get(
        level="national", basis="accepted", indicator__code=CODE, year=2024
    )
    assert national.target == Decimal(17)


def test_target_form_shows_the_current_target(client, inca_staff, contract_a):
    Target.objects.create(
        contract=contract_a, indicator=indicator(AMOUNT), year=2025, value=Decimal("25000.5"), baseline=None
    )
    client.force_login(inca_staff)

    response = client.get(edit_url(contract_a, AMOUNT, 2025))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="value" value="25000,5"' in page
    assert 'name="baseline" value=""' in page
    assert "Cible de M3_EMERGENCE_AMOUNT pour 2025" in page


@pytest.mark.parametrize(
    ("code", "posted", "field", "message"),
    [
        (CODE, {"value": "12,5"}, "value", "Un effectif est un nombre entier."),
        (RATE, {"value": "120"}, "value", "Un pourcentage ne dépasse pas 100."),
        (CODE, {"value": ""}, "value", "Saisissez une cible."),
        (CODE, {"value": "1e6"}, "value", "Écrivez le nombre en entier"),
        (CODE, {"value": "abc"}, "value", "Saisissez un nombre."),
        (CODE, {"value": "10", "baseline": "99999999999999999"}, "baseline", "Ce nombre est trop grand"),
        (AMOUNT, {"value": "10,123"}, "value", "deux décimales"),
    ],
)
def test_a_bad_target_is_a_400_naming_the_field_and_writes_nothing(
    client, inca_staff, contract_a, code, posted, field, message
):
    Target.objects.create(contract=contract_a, indicator=indicator(code), year=2024, value=7)
    before = target_state()
    client.force_login(inca_staff)

    response = client.post(edit_url(contract_a, code), posted)

    assert response.status_code == 400
    field_errors = {f["name"]: f["errors"] for f in response.context["fields"]}
    assert len(field_errors[field]) == 1
    assert message in field_errors[field][0]
    assert f'id="target-{field}" name="{field}"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert target_state() == before


def test_target_of_a_year_outside_the_contract_is_absent(client, inca_staff, contract_a):
    client.force_login(inca_staff)

    response = client.post(edit_url(contract_a, year=2031), {"value": "3"})

    assert response.status_code == 404
    assert Target.objects.count() == 0


def test_target_of_an_unknown_indicator_is_absent(client, inca_staff, contract_a):
    client.force_login(inca_staff)

    assert client.get(edit_url(contract_a, "NOPE")).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator_a", 403),
        ("director_a", 403),
        ("coordinator_b", 404),
        ("director_b", 404),
        ("researcher", 404),
    ],
)
def test_setting_a_target_is_denied_to_everyone_but_inca_and_changes_nothing(
    client, request, contract_a, persona, expected
):
    Target.objects.create(contract=contract_a, indicator=indicator(CODE), year=2024, value=7)
    before, history = target_state(), Target.history.count()
    client.force_login(request.getfixturevalue(persona))

    shown = client.get(edit_url(contract_a))
    listed = client.get(targets_url(contract_a))
    posted = client.post(edit_url(contract_a), {"value": "99"})

    assert (shown.status_code, listed.status_code, posted.status_code) == (expected, expected, expected)
    assert target_state() == before
    assert Target.history.count() == history


def test_setting_a_target_anonymously_sends_to_the_login_and_changes_nothing(client, contract_a):
    response = client.post(edit_url(contract_a), {"value": "99"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Target.objects.count() == 0


@pytest.mark.parametrize("persona", ["coordinator_a", "director_b", "researcher"])
def test_target_contracts_page_is_forbidden_to_others_than_inca(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("cop_contracts:target_contracts")).status_code == 403


def test_target_contracts_page_lists_the_contracts_in_french_order_with_their_targets(
    client, inca_staff, contract_a, contract_b
):
    Target.objects.create(contract=contract_b, indicator=indicator(CODE), year=2024, value=7)
    Target.objects.create(contract=contract_b, indicator=indicator(CODE), year=2025, value=8)
    client.force_login(inca_staff)

    response = client.get(reverse("cop_contracts:target_contracts"))

    by_name = sorted([contract_a, contract_b], key=lambda contract: folded(contract.canceropole.name))
    assert [(c.pk, c.target_count) for c in response.context["contracts"]] == [
        (contract.pk, 2 if contract == contract_b else 0) for contract in by_name
    ]
    assert targets_url(contract_a) in response.content.decode()


def test_targets_page_shows_each_target_with_its_link(client, inca_staff, contract_a):
    Target.objects.create(
        contract=contract_a, indicator=indicator(AMOUNT), year=2024, value=Decimal("25000.5"), baseline=1000
    )
    client.force_login(inca_staff)

    response = client.get(targets_url(contract_a))

    assert response.status_code == 200
    page = response.content.decode()
    cell = page.split(f'id="target-{AMOUNT}-2024"', 1)[1].split("</td>", 1)[0]
    assert "25\u00a0000,50\u00a0€" in cell
    assert "1\u00a0000\u00a0€" in cell
    assert edit_url(contract_a, AMOUNT, 2024) in cell
    assert ">Modifier<" in cell
    empty = page.split(f'id="target-{AMOUNT}-2025"', 1)[1].split("</td>", 1)[0]
    assert ">Fixer<" in empty


@pytest.mark.parametrize("rows", [1, 8])
def test_targets_page_query_count_is_constant(
    client, inca_staff, contract_a, rows, django_assert_num_queries
):
    for definition in IndicatorDefinition.objects.filter(is_active=True).order_by("code")[:rows]:
        Target.objects.create(contract=contract_a, indicator=definition, year=2024, value=3)
    client.force_login(inca_staff)

    # session, user, the contract with its pole, the user's memberships (read once for the rules and the
    # menu), the catalogue with missions, the contract's targets
    with django_assert_num_queries(6):
        response = client.get(targets_url(contract_a))

    assert (
        sum(cell.target is not None for g in response.context["groups"] for r in g.rows for cell in r.cells)
        == rows
    )


@pytest.mark.parametrize("rows", [1, 2])
def test_target_contracts_page_query_count_is_constant(
    client, inca_staff, contract_a, contract_b, rows, django_assert_num_queries
):
    for contract in (contract_a, contract_b)[:rows]:
        Target.objects.create(contract=contract, indicator=indicator(CODE), year=2024, value=3)
    client.force_login(inca_staff)

    # session, user, the contracts with their poles and target counts, the user's memberships (the menu)
    with django_assert_num_queries(4):
        response = client.get(reverse("cop_contracts:target_contracts"))

    assert sum(contract.target_count for contract in response.context["contracts"]) == rows


def test_grid_and_dashboard_link_to_the_targets_for_inca_only(client, inca_staff, coordinator_a, contract_a):
    grid = reverse("cop_contracts:grid", args=[contract_a.canceropole.code, contract_a.first_year])
    client.force_login(inca_staff)
    inca_grid, inca_dashboard = (
        client.get(grid).content.decode(),
        client.get(reverse("cop_contracts:dashboard")),
    )
    client.force_login(coordinator_a)
    pole_grid = client.get(grid).content.decode()

    assert f'href="{targets_url(contract_a)}"' in inca_grid
    assert f'href="{reverse("cop_contracts:target_contracts")}"' in inca_dashboard.content.decode()
    assert targets_url(contract_a) not in pole_grid


def test_my_space_offers_the_targets_to_inca_staff_only(client, inca_staff, coordinator_a):
    from common.navigation import SpaceLink, space_links_for

    url = reverse("cop_contracts:target_contracts")

    assert ("Fixer les cibles des COP", url) in [
        (str(label), link) for label, link in space_links_for(inca_staff, SpaceLink.INCA)
    ]
    assert url not in [link for _, link in space_links_for(coordinator_a, SpaceLink.INCA)]
