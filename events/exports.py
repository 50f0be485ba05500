"""The list of people registered for an event, as CSV (French Excel) or XLSX."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
# A cell starting with one of these would be read as a formula by spreadsheet software.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return "" if value is None else value


def _rows(registrations):
    header = [
        _("Last name"),
        _("First name"),
        _("E-mail address"),
        _("Lab or institution"),
        _("Region of the lab"),
        _("Career stage"),
        _("Status"),
        _("Place on the waiting list"),
        _("Registered at"),
    ]
    rows = [
        [
            r.last_name,
            r.first_name,
            r.email,
            r.organisation,
            r.region.name if r.region else _("Outside France"),
            r.get_career_stage_display(),
            r.get_status_display(),
            r.waiting_position,
            timezone.localtime(r.requested_at).strftime("%d/%m/%Y %H:%M"),
        ]
        for r in registrations
    ]
    return header, rows


def registrations_response(*, event, registrations, file_format: str) -> HttpResponse:
    header, rows = _rows(registrations)
    filename = f"inscriptions-evenement-{event.pk}"
    if file_format == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Registrations"))[:31]
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_safe(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
