"""The reviewer's pages: their assignments, the conflict-of-interest declaration that gates access to an
application, then the review form (a score per criterion, comment, recommendation)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from calls import selectors, services
from calls.forms import DeclarationForm, ReviewForm, errors_from
from calls.models import AssignmentStatus, ReviewAssignment
from calls.views._shared import require


class MyAssignmentsView(LoginRequiredMixin, TemplateView):
    template_name = "calls/my_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = selectors.assignments_of(user=self.request.user)
        return context


def _assignment(user, pk) -> ReviewAssignment:
    try:
        return selectors.assignments_of(user=user).get(pk=pk)
    except ReviewAssignment.DoesNotExist:
        raise Http404 from None


def render_assignment(
    request, assignment, *, status=200, declaration_form=None, review_form=None, errors=None
):
    application = assignment.application
    call = application.call
    context = {"assignment": assignment, "application": None, "call": call, "errors": errors or {}}
    if assignment.status == AssignmentStatus.ASSIGNED:
        context["declaration_form"] = declaration_form or DeclarationForm()
    elif assignment.grants_access:
        # Access only now, after declaring no conflict: the application and its files, and the form.
        context["application"] = selectors.application_detail(pk=application.pk, user=request.user)
        criteria = list(call.criteria.all())
        review = getattr(assignment, "review", None)
        initial = {}
        if review is not None:
            initial = {"comment": review.comment, "recommendation": review.recommendation}
            initial.update({f"score_{s.criterion_id}": s.value for s in review.scores.all()})
        context["review"] = review
        context["criteria"] = criteria
        context["review_form"] = review_form or ReviewForm(
            initial=initial, criteria=criteria, scale_max=call.scale_max
        )
        context["can_edit_review"] = assignment.status == AssignmentStatus.ACCEPTED
    return render(request, "calls/assignment.html", context, status=status)


class AssignmentView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_assignment(request, _assignment(request.user, pk))

    def post(self, request, pk):
        assignment = _assignment(request.user, pk)
        action = request.POST.get("action", "")
        if action == "declare":
            require(request.user, "calls.declare_conflict", assignment)
            form = DeclarationForm(request.POST)
            if not form.is_valid():
                return render_assignment(request, assignment, status=400, declaration_form=form)
            try:
                services.assignment_declare(
                    assignment=assignment,
                    by=request.user,
                    conflict=form.cleaned_data["conflict"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                return render_assignment(request, assignment, status=400, errors=errors_from(error))
            if form.cleaned_data["conflict"]:
                messages.info(request, _("Conflict declared: the pole will ask another reviewer."))
                return HttpResponseRedirect(reverse("calls:my_reviews"))
            messages.success(request, _("No conflict declared: you can now read and score the application."))
            return HttpResponseRedirect(reverse("calls:assignment", args=[assignment.pk]))
        if action in ("save", "submit"):
            require(request.user, "calls.score_application", assignment)
            call = assignment.application.call
            form = ReviewForm(request.POST, criteria=list(call.criteria.all()), scale_max=call.scale_max)
            if not form.is_valid():
                return render_assignment(request, assignment, status=400, review_form=form)
            try:
                services.review_save(
                    assignment=assignment,
                    by=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    recommendation=form.cleaned_data["recommendation"],
                    submit=action == "submit",
                )
            except ValidationError as error:
                errors = errors_from(error)
                for field, field_errors in errors.items():
                    if field in form.fields:
                        form.add_error(field, field_errors)
                return render_assignment(request, assignment, status=400, review_form=form, errors=errors)
            messages.success(
                request, _("Review submitted. Thank you.") if action == "submit" else _("Review saved.")
            )
            return HttpResponseRedirect(reverse("calls:assignment", args=[assignment.pk]))
        return render_assignment(
            request, assignment, status=400, errors={"action": [_("Choose one of the buttons.")]}
        )
