"""Decisions on indicator values: the director's approval page and INCa's review queue, one value at a
time (in place, with htmx) or in bulk (all or none, cop_contracts.services.decisions).

Beside each value, wherever someone decides on it: the previous year's value, the target, flags (a large
move from N-1, far off target), numerator and denominator, the indicator's definition, and the value's
whole history with every comment (selectors.decision_context: three queries whatever the rows).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from common.errors import TransitionError
from cop_contracts import selectors, services
from cop_contracts.forms import DecisionForm, ReviewFilterForm, errors_from
from cop_contracts.models import IndicatorValue, Target, ValueStatus, ValueTransition
from cop_contracts.progress import Flag, value_flags
from cop_contracts.review_forms import ApprovalBulkForm, ApprovalFilterForm, ReviewBulkForm
from cop_contracts.views._shared import ContractMixin, is_htmx

REVIEW_PAGE_SIZE = 50
# At most this many values in one bulk decision "across the filter": a larger act is refused with the
# reason, rather than holding a thousand row locks at once.
BULK_LIMIT = 1000


@dataclass
class DecisionRow:
    value: IndicatorValue
    target: Target | None = None
    previous: IndicatorValue | None = None
    flags: list[Flag] = field(default_factory=list)
    history: list[ValueTransition] = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    comment: str = ""
    done: str = ""  # what just happened to the value, announced in place of the form

    @property
    def dom_id(self) -> str:
        return f"decision-{self.value.pk}"

    @property
    def other_errors(self) -> list[str]:
        return [m for name, ms in self.errors.items() if name != "comment" for m in ms]


DONE_MESSAGES = {action: decision.done for action, decision in services.DECISIONS.items()}


def _with_context(rows: list[DecisionRow]) -> list[DecisionRow]:
    context = selectors.decision_context(values=[row.value for row in rows])
    for row in rows:
        value = row.value
        row.target = context.target_of(value)
        row.previous = context.previous_of(value)
        row.history = context.history.get(value.pk, [])
        row.flags = value_flags(
            direction=value.indicator.direction,
            value=value.value,
            previous=row.previous.value if row.previous else None,
            previous_year=value.year - 1,
            target=row.target.value if row.target else None,
        )
    return rows


def _decision_rows(values, override: DecisionRow | None = None) -> list[DecisionRow]:
    rows = []
    for value in values:
        rows.append(
            override if override is not None and override.value.pk == value.pk else DecisionRow(value)
        )
    if override is not None and all(row.value.pk != override.value.pk for row in rows):
        rows.append(override)  # the value left the list (decided meanwhile): keep it with its message
    return _with_context(rows)


def _failures(error: TransitionError) -> list:
    if isinstance(error, services.BulkDecisionError):
        return [(failure.value.pk, failure.value, failure.messages) for failure in error.failures]
    return [(None, None, [m for ms in errors_from(error).values() for m in ms])]


def _query_suffix(request) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""


class DecisionMixin:
    """POST of one decision on a value, answered with the row's decision cell (htmx) or the whole page."""

    allowed_actions: tuple[str, ...] = ()
    from_status = ""
    decision_template = ""

    def get_value(self, pk) -> IndicatorValue:
        raise NotImplementedError

    def render_page(self, *, override: DecisionRow | None = None, status: int = 200, **kwargs):
        raise NotImplementedError

    def success_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, pk, **kwargs):
        value = self.get_value(pk)
        form = DecisionForm(request.POST)
        action = request.POST.get("action", "")
        row = DecisionRow(value=value, comment=request.POST.get("comment", ""))
        if not form.is_valid() or action not in self.allowed_actions:
            row.errors = {"action": [_("Choose one of the buttons.")], **dict(form.errors)}
            return self.respond(row, status=400)
        try:
            updated = services.indicator_value_decide(
                value=value,
                by=request.user,
                action=action,
                comment=row.comment,
                expected_status=self.from_status,
            )
        except TransitionError as error:
            row.errors = errors_from(error)
            if "reason" in row.errors:
                row.errors.setdefault("comment", []).extend(row.errors.pop("reason"))
            return self.respond(row, status=400)
        row.value, row.comment, row.done = updated, "", str(DONE_MESSAGES[action])
        if is_htmx(request):
            return self.respond(row, status=200)
        messages.success(request, f"{updated.indicator.code} {updated.year}: {row.done}")
        return HttpResponseRedirect(self.success_url())

    def respond(self, row: DecisionRow, *, status: int):
        if is_htmx(self.request):
            _with_context([row])
            context = {"row": row, "oob": True, **self.decision_context()}
            return render(self.request, self.decision_template, context, status=status)
        return self.render_page(override=row, status=status)

    def decision_context(self) -> dict:
        return {}


class ApprovalView(ContractMixin, DecisionMixin, View):
    """The director's page: the pole's submitted values (or another status), filtered by year and
    mission, to approve or send back one by one or all the ticked ones at once."""

    template_name = "cop_contracts/approval.html"
    decision_template = "cop_contracts/approval.html#decision"
    allowed_actions = ("approve", "send_back")
    from_status = ValueStatus.SUBMITTED

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def get_value(self, pk) -> IndicatorValue:
        return get_object_or_404(
            IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission"),
            pk=pk,
            contract=self.get_contract(),
        )

    def may_approve(self) -> bool:
        return self.request.user.has_perm("cop_contracts.approve_value", self.get_contract())

    def decision_context(self) -> dict:
        return {"may_approve": self.may_approve()}

    def success_url(self) -> str:
        contract = self.get_contract()
        url = reverse("cop_contracts:approval", args=[contract.canceropole.code, contract.first_year])
        return url + _query_suffix(self.request)

    def render_page(self, *, override=None, status=200, bulk_form=None, bulk_failures=None):
        contract = self.get_contract()
        filters = ApprovalFilterForm(self.request.GET or None)
        if filters.is_bound and not filters.is_valid():
            status, values, shown_status = 400, IndicatorValue.objects.none(), ValueStatus.SUBMITTED
        else:
            data = filters.cleaned_data if filters.is_bound else {}
            mission = data.get("mission")
            shown_status = data.get("status") or ValueStatus.SUBMITTED
            values = selectors.approval_queue(
                contract=contract,
                status=shown_status,
                year=data.get("year"),
                mission_number=mission.number if mission else None,
            )
        rows = _decision_rows(values, override)
        may_approve = self.may_approve()
        context = {
            "contract": contract,
            "pole": contract.canceropole,
            "filters": filters,
            "rows": rows,
            "may_approve": may_approve,
            "bulk": may_approve and shown_status == ValueStatus.SUBMITTED and bool(rows),
            "shown_status": shown_status,
            "shown_status_label": ValueStatus(shown_status).label,
            "bulk_form": bulk_form or ApprovalBulkForm(),
            "bulk_failures": bulk_failures or [],
            "selected_ids": _selected(bulk_form),
            "action_query": _query_suffix(self.request),
        }
        return render(self.request, self.template_name, context, status=status)


def _selected(bulk_form) -> set[int]:
    if bulk_form is not None and hasattr(bulk_form, "cleaned_data"):
        return set(bulk_form.cleaned_data.get("values") or [])
    return set()


class ApprovalBulkView(ContractMixin, View):
    """The director approves or sends back every ticked value at once: all of them, or none (listed)."""

    def post(self, request, *args, **kwargs):
        contract = self.get_contract()
        if not request.user.has_perm("cop_contracts.approve_value", contract):
            raise PermissionDenied
        form = ApprovalBulkForm(request.POST)
        page = ApprovalView(request=request, args=args, kwargs=kwargs)
        page._contract = contract
        if not form.is_valid():
            return page.render_page(status=400, bulk_form=form)
        ids = form.cleaned_data["values"]
        found = {
            value.pk: value
            for value in IndicatorValue.objects.select_related("contract__canceropole", "indicator").filter(
                contract=contract, pk__in=ids
            )
        }
        failures = [(pk, None, [_("This value does not exist.")]) for pk in ids if pk not in found]
        if not failures:
            try:
                services.indicator_values_decide(
                    values=[found[pk] for pk in ids],
                    by=request.user,
                    action=form.cleaned_data["action"],
                    comment=form.cleaned_data["comment"],
                    expected_status=ValueStatus.SUBMITTED,
                )
            except TransitionError as error:
                failures = _failures(error)
        if failures:
            form.add_error(None, _("Nothing was changed: fix or untick the values listed below."))
            return page.render_page(status=400, bulk_form=form, bulk_failures=failures)
        messages.success(request, _done_message(len(ids), form.cleaned_data["action"]))
        return HttpResponseRedirect(page.success_url())


def _done_message(count: int, action: str) -> str:
    return ngettext("%(count)d value: %(done)s", "%(count)d values: %(done)s", count) % {
        "count": count,
        "done": DONE_MESSAGES[action],
    }


class ReviewAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("cop_contracts.review_values"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _filtered_queue(request, poles):
    """(filter form, queryset) of the review queue for the request's GET filters; None when invalid."""
    filters = ReviewFilterForm(request.GET or None)
    if filters.is_bound and not filters.is_valid():
        return filters, None
    data = filters.cleaned_data if filters.is_bound else {}
    pole, mission = data.get("pole"), data.get("mission")
    return filters, selectors.review_queue(
        pole_id=pole.pk if pole else None,
        mission_number=mission.number if mission else None,
        status=data.get("status") or None,
        year=data.get("year"),
        poles=poles,
    )


class ReviewQueueView(ReviewAccessMixin, DecisionMixin, View):
    """INCa's queue: approved values across poles (or another status), filtered, paginated, the poles in
    French order; decided one by one, on the ticked values or on every value matching the filters."""

    template_name = "cop_contracts/review.html"
    decision_template = "cop_contracts/review.html#decision"
    allowed_actions = ("accept", "send_back", "unlock")
    from_status = ValueStatus.APPROVED

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def get_value(self, pk) -> IndicatorValue:
        return get_object_or_404(selectors.indicator_values_visible_to(viewer=self.request.user), pk=pk)

    def decision_context(self) -> dict:
        return {"action_query": _query_suffix(self.request)}

    def success_url(self) -> str:
        return reverse("cop_contracts:review") + _query_suffix(self.request)

    def render_page(self, *, override=None, status=200, bulk_form=None, bulk_failures=None):
        filters, values = _filtered_queue(self.request, selectors.poles_in_french_order())
        if values is None:
            status, values = 400, IndicatorValue.objects.none()
        page = Paginator(values, REVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context = {
            "filters": filters,
            "page_obj": page,
            "rows": _decision_rows(page.object_list, override),
            "filter_query": params.urlencode(),
            "bulk_form": bulk_form or ReviewBulkForm(),
            "bulk_failures": bulk_failures or [],
            "bulk_limit": BULK_LIMIT,
            "selected_ids": _selected(bulk_form),
            "action_query": _query_suffix(self.request),
        }
        return render(self.request, self.template_name, context, status=status)


class BulkReviewView(ReviewAccessMixin, View):
    """Accept, send back or unlock several values at once, the ticked ones or every one matching the
    queue's filters (carried in the form's URL): all of them, or none when one fails (listed)."""

    def post(self, request):
        form = ReviewBulkForm(request.POST)
        queue = ReviewQueueView(request=request, kwargs={})
        if not form.is_valid():
            return queue.render_page(status=400, bulk_form=form)
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        failures = []
        if form.cleaned_data["scope"] == ReviewBulkForm.MATCHING:
            _filters, matching = _filtered_queue(request, selectors.poles_in_french_order())
            values = list(matching[: BULK_LIMIT + 1]) if matching is not None else []
            if matching is None or not values:
                form.add_error("scope", _("No value matches these filters."))
            elif len(values) > BULK_LIMIT:
                form.add_error(
                    "scope",
                    _("More than %(limit)s values match these filters: narrow them down.")
                    % {"limit": BULK_LIMIT},
                )
            if form.errors:
                return queue.render_page(status=400, bulk_form=form)
        else:
            ids = form.cleaned_data["values"]
            found = {
                value.pk: value
                for value in selectors.indicator_values_visible_to(viewer=request.user).filter(pk__in=ids)
            }
            failures = [(pk, None, [_("This value does not exist.")]) for pk in ids if pk not in found]
            values = [found[pk] for pk in ids if pk in found]
        if not failures:
            try:
                services.indicator_values_decide(
                    values=values,
                    by=request.user,
                    action=action,
                    comment=comment,
                    expected_status=ValueStatus.APPROVED,
                )
            except TransitionError as error:
                failures = _failures(error)
        if failures:
            form.add_error(None, _("Nothing was changed: fix or untick the values listed below."))
            return queue.render_page(status=400, bulk_form=form, bulk_failures=failures)
        messages.success(request, _done_message(len(values), action))
        return HttpResponseRedirect(reverse("cop_contracts:review") + _query_suffix(request))
