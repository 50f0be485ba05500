"""CSV and XLSX downloads of the COP pages: the same rows as the page, one header row, French-friendly.

The files are written by common.exports (French CSV: BOM, ``;``, decimal comma; XLSX with numbers as
numbers, frozen header, filters, widths; formulas neutralised in every text cell). A header item is a
title or a ``common.exports.Column`` (title and unit).
"""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from common import exports
from common.exports import CSV_CONTENT_TYPE, FORMATS, XLSX_CONTENT_TYPE, Column

__all__ = [
    "CSV_CONTENT_TYPE",
    "FORMATS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "csv_response",
    "export_response",
    "xlsx_response",
]


def csv_response(*, filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    return exports.csv_response(filename=filename, columns=header, rows=rows)


def xlsx_response(
    *, filename: str, sheet_title: str, header: Sequence, rows: Iterable[Sequence]
) -> HttpResponse:
    return exports.xlsx_response(filename=filename, sheet_title=sheet_title, columns=header, rows=rows)


def export_response(
    *, file_format: str, filename: str, sheet_title: str, header: Sequence, rows: Iterable[Sequence]
) -> HttpResponse:
    return exports.export_response(
        file_format=file_format, filename=filename, sheet_title=sheet_title, columns=header, rows=rows
    )
