"""Pages of the poles' money: the budget of a pole for a year (allocated, committed, paid and available,
by funder, with its CSV and XLSX), the forms that record allocations, commitments and payments, and the
public page of the grants published in the 360Giving standard with its JSON and CSV.

A pole whose money the user may not read is absent (404); a step the user may not take on a visible pole
is forbidden (403). Each POST makes one service call and comes back to the budget; a refusal comes back
as the message next to the field it names, with a 400, and changes nothing.
"""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canceropoles.models import Canceropole
from common import exports
from funding import giving, selectors, services
from funding.forms import (
    AllocationForm,
    CommitmentForm,
    DisbursementForm,
    FunderForm,
    PaymentForm,
    add_service_errors,
)
from funding.models import Allocation, Commitment, CommitmentKind, Disbursement, FunderKind

YEARS_AROUND = 1


def pole_for(user, code: str, perm: str = "funding.view_funding") -> Canceropole:
    """The pole of the URL if the user may read its money; 404 otherwise (no hint that it exists)."""
    pole = get_object_or_404(Canceropole, code=code.upper())
    if not user.has_perm("funding.view_funding", pole):
        raise Http404
    if perm != "funding.view_funding" and not user.has_perm(perm, pole):
        raise PermissionDenied
    return pole


def budget_url(pole, year: int) -> str:
    return reverse("funding:budget", args=[pole.code, year])


def _calls_of(pole):
    call_model = Commitment._meta.get_field("call").related_model
    return call_model.objects.filter(canceropole=pole).order_by("-year", "reference")


def _events_of(pole):
    event_model = Commitment._meta.get_field("event").related_model
    return event_model.objects.filter(canceropole=pole).order_by("-starts_at", "id")


def _projects_of(pole):
    project_model = Commitment._meta.get_field("project").related_model
    return project_model.objects.filter(canceropole=pole, call__isnull=True).order_by("title", "id")


def budget_context(request, pole, year: int, **forms) -> dict:
    """Everything the budget page shows; bound forms with errors replace the blank ones."""
    user = request.user
    budget = selectors.pole_budget(canceropole=pole, year=year)
    may_manage = user.has_perm("funding.manage_funding", pole)
    may_add_allocation = may_manage or user.is_inca_staff
    years = sorted(
        set(selectors.budget_years(canceropole=pole)) | {year, timezone.localdate().year}, reverse=True
    )
    context = {
        "pole": pole,
        "year": year,
        "years": years,
        "budget": budget,
        "may_manage": may_manage,
        "may_add_allocation": may_add_allocation,
        "may_add_funder": user.has_perm("funding.add_funder"),
        "payment_forms": forms.pop("payment_forms", {}),
    }
    if may_add_allocation:
        # INCa records INCa's allocations, a pole's staff its other funders' (funding.rules).
        funders = selectors.funders_listed()
        if not may_manage:
            funders = funders.filter(kind=FunderKind.INCA)
        elif not user.is_inca_staff:
            funders = funders.exclude(kind=FunderKind.INCA)
        context["allocation_form"] = forms.get("allocation_form") or AllocationForm(
            prefix="allocation", funders=funders
        )
    if context["may_add_funder"]:
        context["funder_form"] = forms.get("funder_form") or FunderForm(prefix="funder")
    if may_manage:
        context["commitment_form"] = forms.get("commitment_form") or CommitmentForm(
            prefix="commitment",
            allocations=[line.allocation for line in budget.allocations],
            calls=_calls_of(pole),
            projects=_projects_of(pole),
            events=_events_of(pole),
        )
        bound = context["payment_forms"]
        for allocation_line in budget.allocations:
            for line in allocation_line.commitments:
                for item in [line, *line.awards]:
                    pk = item.commitment.pk
                    item.payment_form = bound.get(pk) or DisbursementForm(
                        prefix=f"payment-{pk}", initial={"scheduled_on": timezone.localdate()}
                    )
    return context


class BudgetView(LoginRequiredMixin, View):
    """The budget of a pole for a year; ``?format=csv`` or ``xlsx`` downloads its commitments."""

    template_name = "funding/budget.html"

    def get(self, request, code: str, year: int):
        pole = pole_for(request.user, code)
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS:
            return budget_export(pole=pole, year=year, file_format=file_format)
        return render(request, self.template_name, budget_context(request, pole, year))


class BudgetCurrentView(LoginRequiredMixin, View):
    def get(self, request, code: str):
        pole = pole_for(request.user, code)
        return redirect(budget_url(pole, timezone.localdate().year))


def _back(request, pole, year: int, message: str):
    messages.success(request, message)
    return redirect(budget_url(pole, year))


def _invalid(request, pole, year: int, **forms):
    return render(request, BudgetView.template_name, budget_context(request, pole, year, **forms), status=400)


class FunderCreateView(LoginRequiredMixin, View):
    def post(self, request, code: str, year: int):
        pole = pole_for(request.user, code)
        if not request.user.has_perm("funding.add_funder"):
            raise PermissionDenied
        form = FunderForm(request.POST, prefix="funder")
        if form.is_valid():
            try:
                funder = services.funder_create(
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    siret=form.cleaned_data["siret"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _back(
                    request, pole, year, _("%(name)s is registered as a funder.") % {"name": funder.name}
                )
        return _invalid(request, pole, year, funder_form=form)


class AllocationCreateView(LoginRequiredMixin, View):
    def post(self, request, code: str, year: int):
        pole = pole_for(request.user, code)
        funders = selectors.funders_listed()
        form = AllocationForm(request.POST, prefix="allocation", funders=funders)
        if not (request.user.has_perm("funding.manage_funding", pole) or request.user.is_inca_staff):
            raise PermissionDenied
        if form.is_valid():
            funder = funders.get(pk=form.cleaned_data["funder"])
            if not request.user.has_perm(
                "funding.manage_allocation", Allocation(funder=funder, canceropole=pole)
            ):
                raise PermissionDenied
            try:
                services.allocation_create(
                    funder=funder,
                    canceropole=pole,
                    year=year,
                    amount=form.cleaned_data["amount"],
                    purpose=form.cleaned_data["purpose"],
                    earmark=form.cleaned_data["earmark"],
                    reference=form.cleaned_data["reference"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _back(request, pole, year, _("The allocation is recorded."))
        return _invalid(request, pole, year, allocation_form=form)


class CommitmentCreateView(LoginRequiredMixin, View):
    def post(self, request, code: str, year: int):
        pole = pole_for(request.user, code, "funding.manage_funding")
        allocations = Allocation.objects.filter(canceropole=pole, year=year).select_related(
            "funder__organisation"
        )
        calls, projects, events = _calls_of(pole), _projects_of(pole), _events_of(pole)
        form = CommitmentForm(
            request.POST,
            prefix="commitment",
            allocations=allocations,
            calls=calls,
            projects=projects,
            events=events,
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.commitment_create(
                    allocation=allocations.get(pk=data["allocation"]),
                    kind=data["kind"],
                    amount=data["amount"],
                    call=calls.get(pk=data["call"]) if data["call"] else None,
                    project=projects.get(pk=data["project"]) if data["project"] else None,
                    event=events.get(pk=data["event"]) if data["event"] else None,
                    label=data["label"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _back(request, pole, year, _("The commitment is recorded."))
        return _invalid(request, pole, year, commitment_form=form)


def _commitment_for(user, pk: int) -> Commitment:
    commitment = get_object_or_404(
        selectors.commitments_visible_to(viewer=user).select_related("allocation__canceropole"), pk=pk
    )
    if not user.has_perm("funding.view_funding", commitment.allocation.canceropole):
        raise Http404
    if not user.has_perm("funding.manage_funding", commitment.allocation.canceropole):
        raise PermissionDenied
    return commitment


class CommitmentCancelView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        commitment = _commitment_for(request.user, pk)
        pole, year = commitment.allocation.canceropole, commitment.allocation.year
        try:
            services.commitment_cancel(commitment=commitment, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _invalid(request, pole, year)
        return _back(request, pole, year, _("The commitment is released."))


class DisbursementCreateView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        commitment = _commitment_for(request.user, pk)
        pole, year = commitment.allocation.canceropole, commitment.allocation.year
        form = DisbursementForm(request.POST, prefix=f"payment-{commitment.pk}")
        if form.is_valid():
            try:
                services.disbursement_schedule(
                    commitment=commitment,
                    amount=form.cleaned_data["amount"],
                    scheduled_on=form.cleaned_data["scheduled_on"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _back(request, pole, year, _("The payment is scheduled."))
        return _invalid(request, pole, year, payment_forms={commitment.pk: form})


def _disbursement_for(user, pk: int) -> Disbursement:
    disbursement = get_object_or_404(selectors.disbursements_visible_to(viewer=user), pk=pk)
    pole = disbursement.commitment.allocation.canceropole
    if not user.has_perm("funding.manage_funding", pole):
        raise PermissionDenied
    return disbursement


class DisbursementPayView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        disbursement = _disbursement_for(request.user, pk)
        allocation = disbursement.commitment.allocation
        form = PaymentForm(request.POST)
        paid_on = form.cleaned_data.get("paid_on") if form.is_valid() else None
        try:
            services.disbursement_pay(
                disbursement=disbursement,
                paid_on=paid_on,
                reference=form.cleaned_data.get("reference", "") if form.is_valid() else "",
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _invalid(request, allocation.canceropole, allocation.year)
        return _back(request, allocation.canceropole, allocation.year, _("The payment is marked as paid."))


class DisbursementCancelView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        disbursement = _disbursement_for(request.user, pk)
        allocation = disbursement.commitment.allocation
        try:
            services.disbursement_cancel(disbursement=disbursement, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _invalid(request, allocation.canceropole, allocation.year)
        return _back(request, allocation.canceropole, allocation.year, _("The payment is cancelled."))


def budget_export(*, pole, year: int, file_format: str):
    """The budget's commitments, one row each (awards under their envelope), with the allocation's figures."""
    budget = selectors.pole_budget(canceropole=pole, year=year)
    header = [
        _("Funder"),
        _("Kind of funder"),
        _("Allocation"),
        _("Allocated"),
        _("Commitment"),
        _("Kind"),
        _("Committed on"),
        _("Committed"),
        _("Awarded from the envelope"),
        _("Scheduled"),
        _("Paid"),
    ]
    rows = []
    for funder_line in budget.funders:
        for line in funder_line.allocations:
            allocation = line.allocation
            base = [
                funder_line.funder.name,
                funder_line.funder.get_kind_display(),
                allocation.purpose,
                allocation.amount,
            ]
            if not line.commitments:
                rows.append([*base, "", "", "", None, None, None, None])
            for commitment_line in line.commitments:
                for item in [commitment_line, *commitment_line.awards]:
                    commitment = item.commitment
                    rows.append(
                        [
                            *base,
                            describe(commitment),
                            commitment.get_kind_display(),
                            commitment.committed_on,
                            commitment.amount,
                            item.awarded if item.is_envelope else None,
                            item.scheduled,
                            item.paid,
                        ]
                    )
    return exports.export_response(
        file_format=file_format,
        filename=f"budget-{pole.code.lower()}-{year}",
        sheet_title=f"{pole.code} {year}",
        columns=header,
        rows=rows,
    )


def describe(commitment: Commitment) -> str:
    """What a commitment pays for, in words."""
    if commitment.kind == CommitmentKind.ENVELOPE and commitment.call_id:
        return _("Envelope of %(call)s") % {"call": commitment.call.reference}
    if commitment.project_id:
        return commitment.project.title
    if commitment.event_id and not commitment.label:
        return str(commitment.event)
    if commitment.mobility_grant_id:
        grant = commitment.mobility_grant
        return _("Mobility: %(who)s at %(host)s") % {"who": grant.applicant, "host": grant.host_institution}
    return commitment.label


# The grants published in the 360Giving standard -----------------------------------------------------------

GRANTS_PER_PAGE = 50


class GrantsView(View):
    """Public: what the package holds, with the grants listed and the links to its JSON and CSV."""

    def get(self, request):
        data = json.loads(giving.cached("json"))
        items = data["grants"]
        page = Paginator(items, GRANTS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "count": len(items),
            "cofunded": sum(1 for g in items if len(g["fundingOrganization"]) > 1),
            "modified": data["modified"][:10],
        }
        return render(request, "funding/grants.html", context)


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={giving.CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def grants_json(request):
    return _public(HttpResponse(giving.cached("json"), content_type="application/json; charset=utf-8"))


def grants_csv(request):
    response = HttpResponse(giving.cached("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="canceropoles-360giving.csv"'
    return _public(response)
