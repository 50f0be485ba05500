"""The researcher's pages: start an application, the form (drafts, team, budget, PDFs, eligibility
explained field by field, submit), "my applications", and the permission-checked download of a PDF."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from calls import attachments as files
from calls import selectors, services
from calls.eligibility import eligibility_checks
from calls.forms import (
    ApplicationForm,
    ApplyForm,
    AttachmentForm,
    BudgetFormSet,
    TeamFormSet,
    errors_from,
)
from calls.models import ApplicationStatus, Attachment
from calls.views._shared import application_visible, call_visible, require


def application_url(application) -> str:
    return reverse("calls:application", args=[application.pk])


class ApplyView(LoginRequiredMixin, View):
    """POST: start a draft on an open call, then go to its form."""

    def post(self, request, reference):
        call = call_visible(request.user, reference)
        require(request.user, "calls.apply", call)
        form = ApplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the project a title."))
            return HttpResponseRedirect(reverse("calls:detail", args=[call.reference]))
        try:
            application = services.application_create(
                call=call, applicant=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            for message_list in errors_from(error).values():
                for message in message_list:
                    messages.error(request, message)
            return HttpResponseRedirect(reverse("calls:detail", args=[call.reference]))
        return HttpResponseRedirect(application_url(application))


class MyApplicationsView(LoginRequiredMixin, TemplateView):
    template_name = "calls/my_applications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["applications"] = selectors.applications_of(user=self.request.user)
        return context


def _team_initial(application) -> list[dict]:
    return [
        {"first_name": m.first_name, "last_name": m.last_name, "email": m.email, "role": m.role, "lab": m.lab}
        for m in application.team.all()
    ]


def _budget_initial(application) -> list[dict]:
    return [
        {"category": line.category, "description": line.description, "amount": line.amount}
        for line in application.budget_lines.all()
    ]


def render_application(request, application, *, status=200, **overrides):
    """The application page: an editable form for its applicant while a draft, read-only otherwise."""
    user = request.user
    editable = application.status == ApplicationStatus.DRAFT and user.has_perm(
        "calls.edit_application", application
    )
    context = {
        "application": application,
        "call": application.call,
        "editable": editable,
        "is_applicant": application.applicant_id == user.pk,
        "attachments": list(application.attachments.all()),
        "team": list(application.team.all()),
        "budget_lines": list(application.budget_lines.all()),
        "errors": {},
        "upload_errors": {},
    }
    if editable:
        context["form"] = ApplicationForm(
            initial={
                "title": application.title,
                "acronym": application.acronym,
                "lab": application.lab,
                "requested_amount": application.requested_amount,
                "duration_months": application.duration_months,
                "abstract": application.abstract,
                "keywords": application.keywords,
            }
        )
        context["team_formset"] = TeamFormSet(initial=_team_initial(application), prefix="team")
        context["budget_formset"] = BudgetFormSet(initial=_budget_initial(application), prefix="budget")
        context["upload_form"] = AttachmentForm()
        context["checks"] = eligibility_checks(application)
    elif context["is_applicant"] and application.eligibility_report:
        context["checks_report"] = application.eligibility_report
    context.update(overrides)
    if editable:
        _share_lab_choices(context)
    return render(request, "calls/application.html", context, status=status)


def _share_lab_choices(context) -> None:
    """Read the labs once for every lab menu of the page (the project's and each team member's)."""
    form = context["form"]
    choices = [choice for choice in form.fields["lab"].choices]  # noqa: C416 (list() would COUNT first)
    form.fields["lab"].choices = choices
    for member in context["team_formset"].forms:
        member.fields["lab"].choices = choices


class ApplicationView(LoginRequiredMixin, View):
    """GET: the application. POST (its applicant, while a draft): save the draft."""

    def get(self, request, pk):
        return render_application(request, application_visible(request.user, pk))

    def post(self, request, pk):
        application = application_visible(request.user, pk)
        require(request.user, "calls.edit_application", application)
        form = ApplicationForm(request.POST)
        team = TeamFormSet(request.POST, prefix="team")
        budget = BudgetFormSet(request.POST, prefix="budget")
        if not (form.is_valid() and team.is_valid() and budget.is_valid()):
            return render_application(
                request, application, status=400, form=form, team_formset=team, budget_formset=budget
            )
        try:
            services.application_update(
                application=application,
                by=request.user,
                team=[f.cleaned_data for f in team.forms if f.cleaned_data],
                budget_lines=[f.cleaned_data for f in budget.forms if f.cleaned_data],
                **form.cleaned_data,
            )
        except ValidationError as error:
            errors = errors_from(error)
            for field, field_errors in errors.items():
                if field in form.fields:
                    form.add_error(field, field_errors)
            return render_application(
                request,
                application,
                status=400,
                form=form,
                team_formset=team,
                budget_formset=budget,
                errors=errors,
            )
        messages.success(request, _("Draft saved."))
        return HttpResponseRedirect(application_url(application))


class SubmitView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = application_visible(request.user, pk)
        require(request.user, "calls.edit_application", application)
        try:
            services.application_submit(application=application, by=request.user)
        except ValidationError as error:
            return render_application(
                request,
                selectors.application_detail(pk=pk, user=request.user),
                status=400,
                errors=errors_from(error),
            )
        messages.success(request, _("Application submitted. You will find its status in “My applications”."))
        return HttpResponseRedirect(application_url(application))


class WithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = application_visible(request.user, pk)
        require(request.user, "calls.edit_application", application)
        try:
            services.application_withdraw(application=application, by=request.user)
        except ValidationError as error:
            return render_application(request, application, status=400, errors=errors_from(error))
        messages.success(request, _("Application withdrawn."))
        return HttpResponseRedirect(reverse("calls:my_applications"))


class AttachmentAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = application_visible(request.user, pk)
        require(request.user, "calls.edit_application", application)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return render_application(request, application, status=400, upload_form=form)
        try:
            services.attachment_add(
                application=application,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            errors = errors_from(error)
            form.add_error("file", [m for ms in errors.values() for m in ms])
            return render_application(request, application, status=400, upload_form=form)
        messages.success(request, _("File attached."))
        return HttpResponseRedirect(application_url(application) + "#attachments")


class AttachmentRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk, attachment_pk):
        application = application_visible(request.user, pk)
        require(request.user, "calls.edit_application", application)
        try:
            attachment = application.attachments.get(pk=attachment_pk)
        except Attachment.DoesNotExist:
            raise Http404 from None
        try:
            services.attachment_remove(attachment=attachment, by=request.user)
        except ValidationError as error:
            return render_application(request, application, status=400, errors=errors_from(error))
        messages.success(request, _("File removed."))
        return HttpResponseRedirect(application_url(application) + "#attachments")


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The only way to read an application's PDF: for whoever may see the application (else 404)."""

    def get(self, request, pk, attachment_pk):
        application = application_visible(request.user, pk)
        require(request.user, "calls.view_application", application)
        try:
            attachment = application.attachments.get(pk=attachment_pk)
        except Attachment.DoesNotExist:
            raise Http404 from None
        storage = files.private_storage()
        if not storage.exists(attachment.path):
            raise Http404
        response = FileResponse(
            storage.open(attachment.path, "rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
