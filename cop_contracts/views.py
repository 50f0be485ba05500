"""Pages of the COP contracts: the pole's reporting grid, the director's approval page, INCa's review
queue and the national dashboard, with their CSV and XLSX exports.

Every page reads in a constant number of queries: rows are fetched in bulk and indexed in Python, so
that more poles, indicators or years never mean more queries. Permissions come from cop_contracts.rules:
a contract outside the user's scope is a 404, a forbidden step on a visible value a 403. Each POST makes
one service call (the bulk review, one per value in a single transaction); a TransitionError comes back
as the message next to the field it names, with a 400.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from accounts.rules import has_pole_role, is_inca_staff
from canceropoles.models import Canceropole
from common.errors import TransitionError
from cop_contracts import exports, selectors, services
from cop_contracts.forms import (
    PERIOD_YEARS,
    BulkDecisionForm,
    DashboardForm,
    DecisionForm,
    ReviewFilterForm,
    ValueEntryForm,
    errors_from,
)
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    Target,
    ValueStatus,
    ValueTransition,
)
from cop_contracts.templatetags.cop import PROGRESS_LABELS, plain_number, progress_status

REVIEW_PAGE_SIZE = 50


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------------
# Reads the pages share. Candidates for cop_contracts.selectors (see each docstring).


def _contract_of(user, code: str, first_year: int) -> CopContract:
    """The contract of a pole and period, if the user may see it; else 404 (its existence is not revealed)."""
    contract = get_object_or_404(
        selectors.contracts_visible_to(user=user), canceropole__code=code.upper(), first_year=first_year
    )
    if not user.has_perm("cop_contracts.view_contract", contract):
        raise Http404
    return contract


def _last_send_back_comments(*, contract: CopContract) -> dict[int, str]:
    """{value id: comment of its latest send back} for the contract's sent-back values, in one query."""
    transitions = (
        ValueTransition.objects.filter(
            value__contract=contract, value__status=ValueStatus.SENT_BACK, to_status=ValueStatus.SENT_BACK
        )
        .order_by("value_id", "at", "id")
        .values_list("value_id", "comment")
    )
    return dict(transitions)  # later rows overwrite earlier ones: the latest comment wins


def _targets_by_key(*, values) -> dict[tuple[int, int, int], Target]:
    """The targets of some values, {(contract id, indicator id, year): target}, in one query."""
    keys = {(value.contract_id, value.indicator_id, value.year) for value in values}
    if not keys:
        return {}
    targets = Target.objects.filter(
        contract_id__in={key[0] for key in keys},
        indicator_id__in={key[1] for key in keys},
        year__in={key[2] for key in keys},
    )
    return {(t.contract_id, t.indicator_id, t.year): t for t in targets}


# ---------------------------------------------------------------------------------------------------
# The pole's reporting grid


CELL_FIELDS = ("value", "numerator", "denominator", "comment")


@dataclass
class GridCell:
    indicator: IndicatorDefinition
    year: int
    target: Target | None
    value: IndicatorValue | None
    last_comment: str = ""
    may_edit: bool = False
    errors: dict = field(default_factory=dict)
    posted: dict | None = None
    just_saved: bool = False

    @property
    def dom_id(self) -> str:
        return f"cell-{self.indicator.pk}-{self.year}"

    @property
    def status(self) -> str:
        return self.value.status if self.value else ""

    @property
    def status_label(self) -> str:
        return self.value.get_status_display() if self.value else _("Not entered")

    @property
    def is_locked(self) -> bool:
        return bool(self.value and self.value.is_locked)

    @property
    def editable(self) -> bool:
        return self.may_edit and (self.value is None or self.value.is_editable)

    @property
    def other_errors(self) -> list[str]:
        """Messages not about one of the cell's fields (the value's state, the year), shown above them."""
        return [m for name, ms in self.errors.items() if name not in CELL_FIELDS for m in ms]

    @property
    def initial(self) -> dict[str, str]:
        """What the cell's form shows: the figures just posted (with their errors), else the stored ones."""
        if self.posted is not None:
            return self.posted
        if self.value is None:
            return {"value": "", "numerator": "", "denominator": "", "comment": ""}
        return {
            "value": plain_number(self.value.value),
            "numerator": plain_number(self.value.numerator),
            "denominator": plain_number(self.value.denominator),
            "comment": self.value.comment,
        }


@dataclass
class GridRow:
    indicator: IndicatorDefinition
    cells: list[GridCell]


@dataclass
class MissionGroup:
    mission: object
    rows: list = field(default_factory=list)


def _group_by_mission(indicators, make_row) -> list[MissionGroup]:
    groups: list[MissionGroup] = []
    for indicator in indicators:
        if not groups or groups[-1].mission.pk != indicator.mission_id:
            groups.append(MissionGroup(mission=indicator.mission))
        groups[-1].rows.append(make_row(indicator))
    return groups


def reporting_grid(*, contract: CopContract, may_edit: bool) -> list[MissionGroup]:
    """Indicators (grouped by mission) × the contract's years, in four queries whatever the sizes:

    the catalogue with missions, the contract's values, its targets, the comments of sent-back values.
    """
    indicators = list(selectors.indicator_catalogue())
    values = {(v.indicator_id, v.year): v for v in IndicatorValue.objects.filter(contract=contract)}
    targets = {(t.indicator_id, t.year): t for t in Target.objects.filter(contract=contract)}
    comments = _last_send_back_comments(contract=contract)

    def row(indicator):
        cells = []
        for year in contract.years:
            value = values.get((indicator.pk, year))
            cells.append(
                GridCell(
                    indicator=indicator,
                    year=year,
                    target=targets.get((indicator.pk, year)),
                    value=value,
                    last_comment=comments.get(value.pk, "") if value else "",
                    may_edit=may_edit,
                )
            )
        return GridRow(indicator=indicator, cells=cells)

    return _group_by_mission(indicators, row)


def _grid_cell(
    *, contract: CopContract, indicator: IndicatorDefinition, year: int, may_edit: bool
) -> GridCell:
    value = IndicatorValue.objects.filter(contract=contract, indicator=indicator, year=year).first()
    comment = ""
    if value is not None and value.status == ValueStatus.SENT_BACK:
        comment = _last_send_back_comments(contract=contract).get(value.pk, "")
    return GridCell(
        indicator=indicator,
        year=year,
        target=Target.objects.filter(contract=contract, indicator=indicator, year=year).first(),
        value=value,
        last_comment=comment,
        may_edit=may_edit,
    )


class ContractMixin(LoginRequiredMixin):
    """A pole's contract from the URL (``code``, ``first_year``), 404 unless the user may see it."""

    def get_contract(self) -> CopContract:
        if not hasattr(self, "_contract"):
            self._contract = _contract_of(self.request.user, self.kwargs["code"], self.kwargs["first_year"])
        return self._contract


class ContractGridView(ContractMixin, View):
    """The pole's reporting grid; ``?format=csv|xlsx`` downloads it."""

    template_name = "cop_contracts/grid.html"

    def get(self, request, code, first_year):
        contract = self.get_contract()
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS:
            return grid_export(contract=contract, file_format=file_format)
        return self.render_grid(contract)

    def render_grid(self, contract, *, cell_override: GridCell | None = None, year_errors=None, status=200):
        user = self.request.user
        may_report = user.has_perm("cop_contracts.report_value", contract)
        groups = reporting_grid(contract=contract, may_edit=may_report)
        if cell_override is not None:
            for group in groups:
                for row in group.rows:
                    row.cells = [
                        cell_override
                        if (cell.indicator.pk, cell.year) == (cell_override.indicator.pk, cell_override.year)
                        else cell
                        for cell in row.cells
                    ]
        context = {
            "contract": contract,
            "pole": contract.canceropole,
            "groups": groups,
            "years": list(contract.years),
            "may_report": may_report,
            "may_approve": user.has_perm("cop_contracts.approve_value", contract),
            "submit_years": [
                {"year": year, "year_text": str(year), "errors": (year_errors or {}).get(year, [])}
                for year in contract.years
            ],
        }
        return render(self.request, self.template_name, context, status=status)


def grid_export(*, contract: CopContract, file_format: str):
    groups = reporting_grid(contract=contract, may_edit=False)
    header = [
        _("Pole"),
        _("Mission"),
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Year"),
        _("Target"),
        _("Value"),
        _("Numerator"),
        _("Denominator"),
        _("Status"),
        _("Comment"),
    ]
    code = contract.canceropole.code
    rows = [
        [
            code,
            group.mission.short,
            row.indicator.code,
            row.indicator.name,
            row.indicator.get_unit_display(),
            cell.year,
            cell.target.value if cell.target else None,
            cell.value.value if cell.value else None,
            cell.value.numerator if cell.value else None,
            cell.value.denominator if cell.value else None,
            cell.status_label,
            cell.value.comment if cell.value else "",
        ]
        for group in groups
        for row in group.rows
        for cell in row.cells
    ]
    return exports.export_response(
        file_format=file_format,
        filename=f"cop-{code}-{contract.first_year}-{contract.last_year}",
        sheet_title=f"COP {code} {contract.first_year}-{contract.last_year}",
        header=header,
        rows=rows,
    )


class ValueCellView(ContractMixin, View):
    """Save one cell of the grid (a draft or sent-back value). htmx gets the cell back; others the grid."""

    def post(self, request, code, first_year, indicator_code, year):
        contract = self.get_contract()
        if year not in contract.years:
            raise Http404
        indicator = get_object_or_404(IndicatorDefinition, code=indicator_code, is_active=True)
        _require(request.user, "cop_contracts.report_value", contract)
        form = ValueEntryForm(request.POST)
        posted = {
            name: request.POST.get(name, "") for name in ("value", "numerator", "denominator", "comment")
        }
        errors = {}
        if not form.is_valid():
            errors = {name: list(messages_) for name, messages_ in form.errors.items()}
        else:
            figures = (
                {"numerator": form.cleaned_data["numerator"], "denominator": form.cleaned_data["denominator"]}
                if indicator.is_ratio
                else {"value": form.cleaned_data["value"]}
            )
            try:
                services.indicator_value_save(
                    contract=contract,
                    indicator=indicator,
                    year=year,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    **figures,
                )
            except TransitionError as error:
                errors = errors_from(error)
        cell = _grid_cell(contract=contract, indicator=indicator, year=year, may_edit=True)
        if errors:
            cell.errors, cell.posted = errors, posted
            if _is_htmx(request):
                return render(
                    request,
                    "cop_contracts/grid.html#cell",
                    {"cell": cell, "contract": contract, "oob": True},
                    status=400,
                )
            return ContractGridView(request=request, kwargs=self.kwargs).render_grid(
                contract, cell_override=cell, status=400
            )
        cell.just_saved = True
        if _is_htmx(request):
            return render(
                request, "cop_contracts/grid.html#cell", {"cell": cell, "contract": contract, "oob": True}
            )
        messages.success(
            request, _("Value saved: %(code)s, %(year)s.") % {"code": indicator.code, "year": year}
        )
        return HttpResponseRedirect(_grid_url(contract) + f"#{cell.dom_id}")


class SubmitYearView(ContractMixin, View):
    """Submit every filled-in draft or sent-back value of one year to the pole's director."""

    def post(self, request, code, first_year, year):
        contract = self.get_contract()
        _require(request.user, "cop_contracts.report_value", contract)
        try:
            submitted = services.indicator_values_submit_year(contract=contract, year=year, by=request.user)
        except TransitionError as error:
            errors = errors_from(error)
            year_errors = {year: [m for messages_ in errors.values() for m in messages_]}
            return ContractGridView(request=request, kwargs=self.kwargs).render_grid(
                contract, year_errors=year_errors, status=400
            )
        messages.success(
            request,
            ngettext(
                "%(count)d value of %(year)s submitted to the director.",
                "%(count)d values of %(year)s submitted to the director.",
                len(submitted),
            )
            % {"count": len(submitted), "year": year},
        )
        return HttpResponseRedirect(_grid_url(contract))


def _grid_url(contract: CopContract) -> str:
    return reverse("cop_contracts:grid", args=[contract.canceropole.code, contract.first_year])


class PoleCurrentContractView(LoginRequiredMixin, View):
    """``/cop/<pole>/`` (and ``…/approval/``): the pole's latest contract the user may see."""

    page = "grid"

    def get(self, request, code):
        contract = (
            selectors.contracts_visible_to(user=request.user)
            .filter(canceropole__code=code.upper())
            .order_by("-first_year")
            .first()
        )
        if contract is None:
            raise Http404
        return redirect(f"cop_contracts:{self.page}", contract.canceropole.code, contract.first_year)


class MyReportingView(LoginRequiredMixin, View):
    """``/cop/mine/``: the reporting grid of the user's pole (the first one, by code, if several)."""

    def get(self, request):
        contract = (
            selectors.contracts_visible_to(user=request.user)
            .filter(canceropole_id__in=list(request.user.pole_roles()))
            .order_by("canceropole__code", "-first_year")
            .first()
        )
        if contract is None:
            raise Http404
        return redirect("cop_contracts:grid", contract.canceropole.code, contract.first_year)


# ---------------------------------------------------------------------------------------------------
# Decisions on one value: the director's approval page and INCa's review queue share them.


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


# action → (service, permission). Sending back is checked against the page's own step (below).
DECISIONS = {
    "approve": (services.indicator_value_approve, "cop_contracts.approve_value"),
    "accept": (services.indicator_value_accept, "cop_contracts.accept_value"),
    "unlock": (services.indicator_value_unlock, "cop_contracts.unlock_value"),
}
DONE_MESSAGES = {
    "approve": gettext_lazy("Approved: sent to INCa."),
    "accept": gettext_lazy("Accepted: published and locked."),
    "send_back": gettext_lazy("Sent back to the pole."),
    "unlock": gettext_lazy("Unlocked: sent back to the pole."),
}


def _decide(*, user, value: IndicatorValue, action: str, comment: str, step_perm: str, from_status: str):
    """Apply one decision. PermissionDenied if the user may not take it; TransitionError if the state forbids.

    A send back is allowed to whoever holds the page's step permission (the director on the approval
    page, INCa on the queue), checked as ``send_back_value`` when the value is still in the state they
    saw; when it moved meanwhile, the service refuses it with the reason (``expected_status``).
    """
    if action == "send_back":
        if not (user.has_perm("cop_contracts.send_back_value", value) or user.has_perm(step_perm, value)):
            raise PermissionDenied
        return services.indicator_value_send_back(
            value=value, by=user, comment=comment, expected_status=from_status
        )
    service, perm = DECISIONS[action]
    _require(user, perm, value)
    if action == "unlock":
        return service(value=value, by=user, reason=comment)
    return service(value=value, by=user, comment=comment)


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
            updated = _decide(
                user=request.user,
                value=value,
                action=action,
                comment=row.comment,
                step_perm=self.step_perm,
                from_status=self.from_status,
            )
        except TransitionError as error:
            row.errors = errors_from(error)
            if "reason" in row.errors:
                row.errors.setdefault("comment", []).extend(row.errors.pop("reason"))
            return self.respond(row, status=400)
        row.value, row.comment, row.done = updated, "", str(DONE_MESSAGES[action])
        if _is_htmx(request):
            return self.respond(row, status=200)
        messages.success(request, f"{updated.indicator.code} {updated.year}: {row.done}")
        return HttpResponseRedirect(self.success_url())

    def respond(self, row: DecisionRow, *, status: int):
        row.target = Target.objects.filter(
            contract_id=row.value.contract_id, indicator_id=row.value.indicator_id, year=row.value.year
        ).first()
        if _is_htmx(self.request):
            context = {"row": row, "oob": True, **self.decision_context()}
            return render(self.request, self.decision_template, context, status=status)
        return self.render_page(override=row, status=status)

    def decision_context(self) -> dict:
        return {}


def _decision_rows(values, overrides: DecisionRow | None = None) -> list[DecisionRow]:
    values = list(values)
    targets = _targets_by_key(values=values)
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
            failures = self._apply_all(
                user=request.user, values=[found[pk] for pk in ids], action=action, comment=comment
            )
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

    @staticmethod
    def _apply_all(*, user, values, action, comment) -> list:
        """One service call per value in one transaction, rolled back entirely if any fails."""
        failures = []

        class _RollBack(Exception):
            pass

        try:
            with transaction.atomic():
                for value in values:
                    try:
                        _decide(
                            user=user,
                            value=value,
                            action=action,
                            comment=comment,
                            step_perm="cop_contracts.accept_value",
                            from_status=ValueStatus.APPROVED,
                        )
                    except TransitionError as error:
                        failures.append(
                            (value.pk, value, [m for ms in errors_from(error).values() for m in ms])
                        )
                if failures:
                    raise _RollBack
        except _RollBack:
            pass
        return failures


# ---------------------------------------------------------------------------------------------------
# The national dashboard


@dataclass
class Figure:
    value: Decimal | None
    target: Decimal | None
    progress: str | None

    @property
    def progress_label(self) -> str:
        return str(PROGRESS_LABELS.get(self.progress, ""))


@dataclass
class TrendPoint:
    year: int
    value: Decimal | None
    height: int  # of the bar in the server-drawn chart, in SVG units out of TREND_HEIGHT
    x: int
    y: int


@dataclass
class DashboardRow:
    indicator: IndicatorDefinition
    poles: list[Figure]
    national: Figure
    poles_reporting: int
    trend: list[TrendPoint]


TREND_HEIGHT = 40
TREND_BAR = 12
TREND_GAP = 6


def _may_see_provisional(user) -> bool:
    # Same audience as selectors.rollups_visible_to: INCa staff and pole staff.
    return bool(is_inca_staff(user) or has_pole_role(user))


def _trend(values: dict[int, Decimal | None]) -> list[TrendPoint]:
    largest = max((abs(v) for v in values.values() if v is not None), default=Decimal(0))
    points = []
    for index, year in enumerate(PERIOD_YEARS):
        value = values.get(year)
        height = round(abs(value) / largest * TREND_HEIGHT) if value is not None and largest else 0
        if value is not None and value != 0:
            height = max(height, 1)
        points.append(
            TrendPoint(
                year=year,
                value=value,
                height=height,
                x=index * (TREND_BAR + TREND_GAP),
                y=TREND_HEIGHT - height,
            )
        )
    return points


def national_dashboard(*, user, year: int | None, basis: str):
    """Per indicator (grouped by mission), every pole's figure for the year and the national trend.

    Five queries whatever the sizes: the poles, the catalogue, the national rollups of every year,
    the pole rollups of the year, the poles' targets of the year. Returns (year, poles, groups).
    """
    poles = list(Canceropole.objects.order_by("code"))
    indicators = list(selectors.indicator_catalogue())
    rollups = selectors.rollups_visible_to(user=user).select_related(None).filter(basis=basis)
    national = {
        (r.indicator_id, r.year): r
        for r in rollups.filter(level=RollupLevel.NATIONAL, year__in=list(PERIOD_YEARS))
    }
    if year is None:
        year = max((key[1] for key in national), default=PERIOD_YEARS[0])
    by_pole = {
        (r.indicator_id, r.canceropole_id): r for r in rollups.filter(level=RollupLevel.POLE, year=year)
    }
    pole_targets = {
        (pole_id, indicator_id): target
        for pole_id, indicator_id, target in Target.objects.filter(
            year=year, contract__first_year__lte=year, contract__last_year__gte=year
        ).values_list("contract__canceropole_id", "indicator_id", "value")
    }

    def row(indicator):
        figures = []
        for pole in poles:
            rollup = by_pole.get((indicator.pk, pole.pk))
            value = rollup.value if rollup else None
            target = pole_targets.get((pole.pk, indicator.pk))
            figures.append(Figure(value, target, progress_status(indicator.direction, value, target)))
        here = national.get((indicator.pk, year))
        national_value = here.value if here else None
        national_target = here.target if here else None
        return DashboardRow(
            indicator=indicator,
            poles=figures,
            national=Figure(
                national_value,
                national_target,
                progress_status(indicator.direction, national_value, national_target),
            ),
            poles_reporting=here.poles_reporting if here else 0,
            trend=_trend(
                {
                    y: (national[(indicator.pk, y)].value)
                    for y in PERIOD_YEARS
                    if (indicator.pk, y) in national
                }
            ),
        )

    return year, poles, _group_by_mission(indicators, row)


class DashboardView(View):
    """Public national dashboard; INCa and pole staff may switch to provisional figures."""

    template_name = "cop_contracts/dashboard.html"

    def get(self, request):
        user = request.user
        may_see_provisional = _may_see_provisional(user)
        form = DashboardForm(request.GET or None)
        status, year, basis = 200, None, RollupBasis.ACCEPTED
        if form.is_bound:
            if form.is_valid():
                year = form.cleaned_data["year"]
                basis = form.cleaned_data["basis"] or RollupBasis.ACCEPTED
                if basis == RollupBasis.PROVISIONAL and not may_see_provisional:
                    form.add_error("basis", _("Provisional figures are shown to INCa and pole staff only."))
                    basis = RollupBasis.ACCEPTED
            if form.errors:
                status = 400
        year, poles, groups = national_dashboard(user=user, year=year, basis=basis)
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS and status == 200:
            return dashboard_export(
                year=year, basis=basis, poles=poles, groups=groups, file_format=file_format
            )
        context = {
            "form": form,
            "year": year,
            "basis": basis,
            "is_provisional": basis == RollupBasis.PROVISIONAL,
            "may_see_provisional": may_see_provisional,
            "poles": poles,
            "groups": groups,
            "period_years": list(PERIOD_YEARS),
            "trend_width": len(PERIOD_YEARS) * (TREND_BAR + TREND_GAP),
            "trend_height": TREND_HEIGHT,
            "trend_bar": TREND_BAR,
            "export_query": f"year={year}&basis={basis}",
        }
        return render(request, self.template_name, context, status=status)


def dashboard_export(*, year, basis, poles, groups, file_format):
    header = [
        _("Mission"),
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Year"),
        _("Pole"),
        _("Value"),
        _("Target"),
        _("Progress"),
        _("Figures"),
    ]
    basis_label = _("provisional") if basis == RollupBasis.PROVISIONAL else _("accepted")
    rows = []
    for group in groups:
        for row in group.rows:
            scopes = [(pole.code, figure) for pole, figure in zip(poles, row.poles, strict=True)]
            scopes.append((_("National"), row.national))
            for scope, figure in scopes:
                rows.append(
                    [
                        group.mission.short,
                        row.indicator.code,
                        row.indicator.name,
                        row.indicator.get_unit_display(),
                        year,
                        scope,
                        figure.value,
                        figure.target,
                        figure.progress_label,
                        basis_label,
                    ]
                )
    return exports.export_response(
        file_format=file_format,
        filename=f"cop-national-{year}-{basis}",
        sheet_title=f"COP {year}",
        header=header,
        rows=rows,
    )
