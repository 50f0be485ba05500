"""Committee downloads of a call (its staff and INCa): applications, reviews, and an anonymised pack."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import gettext as _
from django.views import View

from calls import exports, selectors
from calls.models import Review
from calls.views._shared import call_followed


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


class ExportView(LoginRequiredMixin, View):
    """``what``: applications, reviews or anonymised; ``file_format``: csv or xlsx (the pack is xlsx)."""

    def get(self, request, reference, what, file_format):
        call = call_followed(request.user, reference)
        if file_format not in ("csv", "xlsx") or what not in ("applications", "reviews", "anonymised"):
            raise Http404
        filename = f"{call.reference}-{what}"
        if what == "anonymised":
            header, rows = anonymised_application_rows(call)
            review_header, reviews = review_rows(call, anonymous=True)
            if file_format == "csv":
                raise Http404
            return exports.xlsx_response(
                filename=filename,
                sheets=[(_("Applications"), header, rows), (_("Reviews"), review_header, reviews)],
            )
        header, rows = (
            application_rows(call) if what == "applications" else review_rows(call, anonymous=False)
        )
        if file_format == "csv":
            return exports.csv_response(filename=filename, header=header, rows=rows)
        title = _("Applications") if what == "applications" else _("Reviews")
        return exports.xlsx_response(filename=filename, sheets=[(title, header, rows)])
