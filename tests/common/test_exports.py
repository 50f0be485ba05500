"""The export helpers (common.exports): French CSV, XLSX with real numbers, no formula from user text."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.exports import Column, csv_bytes, csv_text, export_response, neutralise, xlsx_bytes

INJECTIONS = ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("http://x","y")']


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.mark.parametrize("text", INJECTIONS)
def test_neutralise_prefixes_every_formula_trigger(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Texte", "12", "", " =espace d'abord", "'déjà"])
def test_neutralise_leaves_plain_text_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.325"), "2,325"),
        (Decimal("12.5000"), "12,5"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-4.10"), "-4,1"),
        (3, "3"),
        (0.5, "0,5"),
        (None, ""),
        ("-4", "'-4"),
    ],
)
def test_csv_text_writes_numbers_with_a_decimal_comma(value, expected):
    assert csv_text(value) == expected


def test_csv_is_utf8_with_bom_semicolons_and_units_in_headers():
    data = csv_bytes(
        columns=[Column("Indicateur"), Column("Montant", unit="€"), "Commentaire"],
        rows=[["Équipes", Decimal("1200.50"), "a;b"]],
    )

    assert data.startswith("\ufeff".encode())
    assert b"\r\n" in data
    assert _csv_rows(data) == [["Indicateur", "Montant (€)", "Commentaire"], ["Équipes", "1200,5", "a;b"]]


def test_csv_neutralises_every_injected_formula():
    rows = _csv_rows(csv_bytes(columns=["Commentaire"], rows=[[text] for text in INJECTIONS]))

    assert [row[0] for row in rows[1:]] == ["'" + text for text in INJECTIONS]


def test_xlsx_holds_no_formula_and_keeps_numbers_as_numbers():
    data = xlsx_bytes(
        sheet_title="COP GSO 2023-2027",
        columns=["Commentaire", Column("Valeur", unit="%")],
        rows=[[text, Decimal("12.5")] for text in INJECTIONS],
    )

    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells if cell.data_type == "f"] == []
    # XML stores a carriage return as a line feed
    texts = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert texts == ["'" + t.replace("\r", "\n") for t in INJECTIONS]
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {12.5}
    assert [c.value for c in sheet[1]] == ["Commentaire", "Valeur (%)"]


def test_xlsx_has_a_frozen_bold_header_filters_and_widths():
    data = xlsx_bytes(
        sheet_title="Tableau: national/2024?",
        columns=["Code", Column("Nom", width=40)],
        rows=[["M1_TEAMS", "Nombre d'équipes"], ["M2_EVENTS", "x" * 200]],
    )

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Tableau- national-2024-"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet["A1"].font.bold is True
    assert sheet.column_dimensions["A"].width == 11  # "M2_EVENTS" and a margin
    assert sheet.column_dimensions["B"].width == 40


def test_xlsx_drops_control_characters_rather_than_failing():
    data = xlsx_bytes(sheet_title="S", columns=["Commentaire"], rows=[["avant\x01après\x00"]])

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "avantaprès"


def test_export_response_names_the_file_and_its_type():
    csv_download = export_response(
        file_format="csv", filename="cop-GSO", sheet_title="S", columns=["A"], rows=[]
    )
    xlsx_download = export_response(
        file_format="xlsx", filename="cop-GSO", sheet_title="S", columns=["A"], rows=[]
    )

    assert csv_download["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_download["Content-Disposition"] == 'attachment; filename="cop-GSO.csv"'
    assert (
        xlsx_download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx_download["Content-Disposition"] == 'attachment; filename="cop-GSO.xlsx"'
