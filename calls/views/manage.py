"""The pole's management of its calls: list and creation, a call's applications and screening, reviewers
and assignments, the ranking board and decisions, the outbox of decision e-mails.

Open to the pole's staff (who act) and INCa staff (who read: every POST checks ``calls.manage_call``).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from calls import selectors, services
from calls.assignment import suggest_assignments
from calls.forms import (
    AssignForm,
    CallForm,
    DecisionForm,
    OutboxMessageForm,
    PoolForm,
    ScreenForm,
    errors_from,
)
from calls.models import Application, ApplicationStatus, OutboxMessage, ReviewAssignment
from calls.views._shared import call_followed, require
from canceropoles.models import Canceropole


def manage_url(call) -> str:
    return reverse("calls:manage", args=[call.reference])


def _pole(user, code: str) -> Canceropole:
    pole = get_object_or_404(Canceropole, code=code.upper())
    if not user.has_perm("calls.follow_call", pole):
        raise Http404
    return pole


class PoleCallsView(LoginRequiredMixin, View):
    def get(self, request, code):
        pole = _pole(request.user, code)
        calls = selectors.calls_followed_by(user=request.user).filter(canceropole=pole)
        return render(
            request,
            "calls/pole.html",
            {"pole": pole, "calls": calls, "can_manage": request.user.has_perm("calls.manage_call", pole)},
        )


class CallCreateView(LoginRequiredMixin, View):
    def get(self, request, code):
        pole = _pole(request.user, code)
        require(request.user, "calls.manage_call", pole)
        form = CallForm(
            initial={"reviewers_per_application": 2, "reviewer_load_cap": 6, "max_duration_months": 12}
        )
        return render(request, "calls/call_form.html", {"pole": pole, "form": form, "call": None})

    def post(self, request, code):
        pole = _pole(request.user, code)
        require(request.user, "calls.manage_call", pole)
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call = services.call_create(canceropole=pole, by=request.user, **form.service_fields())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Call created as a draft. Check it, then publish it."))
                return HttpResponseRedirect(manage_url(call))
        return render(request, "calls/call_form.html", {"pole": pole, "form": form, "call": None}, status=400)


def _add_errors(form, error) -> None:
    for field, field_errors in errors_from(error).items():
        form.add_error(field if field in form.fields else None, field_errors)


class CallEditView(LoginRequiredMixin, View):
    def get(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        form = CallForm(initial=CallForm.initial_from(call))
        return render(request, "calls/call_form.html", {"pole": call.canceropole, "form": form, "call": call})

    def post(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call = services.call_update(call=call, by=request.user, **form.service_fields())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Call saved."))
                return HttpResponseRedirect(manage_url(call))
        context = {"pole": call.canceropole, "form": form, "call": call}
        return render(request, "calls/call_form.html", context, status=400)


def render_manage(request, call, *, status=200, errors=None):
    applications = list(selectors.applications_of_call(call=call))
    context = {
        "call": call,
        "applications": applications,
        "can_manage": request.user.has_perm("calls.manage_call", call),
        "errors": errors or {},
        "screen_form": ScreenForm(),
        "counts": {
            "submitted": sum(1 for a in applications if a.status == ApplicationStatus.SUBMITTED),
            "total": len(applications),
        },
    }
    return render(request, "calls/manage.html", context, status=status)


class CallManageView(LoginRequiredMixin, View):
    def get(self, request, reference):
        return render_manage(request, call_followed(request.user, reference))


class CallPublishView(LoginRequiredMixin, View):
    def post(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        try:
            services.call_publish(call=call, by=request.user)
        except ValidationError as error:
            return render_manage(request, call, status=400, errors=errors_from(error))
        messages.success(request, _("Call published."))
        return HttpResponseRedirect(manage_url(call))


def _application_of(call, pk) -> Application:
    try:
        return selectors.applications_of_call(call=call).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


class ScreenView(LoginRequiredMixin, View):
    def post(self, request, reference, pk):
        call = call_followed(request.user, reference)
        application = _application_of(call, pk)
        require(request.user, "calls.screen_application", application)
        form = ScreenForm(request.POST)
        inviting = request.POST.get("action") == "invite"
        if not inviting and not form.is_valid():
            return render_manage(
                request, call, status=400, errors={"eligible": [_("Choose eligible or ineligible.")]}
            )
        try:
            if inviting:
                services.application_invite_full(application=application, by=request.user)
            else:
                services.application_screen(
                    application=application,
                    by=request.user,
                    eligible=form.cleaned_data["eligible"],
                    comment=form.cleaned_data["comment"],
                )
        except ValidationError as error:
            return render_manage(request, call, status=400, errors=errors_from(error))
        if inviting:
            messages.success(
                request, _("Application %(code)s invited to the full stage.") % {"code": application.code}
            )
        else:
            messages.success(request, _("Application %(code)s screened.") % {"code": application.code})
        return HttpResponseRedirect(manage_url(call))


def render_reviewers(request, call, *, status=200, errors=None, suggest=False):
    pool = list(selectors.reviewer_pool(canceropole_id=call.canceropole_id))
    loads = selectors.reviewer_loads(call=call)
    applications = [
        a
        for a in selectors.applications_of_call(call=call)
        if a.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)
    ]
    context = {
        "call": call,
        "pool": [(entry, loads.get(entry.user_id, 0)) for entry in pool],
        "applications": applications,
        "assignments": list(selectors.assignments_of_call(call=call)),
        "can_manage": request.user.has_perm("calls.manage_call", call),
        "errors": errors or {},
        "pool_form": PoolForm(),
        "assign_form": AssignForm(),
    }
    if suggest:
        context["suggestions"], context["short"] = suggest_assignments(call=call, pool=pool)
    return render(request, "calls/reviewers.html", context, status=status)


class ReviewersView(LoginRequiredMixin, View):
    """Pool, assignments (manual, or the suggested balanced set), withdrawal."""

    def get(self, request, reference):
        call = call_followed(request.user, reference)
        return render_reviewers(request, call, suggest=request.GET.get("suggest") == "1")

    def post(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        action = request.POST.get("action", "")
        handler = {
            "pool": self._pool,
            "assign": self._assign,
            "apply": self._apply,
            "withdraw": self._withdraw,
        }.get(action)
        if handler is None:
            return render_reviewers(
                request, call, status=400, errors={"action": [_("Choose one of the buttons.")]}
            )
        try:
            message = handler(request, call)
        except ValidationError as error:
            return render_reviewers(request, call, status=400, errors=errors_from(error))
        messages.success(request, message)
        return HttpResponseRedirect(reverse("calls:reviewers", args=[call.reference]))

    def _pool(self, request, call) -> str:
        form = PoolForm(request.POST)
        if not form.is_valid():
            raise ValidationError({"email": [_("Enter the e-mail address of an account.")]})
        user = (
            get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        )
        if user is None:
            raise ValidationError({"email": [_("No active account has this e-mail address.")]})
        services.reviewer_add(
            canceropole=call.canceropole, user=user, expertise=form.cleaned_data["expertise"], by=request.user
        )
        return _("%(name)s is in the pool.") % {"name": user}

    def _assign(self, request, call) -> str:
        form = AssignForm(request.POST)
        if not form.is_valid():
            raise ValidationError({"reviewer": [_("Choose an application and a reviewer.")]})
        application = _application_of(call, form.cleaned_data["application"])
        reviewer = selectors.reviewer_pool(canceropole_id=call.canceropole_id).filter(
            user_id=form.cleaned_data["reviewer"]
        )
        entry = reviewer.first()
        if entry is None:
            raise ValidationError({"reviewer": [_("This person is not in the pole's reviewer pool.")]})
        services.assignment_create(
            application=application,
            reviewer=entry.user,
            by=request.user,
            due_date=form.cleaned_data["due_date"],
        )
        return _("%(name)s assigned to %(code)s.") % {"name": entry.user, "code": application.code}

    def _apply(self, request, call) -> str:
        pairs = []
        users = {
            entry.user_id: entry.user for entry in selectors.reviewer_pool(canceropole_id=call.canceropole_id)
        }
        for raw in request.POST.getlist("pair"):
            try:
                application_id, user_id = (int(part) for part in raw.split(":"))
            except ValueError:
                raise ValidationError({"pair": [_("The suggestion was altered: suggest again.")]}) from None
            if user_id not in users:
                raise ValidationError({"reviewer": [_("This person is not in the pole's reviewer pool.")]})
            pairs.append((_application_of(call, application_id), users[user_id]))
        if not pairs:
            raise ValidationError({"pair": [_("There is no suggestion to apply.")]})
        with transaction.atomic():
            services.assignments_apply(pairs=pairs, by=request.user)
        return ngettext("%(n)s assignment made.", "%(n)s assignments made.", len(pairs)) % {"n": len(pairs)}

    def _withdraw(self, request, call) -> str:
        try:
            assignment = ReviewAssignment.objects.get(
                pk=request.POST.get("assignment"), application__call=call
            )
        except (ReviewAssignment.DoesNotExist, ValueError):
            raise Http404 from None
        services.assignment_withdraw(assignment=assignment, by=request.user)
        return _("Assignment withdrawn.")


def render_ranking(request, call, *, status=200, errors=None, failed_pk=None, failed_form=None):
    rows = selectors.ranking(call=call)
    awarded = selectors.awarded_total(call=call)
    pending = sum(1 for row in rows if row.decision is not None and row.decision.published_at is None)
    context = {
        "call": call,
        "rows": rows,
        "awarded": awarded,
        "remaining": call.envelope - awarded,
        "pending": pending,
        "can_manage": request.user.has_perm("calls.manage_call", call),
        "errors": errors or {},
        "failed_pk": failed_pk,
        "failed_form": failed_form,
        "decision_form": DecisionForm(),
    }
    return render(request, "calls/ranking.html", context, status=status)


class RankingView(LoginRequiredMixin, View):
    def get(self, request, reference):
        return render_ranking(request, call_followed(request.user, reference))


class DecideView(LoginRequiredMixin, View):
    def post(self, request, reference, pk):
        call = call_followed(request.user, reference)
        application = _application_of(call, pk)
        require(request.user, "calls.decide_application", application)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return render_ranking(request, call, status=400, failed_pk=pk, failed_form=form)
        try:
            services.application_decide(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return render_ranking(request, call, status=400, failed_pk=pk, failed_form=form)
        messages.success(
            request, _("Decision recorded for %(code)s (not published yet).") % {"code": application.code}
        )
        return HttpResponseRedirect(reverse("calls:ranking", args=[call.reference]) + f"#row-{pk}")


class PublishDecisionsView(LoginRequiredMixin, View):
    def post(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        try:
            n = services.decisions_publish(call=call, by=request.user)
        except ValidationError as error:
            return render_ranking(request, call, status=400, errors=errors_from(error))
        messages.success(
            request,
            ngettext(
                "%(n)s decision published. Review the e-mail in the outbox, then send it.",
                "%(n)s decisions published. Review the e-mails in the outbox, then send them.",
                n,
            )
            % {"n": n},
        )
        return HttpResponseRedirect(reverse("calls:outbox", args=[call.reference]))


def render_outbox(request, call, *, status=200, errors=None, failed_pk=None, failed_form=None):
    context = {
        "call": call,
        "outbox": list(selectors.outbox_of(call=call)),
        "can_manage": request.user.has_perm("calls.manage_call", call),
        "errors": errors or {},
        "failed_pk": failed_pk,
        "failed_form": failed_form,
    }
    return render(request, "calls/outbox.html", context, status=status)


class OutboxView(LoginRequiredMixin, View):
    def get(self, request, reference):
        return render_outbox(request, call_followed(request.user, reference))

    def post(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        try:
            n = services.outbox_send(call=call, by=request.user)
        except ValidationError as error:
            return render_outbox(request, call, status=400, errors=errors_from(error))
        messages.success(request, ngettext("%(n)s e-mail sent.", "%(n)s e-mails sent.", n) % {"n": n})
        return HttpResponseRedirect(reverse("calls:outbox", args=[call.reference]))


class OutboxEditView(LoginRequiredMixin, View):
    def post(self, request, reference, pk):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        message = get_object_or_404(OutboxMessage, pk=pk, call=call)
        form = OutboxMessageForm(request.POST)
        if form.is_valid():
            try:
                services.outbox_message_update(message=message, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("E-mail saved."))
                return HttpResponseRedirect(reverse("calls:outbox", args=[call.reference]) + f"#message-{pk}")
        return render_outbox(request, call, status=400, failed_pk=pk, failed_form=form)


class CallArchiveView(LoginRequiredMixin, View):
    def post(self, request, reference):
        call = call_followed(request.user, reference)
        require(request.user, "calls.manage_call", call)
        try:
            services.call_archive(call=call, by=request.user)
        except ValidationError as error:
            return render_manage(request, call, status=400, errors=errors_from(error))
        messages.success(request, _("Call archived."))
        return HttpResponseRedirect(manage_url(call))
