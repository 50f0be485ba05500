"""Figures typed in the reporting grid are read the way people write them, and refused clearly otherwise
(issue #6, §3.2 and §5.3 on pages): never a 500, never a half-written value, the field named."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cop_contracts.models import IndicatorDefinition, IndicatorValue, ValueStatus, ValueTransition

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EVENTS = "M2_EVENTS"  # a count
AMOUNT = "M3_EMERGENCE_AMOUNT"  # euros
COFUNDING = "M1_COFUNDING_RATIO"  # a ratio: numerator / denominator
RATE = "M3_EMERGENCE_SUCCESS_RATE"  # percent: 100 × numerator / denominator
NBSP, NNBSP = "\u00a0", "\u202f"
LIMIT_FR = f"9{NBSP}999{NBSP}999{NBSP}999{NBSP}999{NBSP}999"


def cell_url(contract, *, code=EVENTS, year=2024):
    return reverse("cop_contracts:cell", args=[contract.canceropole.code, contract.first_year, code, year])


@pytest.fixture
def coordinator_client(coordinator_a):
    # Production answers: a server error would be a 500 page here, not an exception in the test.
    client = Client(raise_request_exception=False)
    client.force_login(coordinator_a)
    return client


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12,5", Decimal("12.5")),
        ("1 200", Decimal("1200")),
        (f"1{NBSP}200,5", Decimal("1200.5")),
        (f"1{NNBSP}200", Decimal("1200")),
        (f"12{NNBSP}345{NNBSP}678,25", Decimal("12345678.25")),
        ("12.5", Decimal("12.5")),
        ("0.25", Decimal("0.25")),
        (" 7 ", Decimal("7")),
        ("9999999999999999", Decimal("9999999999999999")),
    ],
)
def test_french_numbers_are_read_on_the_grid(coordinator_client, contract_a, typed, stored):
    response = coordinator_client.post(cell_url(contract_a, code=AMOUNT), {"value": typed}, **HTMX)

    assert response.status_code == 200
    assert IndicatorValue.objects.get(indicator__code=AMOUNT).value == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e6", "Écrivez le nombre en entier, sans exposant : 1 000 000 plutôt que 1e6."),
        ("1E6", "Écrivez le nombre en entier, sans exposant : 1 000 000 plutôt que 1e6."),
        ("1e999999999", "Écrivez le nombre en entier, sans exposant : 1 000 000 plutôt que 1e6."),
        ("1e-999999999", "Écrivez le nombre en entier, sans exposant : 1 000 000 plutôt que 1e6."),
        ("9999999999999999.99999", "Saisissez au plus 4 décimales."),
        ("10000000000000000", f"Ce nombre est trop grand : la limite est {LIMIT_FR}."),
        ("١٢", "Utilisez les chiffres de 0 à 9."),
        ("１２", "Utilisez les chiffres de 0 à 9."),
        ("१२", "Utilisez les chiffres de 0 à 9."),
        ("1.200", "Nombre ambigu : écrivez 1 200 (milliers) ou 1,2 (décimales)."),
        ("douze", "Saisissez un nombre."),
        ("Infinity", "Saisissez un nombre."),
        ("NaN", "Saisissez un nombre."),
        ("1 2", "Saisissez un nombre."),
        ("x" * 41, "Saisissez un nombre."),
    ],
)
def test_numbers_the_grid_cannot_read_are_a_400_naming_the_field(
    coordinator_client, contract_a, typed, message
):
    response = coordinator_client.post(cell_url(contract_a), {"value": typed}, **HTMX)

    assert response.status_code == 400
    cell = response.context["cell"]
    assert {field: [m.replace(NBSP, " ") for m in ms] for field, ms in cell.errors.items()} == {
        "value": [message.replace(NBSP, " ")]
    }
    assert cell.initial["value"] == typed
    assert 'aria-invalid="true"' in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert not ValueTransition.objects.exists()


def test_a_too_large_number_in_english_states_the_limit_the_english_way(coordinator_client, contract_a):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = coordinator_client.post(cell_url(contract_a), {"value": "12345678901234567"}, **HTMX)

    assert response.status_code == 400
    assert response.context["cell"].errors == {
        "value": ["This number is too large: the limit is 9,999,999,999,999,999."]
    }


def test_english_numbers_group_with_commas(coordinator_client, contract_a):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = coordinator_client.post(cell_url(contract_a, code=AMOUNT), {"value": "1,200.5"}, **HTMX)

    assert response.status_code == 200
    assert IndicatorValue.objects.get().value == Decimal("1200.5")


def test_a_ratio_whose_result_is_too_large_is_refused_on_the_denominator(coordinator_client, contract_a):
    response = coordinator_client.post(
        cell_url(contract_a, code=COFUNDING),
        {"numerator": "9999999999999999", "denominator": "0,0001"},
        **HTMX,
    )

    assert response.status_code == 400
    assert {f: [m.replace(NBSP, " ") for m in ms] for f, ms in response.context["cell"].errors.items()} == {
        "denominator": [
            "Le numérateur divisé par ce dénominateur est trop grand : la limite est "
            f"{LIMIT_FR.replace(NBSP, ' ')}. Vérifiez le dénominateur."
        ]
    }
    assert not IndicatorValue.objects.exists()


def test_a_percentage_ratio_counts_its_scale_in_the_limit(coordinator_client, contract_a):
    # 100 × 1e14 / 1 = 1e16: at the limit once in percent, although both figures are small enough.
    response = coordinator_client.post(
        cell_url(contract_a, code=RATE), {"numerator": "100000000000000", "denominator": "1"}, **HTMX
    )

    assert response.status_code == 400
    assert list(response.context["cell"].errors) == ["denominator"]


def test_a_bad_number_without_htmx_re_renders_the_grid_with_a_400(coordinator_client, contract_a):
    response = coordinator_client.post(cell_url(contract_a), {"value": "1e6"})

    assert response.status_code == 400
    assert b"<html" in response.content
    assert not IndicatorValue.objects.exists()


def test_a_stored_figure_shows_in_its_field_with_the_french_decimal_comma(coordinator_client, contract_a):
    coordinator_client.post(cell_url(contract_a, code=AMOUNT), {"value": "1 200,5"}, **HTMX)

    response = coordinator_client.get(
        reverse("cop_contracts:grid", args=[contract_a.canceropole.code, contract_a.first_year])
    )

    cells = {
        (c.indicator.code, c.year): c for g in response.context["groups"] for r in g.rows for c in r.cells
    }
    assert cells[(AMOUNT, 2024)].initial["value"] == "1200,5"
    assert f'<strong class="number">1{NBSP}200,50{NBSP}€</strong>' in response.content.decode()


def test_each_cell_shows_its_unit(coordinator_client, contract_a):
    response = coordinator_client.get(
        reverse("cop_contracts:grid", args=[contract_a.canceropole.code, contract_a.first_year])
    )

    page = response.content.decode()
    for code, unit in ((AMOUNT, "€"), (EVENTS, "nombre")):
        pk = IndicatorDefinition.objects.get(code=code).pk
        assert f'<span class="unit" id="cell-{pk}-2024-value-unit">{unit}</span>' in page
        assert f'aria-describedby="cell-{pk}-2024-value-unit"' in page
    # Shares are entered as numerator and denominator: the cell says how the value comes out of them.
    rate_cells = page.split(f'id="cell-{IndicatorDefinition.objects.get(code=RATE).pk}-2024"', 1)[1]
    assert "Valeur = 100 × numérateur ÷ dénominateur, en %" in rate_cells.split("</td>", 1)[0]


def test_a_saved_cell_returns_a_message_the_focus_can_move_to(coordinator_client, contract_a):
    response = coordinator_client.post(cell_url(contract_a), {"value": "4"}, **HTMX)

    assert response.status_code == 200
    assert (
        '<p class="cell-message message-success" tabindex="-1">Enregistré.</p>' in response.content.decode()
    )


def test_the_grid_loads_its_focus_script_from_static_files_and_has_no_inline_script(
    coordinator_client, contract_a
):
    response = coordinator_client.get(
        reverse("cop_contracts:grid", args=[contract_a.canceropole.code, contract_a.first_year])
    )

    page = response.content.decode()
    assert '<script src="/static/cop_contracts/grid.js" defer></script>' in page
    assert "<script>" not in page
    assert " onclick=" not in page


@pytest.mark.parametrize("status", [ValueStatus.ACCEPTED])
def test_an_accepted_value_reads_accepted_and_locked(coordinator_client, contract_a, coordinator_a, status):
    IndicatorValue.objects.create(
        contract=contract_a,
        indicator=IndicatorDefinition.objects.get(code=EVENTS),
        year=2024,
        value=3,
        status=status,
    )

    response = coordinator_client.get(
        reverse("cop_contracts:grid", args=[contract_a.canceropole.code, contract_a.first_year])
    )

    assert '(<span class="locked">verrouillée</span>)' in response.content.decode()
