"""CSV and XLSX downloads of the reporting grid and of the national dashboard: same rows, same rules."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from cop_contracts import services
from cop_contracts.models import CopContract, IndicatorDefinition
from tests.cop_contracts.factories import second_pair_of_eyes

pytestmark = pytest.mark.django_db

EVENTS = "M2_EVENTS"


@pytest.fixture
def contract_a(pole_a):
    return CopContract.objects.create(canceropole=pole_a)


def accepted_value(contract, *, by, code=EVENTS, year=2024, figure="12"):
    definition = IndicatorDefinition.objects.get(code=code)
    with TestCase.captureOnCommitCallbacks(execute=True):
        value = services.indicator_value_save(
            contract=contract, indicator=definition, year=year, by=by, value=figure
        )
        value = services.indicator_value_submit(value=value, by=by)
        value = services.indicator_value_approve(value=value, by=second_pair_of_eyes())
        return services.indicator_value_accept(value=value, by=second_pair_of_eyes())


def grid_url(contract):
    return reverse("cop_contracts:grid", args=[contract.canceropole.code, contract.first_year])


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_grid_csv_has_one_row_per_indicator_and_year(client, coordinator_a, contract_a):
    services.target_set(
        contract=contract_a, indicator=IndicatorDefinition.objects.get(code=EVENTS), year=2024, value="10"
    )
    accepted_value(contract_a, by=coordinator_a)
    client.force_login(coordinator_a)

    response = client.get(grid_url(contract_a), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cop-GSO-2023-2027.csv"'
    rows = read_csv(response)
    assert len(rows) == 1 + IndicatorDefinition.objects.filter(is_active=True).count() * 5
    events_2024 = next(row for row in rows[1:] if row[2] == EVENTS and row[5] == "2024")
    assert (events_2024[0], events_2024[6], events_2024[7]) == ("GSO", "10", "12")  # pole, target, value


def test_grid_xlsx_keeps_numbers_as_numbers(client, director_a, coordinator_a, contract_a):
    accepted_value(contract_a, by=coordinator_a, code="M3_EMERGENCE_AMOUNT", figure="12.5")
    client.force_login(director_a)

    response = client.get(grid_url(contract_a), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cop-GSO-2023-2027.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    amount_2024 = next(row for row in rows[1:] if row[2] == "M3_EMERGENCE_AMOUNT" and row[5] == 2024)
    assert amount_2024[7] == pytest.approx(12.5)
    assert sheet.title == "COP GSO 2023-2027"


def test_grid_export_is_absent_for_another_pole(client, coordinator_b, contract_a):
    client.force_login(coordinator_b)

    response = client.get(grid_url(contract_a), {"format": "csv"})

    assert response.status_code == 404


def test_grid_export_is_absent_for_a_researcher(client, researcher, contract_a):
    client.force_login(researcher)

    response = client.get(grid_url(contract_a), {"format": "xlsx"})

    assert response.status_code == 404


def test_dashboard_csv_has_every_pole_and_the_national_figure(client, coordinator_a, contract_a):
    accepted_value(contract_a, by=coordinator_a)

    response = client.get(reverse("cop_contracts:dashboard"), {"year": "2024", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cop-national-2024-accepted.csv"'
    rows = read_csv(response)
    events = [row for row in rows[1:] if row[1] == EVENTS]
    assert len(events) == 7 + 1  # the 7 poles and the national figure
    by_scope = {row[5]: row for row in events}
    assert by_scope["GSO"][6] == "12"
    assert by_scope["CLARA"][6] == ""
    assert Decimal(events[-1][6]) == Decimal(12)


def test_dashboard_xlsx_of_provisional_figures_for_inca_staff(client, inca_staff, coordinator_a, contract_a):
    accepted_value(contract_a, by=coordinator_a)
    client.force_login(inca_staff)

    response = client.get(
        reverse("cop_contracts:dashboard"), {"year": "2024", "basis": "provisional", "format": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cop-national-2024-provisional.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + IndicatorDefinition.objects.filter(is_active=True).count() * 8


def test_dashboard_export_of_provisional_figures_is_refused_to_the_public(client, coordinator_a, contract_a):
    accepted_value(contract_a, by=coordinator_a)

    response = client.get(
        reverse("cop_contracts:dashboard"), {"year": "2024", "basis": "provisional", "format": "csv"}
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
