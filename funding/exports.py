"""CSV and XLSX downloads of the funding and follow-up pages.

The rows go through the same writers as the COP downloads (French spreadsheet CSV: BOM, semicolons),
after text that a spreadsheet would run as a formula (starting with =, +, -, @) is made plain text.
"""

from collections.abc import Iterable, Sequence

from cop_contracts import exports as cop_exports

FORMATS = cop_exports.FORMATS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_response(
    *, file_format: str, filename: str, sheet_title: str, header: Sequence, rows: Iterable[Sequence]
):
    safe_rows = ([neutralise(value) for value in row] for row in rows)
    return cop_exports.export_response(
        file_format=file_format, filename=filename, sheet_title=sheet_title, header=header, rows=safe_rows
    )
