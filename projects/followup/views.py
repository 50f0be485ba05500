"""Pages of the follow-up of funded projects: a pole's projects and outcomes (with CSV and XLSX), a
researcher's own projects, and the project page with its funders, team, outcomes and reports.

A project the user may not see is absent (404); a step the user may not take on a visible project is
forbidden (403). Each POST makes one service call and comes back to the project; a refusal comes back as
the message next to the field it names, with a 400, and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from canceropoles.models import Canceropole
from common import exports
from funding.forms import add_service_errors
from funding.models import Commitment
from projects.followup import selectors, services
from projects.followup.forms import OutcomeForm, ProjectForm, ReportForm, ReportSubmitForm, StatusForm
from projects.models import ProgressReport, Project


def pole_for(user, code: str) -> Canceropole:
    pole = get_object_or_404(Canceropole, code=code.upper())
    if not user.has_perm("projects.view_pole_projects", pole):
        raise Http404
    return pole


def project_for(user, pk: int, perm: str | None = None) -> Project:
    """The project if the user may see it (404 otherwise), and may take ``perm`` on it (403 otherwise)."""
    try:
        project = selectors.project_detail(viewer=user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    if perm and not user.has_perm(perm, project):
        raise PermissionDenied
    return project


def project_url(project) -> str:
    return reverse("followup:project", args=[project.pk])


class PoleProjectsView(LoginRequiredMixin, View):
    """A pole's projects, newest first; ``?format=csv`` or ``xlsx`` downloads them."""

    def get(self, request, code: str):
        pole = pole_for(request.user, code)
        projects = selectors.projects_of_pole(viewer=request.user, canceropole=pole)
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS:
            return projects_export(pole=pole, projects=projects, file_format=file_format)
        return render(request, "projects/followup/pole.html", self.context(request, pole, projects))

    @staticmethod
    def context(request, pole, projects, form=None) -> dict:
        may_manage = request.user.has_perm("projects.manage_project", pole)
        return {
            "pole": pole,
            "projects": list(projects),
            "may_manage": may_manage,
            "form": form or (ProjectForm() if may_manage else None),
        }


class ProjectCreateView(LoginRequiredMixin, View):
    """Enter a project directly (a national grant won later…)."""

    def post(self, request, code: str):
        pole = pole_for(request.user, code)
        if not request.user.has_perm("projects.manage_project", pole):
            raise PermissionDenied
        form = ProjectForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            lead = None
            if data["lead_email"]:
                lead = User.objects.filter(email=data["lead_email"].lower(), is_active=True).first()
                if lead is None:
                    form.add_error("lead_email", _("No account of the portal has this e-mail address."))
            if not form.errors:
                try:
                    project = services.project_create_direct(
                        canceropole=pole,
                        title=data["title"],
                        amount=data["amount"],
                        lead=lead,
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        by=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The project is recorded."))
                    return redirect(project_url(project))
        projects = selectors.projects_of_pole(viewer=request.user, canceropole=pole)
        return render(
            request,
            "projects/followup/pole.html",
            PoleProjectsView.context(request, pole, projects, form),
            status=400,
        )


class PoleOutcomesView(LoginRequiredMixin, View):
    """The outcomes of a pole's projects; ``?format=csv`` or ``xlsx`` downloads them."""

    def get(self, request, code: str):
        pole = pole_for(request.user, code)
        outcomes = selectors.outcomes_visible_to(viewer=request.user).filter(project__canceropole=pole)
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS:
            return outcomes_export(
                pole=pole, outcomes=outcomes.select_related("project"), file_format=file_format
            )
        return render(
            request,
            "projects/followup/outcomes.html",
            {"pole": pole, "outcomes": list(outcomes.select_related("project"))},
        )


class MyProjectsView(LoginRequiredMixin, View):
    def get(self, request):
        projects = list(selectors.projects_led_by(user=request.user))
        return render(request, "projects/followup/mine.html", {"projects": projects})


class ProjectView(View):
    """A project: public once published; its reports are its lead's, its pole's and INCa's."""

    def get(self, request, pk: int, **forms):
        return render(request, "projects/followup/project.html", self.context(request, pk, **forms))

    @staticmethod
    def context(request, pk: int, **forms) -> dict:
        user = request.user
        project = project_for(user, pk)
        follows = user.has_perm("projects.follow_project", project)
        may_report_outcome = user.has_perm("projects.report_outcome", project)
        may_manage = user.has_perm("projects.manage_project", project)
        commitments = list(
            Commitment.objects.filter(project=project)
            .select_related("allocation__funder__organisation")
            .order_by("allocation__funder__organisation__name", "id")
        )
        reports = list(project.reports.all()) if follows else []
        submit_forms = forms.get("submit_forms", {})
        for report in reports:
            report.submit_form = submit_forms.get(report.pk) or ReportSubmitForm(prefix=f"report-{report.pk}")
        return {
            "project": project,
            "commitments": commitments,
            "outcomes": list(project.outcomes.all()),
            "team": list(project.team.all()),
            "reports": reports,
            "follows": follows,
            "may_report_outcome": may_report_outcome,
            "may_submit": user.has_perm("projects.submit_report", project),
            "may_manage": may_manage,
            "outcome_form": forms.get("outcome_form") or (OutcomeForm() if may_report_outcome else None),
            "report_form": forms.get("report_form")
            or (ReportForm(prefix="schedule") if may_manage else None),
            "status_form": StatusForm(initial={"status": project.status}) if may_manage else None,
        }


def _invalid(request, project, **forms):
    return render(
        request,
        "projects/followup/project.html",
        ProjectView.context(request, project.pk, **forms),
        status=400,
    )


def _done(request, project, message: str):
    messages.success(request, message)
    return redirect(project_url(project))


class ProjectStatusView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        project = project_for(request.user, pk, "projects.manage_project")
        form = StatusForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError({"status": [_("Choose a status from the list.")]})
            services.project_set_status(project=project, status=form.cleaned_data["status"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _invalid(request, project)
        return _done(request, project, _("The project's status is changed."))


class OutcomeCreateView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        project = project_for(request.user, pk, "projects.report_outcome")
        form = OutcomeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            kind = data.pop("kind")
            try:
                services.outcome_add(project=project, kind=kind, by=request.user, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _done(request, project, _("The outcome is recorded."))
        return _invalid(request, project, outcome_form=form)


class OutcomeRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        outcome = get_object_or_404(selectors.outcomes_visible_to(viewer=request.user), pk=pk)
        project = project_for(request.user, outcome.project_id, "projects.report_outcome")
        services.outcome_remove(outcome=outcome, by=request.user)
        return _done(request, project, _("The outcome is removed."))


class ReportCreateView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        project = project_for(request.user, pk, "projects.manage_project")
        form = ReportForm(request.POST, prefix="schedule")
        if form.is_valid():
            try:
                services.report_add(
                    project=project,
                    kind=form.cleaned_data["kind"],
                    due_on=form.cleaned_data["due_on"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _done(request, project, _("The report is scheduled."))
        return _invalid(request, project, report_form=form)


class ReportScheduleView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        project = project_for(request.user, pk, "projects.manage_project")
        try:
            added = services.report_schedule_default(project=project, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _invalid(request, project)
        return _done(request, project, _("%(count)s reports scheduled.") % {"count": len(added)})


def _report_for(user, pk: int, perm: str) -> ProgressReport:
    report = get_object_or_404(selectors.reports_visible_to(viewer=user), pk=pk)
    if not user.has_perm(perm, report.project):
        raise PermissionDenied
    return report


class ReportSubmitView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        report = _report_for(request.user, pk, "projects.submit_report")
        form = ReportSubmitForm(request.POST, prefix=f"report-{report.pk}")
        if form.is_valid():
            try:
                services.report_submit(report=report, summary=form.cleaned_data["summary"], by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _done(request, report.project, _("The report is submitted."))
        return _invalid(request, report.project, submit_forms={report.pk: form})


class ReportAcceptView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        report = _report_for(request.user, pk, "projects.manage_project")
        try:
            services.report_accept(report=report, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _invalid(request, report.project)
        return _done(request, report.project, _("The report is accepted."))


# Downloads ------------------------------------------------------------------------------------------------


def projects_export(*, pole, projects, file_format: str):
    header = [
        _("Project"),
        _("Call"),
        _("Lead"),
        _("Lab"),
        _("Amount awarded"),
        _("Start date"),
        _("End date"),
        _("Status"),
        _("Published"),
        _("Outcomes"),
        _("Publications"),
        _("Reports due"),
    ]
    rows = [
        [
            p.title,
            p.call.reference if p.call_id else "",
            str(p.lead) if p.lead_id else "",
            p.lab.name if p.lab_id else "",
            p.amount_awarded,
            p.start_date,
            p.end_date,
            p.get_status_display(),
            _("yes") if p.published_at else _("no"),
            p.outcomes_count,
            p.publications_count,
            p.reports_due,
        ]
        for p in projects
    ]
    return exports.export_response(
        file_format=file_format,
        filename=f"projects-{pole.code.lower()}",
        sheet_title=f"{pole.code}",
        columns=header,
        rows=rows,
    )


def outcomes_export(*, pole, outcomes, file_format: str):
    header = [
        _("Project"),
        _("Kind"),
        _("Title"),
        _("Year"),
        _("DOI"),
        _("HAL identifier"),
        _("Funder"),
        _("Programme"),
        _("Amount"),
        _("Reference"),
        _("Partner"),
    ]
    rows = [
        [
            o.project.title,
            o.get_kind_display(),
            o.title,
            o.year,
            o.doi,
            o.hal_id,
            o.funder_name,
            o.programme,
            o.amount,
            o.reference,
            o.partner,
        ]
        for o in outcomes
    ]
    return exports.export_response(
        file_format=file_format,
        filename=f"outcomes-{pole.code.lower()}",
        sheet_title=f"{pole.code}",
        columns=header,
        rows=rows,
    )
