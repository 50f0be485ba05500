"""CSV and XLSX downloads that open well in French spreadsheet software and carry no formula from users.

- CSV: UTF-8 with a byte-order mark, ``;`` between columns, decimal comma (``2,325``), CRLF line ends:
  what French Excel opens as columns of numbers.
- XLSX: numbers stay numbers, a bold frozen header row with filters, columns as wide as their content.
- Every text cell is neutralised against formula injection: a text starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading apostrophe, and an XLSX text cell is always written
  as text, never as a formula.

A column is a plain title, or a ``Column`` with a unit shown in its header (``Amount (€)``) and an
optional width. Rows hold Python values: ``Decimal``, ``int`` and ``float`` are numbers, ``None`` is an
empty cell, dates are dates, anything else is text.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# Spreadsheet software reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 6, 60
SHEET_TITLE_LIMIT = 31  # Excel's limit on sheet names


@dataclass(frozen=True)
class Column:
    title: str
    unit: str = ""
    width: int | None = None

    @property
    def header(self) -> str:
        return f"{self.title} ({self.unit})" if self.unit else str(self.title)


def _column(spec) -> Column:
    return spec if isinstance(spec, Column) else Column(title=str(spec))


def neutralise(text: str) -> str:
    """``text`` made inert for a spreadsheet: a leading apostrophe when it would start a formula."""
    text = str(text)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def csv_text(value) -> str:
    """One CSV cell: numbers with a decimal comma and no exponent, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return ""
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return neutralise(value)


def csv_bytes(*, columns: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(_column(spec).header) for spec in columns])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _xlsx_value(value):
    if value is None:
        return None
    if _is_number(value):
        if isinstance(value, Decimal) and not value.is_finite():
            return None
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; the portal's times are local
        return value
    # Control characters are not allowed in the file format: drop them rather than fail the download.
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))


def _display_length(value) -> int:
    if value is None:
        return 0
    text = value if isinstance(value, str) else csv_text(value)
    return max((len(line) for line in text.splitlines()), default=0)


def xlsx_bytes(*, sheet_title: str, columns: Sequence, rows: Iterable[Sequence]) -> bytes:
    specs = [_column(spec) for spec in columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ILLEGAL_CHARACTERS_RE.sub("", str(sheet_title)).translate(
        str.maketrans("[]:*?/\\", "()-----")
    )[:SHEET_TITLE_LIMIT]
    widths = [len(spec.header) for spec in specs]
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", neutralise(spec.header)) for spec in specs])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    row_count = 1
    for row in rows:
        values = [_xlsx_value(value) for value in row]
        sheet.append(values)
        row_count += 1
        for index, (cell, value) in enumerate(zip(sheet[row_count], values, strict=False)):
            if isinstance(value, str):
                cell.data_type = "s"  # text is text: never a formula, whatever it starts with
            if index < len(widths):
                widths[index] = max(widths[index], _display_length(value))
    for index, spec in enumerate(specs, start=1):
        width = spec.width or min(max(widths[index - 1] + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if specs:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(specs))}{row_count}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, columns: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download named ``filename``.csv."""
    body = csv_bytes(columns=columns, rows=rows)
    return _attachment(HttpResponse(body, content_type=CSV_CONTENT_TYPE), f"{filename}.csv")


def xlsx_response(
    *, filename: str, sheet_title: str, columns: Sequence, rows: Iterable[Sequence]
) -> HttpResponse:
    """An XLSX download named ``filename``.xlsx with one sheet."""
    body = xlsx_bytes(sheet_title=sheet_title, columns=columns, rows=rows)
    return _attachment(HttpResponse(body, content_type=XLSX_CONTENT_TYPE), f"{filename}.xlsx")


def export_response(
    *, file_format: str, filename: str, sheet_title: str, columns: Sequence, rows: Iterable[Sequence]
) -> HttpResponse:
    """The download in ``file_format`` (``csv`` or ``xlsx``; anything else is CSV)."""
    if file_format == "xlsx":
        return xlsx_response(filename=filename, sheet_title=sheet_title, columns=columns, rows=rows)
    return csv_response(filename=filename, columns=columns, rows=rows)
