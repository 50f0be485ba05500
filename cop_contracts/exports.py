"""CSV and XLSX downloads of the COP pages: the same rows as the page, one header row, French-friendly.

CSV is UTF-8 with a byte-order mark and semicolons, which spreadsheet software in French locales opens
as columns; numbers keep a decimal point so that they stay machine-readable.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _cell(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(title) for title in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return _attachment(HttpResponse(buffer.getvalue(), content_type=CSV_CONTENT_TYPE), f"{filename}.csv")


def xlsx_response(
    *, filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]  # Excel's limit on sheet names
    sheet.append([str(title) for title in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        # Decimals stay numbers in the workbook; openpyxl writes them as such.
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, f"{filename}.xlsx")


def export_response(
    *, file_format: str, filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    if file_format == "xlsx":
        return xlsx_response(filename=filename, sheet_title=sheet_title, header=header, rows=rows)
    return csv_response(filename=filename, header=header, rows=rows)
