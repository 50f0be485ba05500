"""Decisions on indicator values: the director's approval page and INCa's review queue (also in bulk)."""

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
from cop_contracts.forms import (
    BulkDecisionForm,
    DecisionForm,
    ReviewFilterForm,
    errors_from,
)
from cop_contracts.models import (
    IndicatorValue,
    Target,
    ValueStatus,
)
from cop_contracts.views._shared import (
    ContractMixin,
    is_htmx,
)

REVIEW_PAGE_SIZE = 50


@dataclass
class DecisionRow:
    value: IndicatorValue
    target: Target | None
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


class DecisionMixin:
    """POST of one decision on a value, answered with the row's decision cell (htmx) or the whole page."""

    allowed_actions: tuple[str, ...] = ()
    step_perm = ""
    from_status = ""
    decision_template = ""

    def get_value(self, pk) -> IndicatorValue:
        raise NotImplementedError

    def render_page(self, *, override: DecisionRow, status: int):
        raise NotImplementedError

    def success_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, pk, **kwargs):
        value = self.get_value(pk)
        form = DecisionForm(request.POST)
        action = request.POST.get("action", "")
        row = DecisionRow(value=value, target=None, comment=request.POST.get("comment", ""))
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
        row.target = Target.objects.filter(
            contract_id=row.value.contract_id, indicator_id=row.value.indicator_id, year=row.value.year
        ).first()
        if is_htmx(self.request):
            context = {"row": row, "oob": True, **self.decision_context()}
            return render(self.request, self.decision_template, context, status=status)
        return self.render_page(override=row, status=status)

    def decision_context(self) -> dict:
        return {}


def _decision_rows(values, overrides: DecisionRow | None = None) -> list[DecisionRow]:
    values = list(values)
    targets = selectors.targets_by_key(values=values)
    rows = []
    for value in values:
        if overrides is not None and overrides.value.pk == value.pk:
            rows.append(overrides)
            continue
        rows.append(
            DecisionRow(value=value, target=targets.get((value.contract_id, value.indicator_id, value.year)))
        )
    if overrides is not None and all(row.value.pk != overrides.value.pk for row in rows):
        rows.append(overrides)  # the value left the list (decided meanwhile): keep it with its message
    return rows


class ApprovalView(ContractMixin, DecisionMixin, View):
    """The director's page: the pole's submitted values, to approve or send back one by one."""

    template_name = "cop_contracts/approval.html"
    decision_template = "cop_contracts/approval.html#decision"
    allowed_actions = ("approve", "send_back")
    step_perm = "cop_contracts.approve_value"
    from_status = ValueStatus.SUBMITTED

    def get(self, request, *args, **kwargs):
        return self.render_page(override=None, status=200)

    def get_value(self, pk) -> IndicatorValue:
        return get_object_or_404(
            IndicatorValue.objects.select_related("contract__canceropole", "indicator__mission"),
            pk=pk,
            contract=self.get_contract(),
        )

    def decision_context(self) -> dict:
        return {"may_approve": self.request.user.has_perm("cop_contracts.approve_value", self.get_contract())}

    def success_url(self) -> str:
        contract = self.get_contract()
        return reverse("cop_contracts:approval", args=[contract.canceropole.code, contract.first_year])

    def render_page(self, *, override, status):
        contract = self.get_contract()
        values = (
            IndicatorValue.objects.filter(contract=contract, status=ValueStatus.SUBMITTED)
            .select_related("contract__canceropole", "indicator__mission")
            .order_by("indicator__mission__number", "indicator__code", "year")
        )
        context = {
            "contract": contract,
            "pole": contract.canceropole,
            "rows": _decision_rows(values, override),
            "may_approve": self.request.user.has_perm("cop_contracts.approve_value", contract),
        }
        return render(self.request, self.template_name, context, status=status)


class ReviewAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("cop_contracts.review_values"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(ReviewAccessMixin, DecisionMixin, View):
    """INCa's queue: approved values across poles (or another status), filtered, paginated."""

    template_name = "cop_contracts/review.html"
    decision_template = "cop_contracts/review.html#decision"
    allowed_actions = ("accept", "send_back", "unlock")
    step_perm = "cop_contracts.accept_value"
    from_status = ValueStatus.APPROVED

    def get(self, request, *args, **kwargs):
        return self.render_page(override=None, status=200)

    def get_value(self, pk) -> IndicatorValue:
        return get_object_or_404(selectors.indicator_values_visible_to(user=self.request.user), pk=pk)

    def decision_context(self) -> dict:
        return {"action_query": self._query_suffix()}

    def success_url(self) -> str:
        return reverse("cop_contracts:review") + self._query_suffix()

    def _query_suffix(self) -> str:
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""

    def render_page(self, *, override=None, status=200, bulk_form=None, bulk_failures=None):
        filters = ReviewFilterForm(self.request.GET or None)
        if filters.is_bound and not filters.is_valid():
            status = 400
            values = IndicatorValue.objects.none()
        else:
            data = filters.cleaned_data if filters.is_bound else {}
            pole, mission = data.get("pole"), data.get("mission")
            values = selectors.review_queue(
                pole_id=pole.pk if pole else None,
                mission_number=mission.number if mission else None,
                status=data.get("status") or None,
                year=data.get("year"),
            )
        page = Paginator(values, REVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context = {
            "filters": filters,
            "page_obj": page,
            "rows": _decision_rows(page.object_list, override),
            "filter_query": params.urlencode(),
            "bulk_form": bulk_form or BulkDecisionForm(),
            "bulk_failures": bulk_failures or [],
            "selected_ids": set(bulk_form.cleaned_data.get("values", []))
            if bulk_form and hasattr(bulk_form, "cleaned_data")
            else set(),
            "action_query": self._query_suffix(),
        }
        return render(self.request, self.template_name, context, status=status)


class BulkReviewView(ReviewAccessMixin, View):
    """Accept or send back several values at once: all of them, or none when one fails (listed)."""

    def post(self, request):
        form = BulkDecisionForm(request.POST)
        queue = ReviewQueueView(request=request, kwargs={})
        if not form.is_valid():
            return queue.render_page(status=400, bulk_form=form)
        ids = form.cleaned_data["values"]
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        found = {
            value.pk: value
            for value in selectors.indicator_values_visible_to(user=request.user).filter(pk__in=ids)
        }
        failures = [(pk, None, [_("This value does not exist.")]) for pk in ids if pk not in found]
        if not failures:
            try:
                services.indicator_values_decide(
                    values=[found[pk] for pk in ids],
                    by=request.user,
                    action=action,
                    comment=comment,
                    expected_status=ValueStatus.APPROVED,
                )
            except services.BulkDecisionError as error:
                failures = [(f.value.pk, f.value, f.messages) for f in error.failures]
            except TransitionError as error:
                failures = [(None, None, [m for ms in errors_from(error).values() for m in ms])]
        if failures:
            form.add_error(None, _("Nothing was changed: fix or untick the values listed below."))
            return queue.render_page(status=400, bulk_form=form, bulk_failures=failures)
        done = str(DONE_MESSAGES[action])
        messages.success(
            request,
            ngettext("%(count)d value: %(done)s", "%(count)d values: %(done)s", len(ids))
            % {"count": len(ids), "done": done},
        )
        return HttpResponseRedirect(reverse("cop_contracts:review") + queue._query_suffix())
