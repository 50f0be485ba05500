"""The list of people registered for an event, as CSV (French Excel) or XLSX, through common.exports."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exports import FORMATS, export_response

__all__ = ["FORMATS", "registrations_response"]


def _columns() -> list[str]:
    return [
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


def _rows(registrations):
    for r in registrations:
        yield [
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


def registrations_response(*, event, registrations, file_format: str) -> HttpResponse:
    return export_response(
        file_format=file_format,
        filename=f"inscriptions-evenement-{event.pk}",
        sheet_title=_("Registrations"),
        columns=_columns(),
        rows=_rows(registrations),
    )
