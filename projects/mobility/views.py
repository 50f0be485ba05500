"""Pages of the mobility grants: the open sessions and the researcher's own grants, the application form,
a grant's page with the step each reader may take (approve, refuse, stay done, report, pay, withdraw),
and a pole's grants with their CSV and XLSX.

A grant the user may not see is absent (404); a step the user may not take is forbidden (403). Each POST
makes one service call; a refusal comes back as the message next to the field it names, with a 400, and
changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canceropoles.models import Canceropole, Organisation
from common import exports
from funding.forms import add_service_errors
from projects.mobility import selectors, services
from projects.mobility.forms import (
    ApplyForm,
    DecisionForm,
    ReportForm,
    SessionForm,
    StatusFilterForm,
    StayForm,
)
from projects.models import MobilityGrant, MobilitySession, MobilityStatus


def _labs():
    return Organisation.objects.filter(kind=Organisation.Kind.LAB).order_by("name")


def grant_url(grant) -> str:
    return reverse("mobility:grant", args=[grant.pk])


class MobilityIndexView(View):
    """The sessions open today (every pole), and the signed-in researcher's own grants."""

    def get(self, request):
        user = request.user
        mine = []
        if user.is_authenticated:
            mine = list(
                selectors.grants_visible_to(viewer=user).filter(applicant=user).order_by("-created_at")
            )
        return render(
            request,
            "projects/mobility/index.html",
            {"sessions": list(selectors.sessions_open(today=timezone.localdate())), "mine": mine},
        )


class ApplyView(LoginRequiredMixin, View):
    template_name = "projects/mobility/apply.html"

    def _session(self, pk: int) -> MobilitySession:
        session = get_object_or_404(MobilitySession.objects.select_related("canceropole"), pk=pk)
        if not self.request.user.has_perm("projects.apply_mobility", session):
            raise PermissionDenied
        return session

    def get(self, request, pk: int):
        session = self._session(pk)
        person = getattr(request.user, "person", None)
        initial = {"home_lab": person.lab_id} if person and person.lab_id else {}
        form = ApplyForm(labs=_labs(), initial={**initial, "amount_requested": session.ceiling})
        return render(request, self.template_name, {"session": session, "form": form})

    def post(self, request, pk: int):
        session = self._session(pk)
        labs = _labs()
        form = ApplyForm(request.POST, labs=labs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.mobility_apply(
                    session=session,
                    applicant=request.user,
                    home_lab=labs.get(pk=data["home_lab"]),
                    host_institution=data["host_institution"],
                    host_city=data["host_city"],
                    host_country=data["host_country"],
                    purpose=data["purpose"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    amount_requested=data["amount_requested"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your application is sent to the pole."))
                return redirect(grant_url(grant))
        return render(request, self.template_name, {"session": session, "form": form}, status=400)


def grant_for(user, pk: int) -> MobilityGrant:
    try:
        return selectors.grant_detail(viewer=user, pk=pk)
    except MobilityGrant.DoesNotExist:
        raise Http404 from None


class GrantView(LoginRequiredMixin, View):
    template_name = "projects/mobility/grant.html"

    def get(self, request, pk: int):
        return render(request, self.template_name, self.context(request, grant_for(request.user, pk)))

    @staticmethod
    def context(request, grant, **forms) -> dict:
        user = request.user
        may_decide = user.has_perm("projects.decide_mobility_grant", grant)
        may_report = user.has_perm("projects.report_mobility_stay", grant)
        status = grant.status
        return {
            "grant": grant,
            "transitions": list(grant.transitions.all()),
            "may_decide": may_decide and status == MobilityStatus.APPLIED,
            "may_declare_stay": may_report and status == MobilityStatus.APPROVED,
            "may_send_report": may_report and status == MobilityStatus.STAY_DONE,
            "may_pay": may_decide and status == MobilityStatus.REPORT_RECEIVED,
            "may_withdraw": grant.applicant_id == user.pk
            and status in (MobilityStatus.APPLIED, MobilityStatus.APPROVED),
            "decision_form": forms.get("decision_form")
            or DecisionForm(initial={"amount": grant.amount_requested}, prefix="decision"),
            "stay_form": forms.get("stay_form")
            or StayForm(initial={"start_date": grant.start_date, "end_date": grant.end_date}, prefix="stay"),
            "report_form": forms.get("report_form") or ReportForm(prefix="report"),
        }


STEPS = {
    # step: (permission, form class and prefix or None)
    "approve": ("projects.decide_mobility_grant", DecisionForm, "decision"),
    "refuse": ("projects.decide_mobility_grant", DecisionForm, "decision"),
    "stay-done": ("projects.report_mobility_stay", StayForm, "stay"),
    "report": ("projects.report_mobility_stay", ReportForm, "report"),
    "pay": ("projects.decide_mobility_grant", None, None),
    "withdraw": ("projects.view_mobility_grant", None, None),
}
FORM_CONTEXT = {"decision": "decision_form", "stay": "stay_form", "report": "report_form"}


class GrantStepView(LoginRequiredMixin, View):
    """One step of a grant's workflow, by the button that names it."""

    def post(self, request, pk: int, step: str):
        if step not in STEPS:
            raise Http404
        grant = grant_for(request.user, pk)
        perm, form_class, prefix = STEPS[step]
        if not request.user.has_perm(perm, grant):
            raise PermissionDenied
        if step == "withdraw" and grant.applicant_id != request.user.pk:
            raise PermissionDenied
        form = form_class(request.POST, prefix=prefix) if form_class else None
        if form is not None and not form.is_valid():
            return self._invalid(request, grant, prefix, form)
        data = form.cleaned_data if form is not None else {}
        try:
            if step == "approve":
                services.mobility_approve(
                    grant=grant, amount=data["amount"], comment=data["comment"], by=request.user
                )
            elif step == "refuse":
                services.mobility_refuse(grant=grant, comment=data["comment"], by=request.user)
            elif step == "stay-done":
                services.mobility_stay_done(
                    grant=grant, start_date=data["start_date"], end_date=data["end_date"], by=request.user
                )
            elif step == "report":
                services.mobility_report_submit(grant=grant, report=data["report"], by=request.user)
            elif step == "pay":
                services.mobility_pay(grant=grant, by=request.user)
            else:
                services.mobility_withdraw(grant=grant, by=request.user)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                add_service_errors(form, error)
            return self._invalid(request, grant, prefix, form)
        messages.success(
            request,
            _("The grant is now “%(status)s”.")
            % {"status": grant_for(request.user, pk).get_status_display()},
        )
        return redirect(grant_url(grant))

    @staticmethod
    def _invalid(request, grant, prefix, form):
        forms = {FORM_CONTEXT[prefix]: form} if form is not None else {}
        context = GrantView.context(request, grant_for(request.user, grant.pk), **forms)
        return render(request, GrantView.template_name, context, status=400)


def pole_for(user, code: str) -> Canceropole:
    pole = get_object_or_404(Canceropole, code=code.upper())
    if not user.has_perm("projects.view_pole_mobility", pole):
        raise Http404
    return pole


class PoleGrantsView(LoginRequiredMixin, View):
    """A pole's mobility grants, filtered by status; ``?format=csv`` or ``xlsx`` downloads them."""

    template_name = "projects/mobility/pole.html"

    def get(self, request, code: str, session_form=None, status: int = 200):
        pole = pole_for(request.user, code)
        filters = StatusFilterForm(request.GET or None)
        grants = (
            selectors.grants_visible_to(viewer=request.user)
            .filter(canceropole=pole)
            .order_by("-created_at", "id")
        )
        if filters.is_valid() and filters.cleaned_data["status"]:
            grants = grants.filter(status=filters.cleaned_data["status"])
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS:
            return grants_export(pole=pole, grants=grants, file_format=file_format)
        may_manage = request.user.has_perm("projects.manage_mobility", pole)
        context = {
            "pole": pole,
            "grants": list(grants),
            "filters": filters,
            "sessions": list(selectors.sessions_of_pole(canceropole=pole)),
            "may_manage": may_manage,
            "session_form": session_form
            or (SessionForm(initial={"year": timezone.localdate().year}) if may_manage else None),
            "query": request.GET.urlencode(),
        }
        return render(request, self.template_name, context, status=status)


class SessionCreateView(LoginRequiredMixin, View):
    def post(self, request, code: str):
        pole = pole_for(request.user, code)
        if not request.user.has_perm("projects.manage_mobility", pole):
            raise PermissionDenied
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.mobility_session_create(canceropole=pole, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The session is open for applications on its dates."))
                return redirect(reverse("mobility:pole", args=[pole.code]))
        request.GET = request.GET.copy()
        return PoleGrantsView().get(request, code, session_form=form, status=400)


def grants_export(*, pole, grants, file_format: str):
    header = [
        _("Applicant"),
        _("Home lab"),
        _("Host lab or institution"),
        _("Host country"),
        _("Session"),
        _("Start"),
        _("End"),
        _("Days"),
        _("Requested"),
        _("Approved"),
        _("Status"),
        _("Paid on"),
    ]
    rows = [
        [
            str(g.applicant),
            g.home_lab.name,
            g.host_institution,
            g.host_country,
            f"{g.session.year}-{g.session.number}",
            g.start_date,
            g.end_date,
            g.duration_days,
            g.amount_requested,
            g.amount_approved,
            g.get_status_display(),
            g.paid_on,
        ]
        for g in grants
    ]
    return exports.export_response(
        file_format=file_format,
        filename=f"mobility-{pole.code.lower()}",
        sheet_title=f"{pole.code}",
        columns=header,
        rows=rows,
    )
