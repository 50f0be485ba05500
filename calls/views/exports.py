"""Committee downloads of a call (its staff and INCa): applications and reviews as CSV or XLSX (the
common export helpers: French spreadsheet conventions, no formula from users), and an anonymised pack:
a ZIP of the applications and the reviews without names, e-mails or labs, as XLSX and CSV."""

import io
import zipfile

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from calls import selectors
from calls.models import Review
from calls.views._shared import call_followed
from common import exports


def _reviews(call):
    return list(
        Review.objects.filter(assignment__application__call=call, submitted_at__isnull=False)
        .select_related("assignment__reviewer", "assignment__application")
        .prefetch_related("scores")
        .order_by("assignment__application_id", "assignment_id")
    )


def application_rows(call):
    header = [
        _("Code"),
        _("Title"),
        _("Acronym"),
        _("Applicant"),
        _("E-mail"),
        _("Lab"),
        _("Requested amount (EUR)"),
        _("Duration (months)"),
        _("Status"),
        _("Reviews"),
        _("Weighted mean"),
        _("Spread"),
        _("Decision"),
        _("Amount awarded (EUR)"),
    ]
    rows = []
    for row in selectors.ranking(call=call):
        a = row.application
        decision = row.decision
        rows.append(
            [
                a.code,
                a.title,
                a.acronym,
                str(a.applicant),
                a.applicant.email,
                str(a.lab or ""),
                a.requested_amount,
                a.duration_months,
                a.get_status_display(),
                len(row.reviewer_scores),
                row.mean,
                row.spread,
                decision.get_outcome_display() if decision else "",
                decision.amount_awarded if decision else None,
            ]
        )
    return header, rows


def review_rows(call, *, anonymous: bool):
    criteria = list(call.criteria.all())
    header = [_("Code"), _("Reviewer")]
    if not anonymous:
        header.append(_("Title"))
    header += [c.name for c in criteria] + [_("Weighted score"), _("Recommendation"), _("Comment")]
    rows = []
    numbers: dict[int, int] = {}
    for review in _reviews(call):
        application = review.assignment.application
        numbers[application.pk] = numbers.get(application.pk, 0) + 1
        scores = {s.criterion_id: s.value for s in review.scores.all()}
        reviewer = (
            _("Reviewer %(n)s") % {"n": numbers[application.pk]}
            if anonymous
            else str(review.assignment.reviewer)
        )
        row = [f"{call.reference}-{application.pk:04d}", reviewer]
        if not anonymous:
            row.append(application.title)
        row += [scores.get(c.pk) for c in criteria]
        row += [review.weighted_score, review.get_recommendation_display(), review.comment]
        rows.append(row)
    return header, rows


def anonymised_application_rows(call):
    header = [
        _("Code"),
        _("Title"),
        _("Abstract"),
        _("Keywords"),
        _("Requested amount (EUR)"),
        _("Duration (months)"),
        _("Weighted mean"),
        _("Spread"),
    ]
    rows = [
        [
            r.application.code,
            r.application.title,
            r.application.abstract,
            r.application.keywords,
            r.application.requested_amount,
            r.application.duration_months,
            r.mean,
            r.spread,
        ]
        for r in selectors.ranking(call=call)
    ]
    return header, rows


def anonymised_pack(call) -> bytes:
    header, rows = anonymised_application_rows(call)
    review_header, reviews = review_rows(call, anonymous=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name, title, columns, lines in (
            ("applications", _("Applications"), header, rows),
            ("reviews", _("Reviews"), review_header, reviews),
        ):
            pack.writestr(f"{name}.xlsx", exports.xlsx_bytes(sheet_title=title, columns=columns, rows=lines))
            pack.writestr(f"{name}.csv", exports.csv_bytes(columns=columns, rows=lines))
    return buffer.getvalue()


class ExportView(LoginRequiredMixin, View):
    """``what``: applications or reviews (``csv`` or ``xlsx``), or the anonymised pack (``zip``)."""

    def get(self, request, reference, what, file_format):
        call = call_followed(request.user, reference)
        filename = f"{call.reference}-{what}"
        if what == "anonymised" and file_format == "zip":
            response = HttpResponse(anonymised_pack(call), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{filename}.zip"'
            return response
        if file_format not in exports.FORMATS or what not in ("applications", "reviews"):
            raise Http404
        header, rows = (
            application_rows(call) if what == "applications" else review_rows(call, anonymous=False)
        )
        title = _("Applications") if what == "applications" else _("Reviews")
        return exports.export_response(
            file_format=file_format, filename=filename, sheet_title=title, columns=header, rows=rows
        )
