"""Fault 5.6: a comment starting like a formula is exported inert, in the CSV and in the XLSX."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cop_contracts import services
from cop_contracts.models import IndicatorDefinition

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def commented(contract_a, coordinator_a):
    definitions = IndicatorDefinition.objects.filter(unit="count").order_by("code")[: len(FORMULAS)]
    for definition, comment in zip(definitions, FORMULAS, strict=True):
        services.indicator_value_save(
            contract=contract_a, indicator=definition, year=2024, by=coordinator_a, value="1", comment=comment
        )
    return {definition.code: comment for definition, comment in zip(definitions, FORMULAS, strict=True)}


def _grid(client, user, contract, file_format):
    client.force_login(user)
    url = reverse("cop_contracts:grid", args=[contract.canceropole.code, contract.first_year])
    return client.get(url, {"format": file_format})


def test_grid_csv_neutralises_comments_that_start_like_a_formula(
    client, coordinator_a, contract_a, commented
):
    response = _grid(client, coordinator_a, contract_a, "csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:], newline=""), delimiter=";"))
    comments = {row[2]: row[-1] for row in rows[1:] if row[5] == "2024" and row[2] in commented}
    assert comments == {code: "'" + comment for code, comment in commented.items()}


def test_grid_xlsx_holds_no_formula_from_a_comment(client, coordinator_a, contract_a, commented):
    response = _grid(client, coordinator_a, contract_a, "xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    comments = {row[2]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[5] == 2024}
    assert {code: comments[code] for code in commented} == {
        code: "'" + comment.replace("\r", "\n") for code, comment in commented.items()
    }
