"""The pole's reporting grid: indicators × years, edited in place cell by cell, submitted a year at once."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from common.errors import TransitionError
from cop_contracts import exports, selectors, services
from cop_contracts.forms import (
    ValueEntryForm,
    errors_from,
)
from cop_contracts.models import (
    EDITABLE_STATUSES,
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    Target,
    ValueStatus,
)
from cop_contracts.templatetags.cop import plain_number
from cop_contracts.views._shared import (
    ContractMixin,
    MissionGroup,
    grid_url,
    group_by_mission,
    is_htmx,
    require,
)

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


def is_submittable(value: IndicatorValue | None) -> bool:
    """Whether "submit the year" would send this value: what services.indicator_values_submit_year takes
    (a draft or sent-back value with a figure)."""
    return value is not None and value.status in EDITABLE_STATUSES and value.value is not None


def submittable_values(*, contract: CopContract, year: int):
    """The values of a year that "submit the year" would send, in the order the service takes them.

    One query. Mirrors is_submittable, which the grid applies to the values it has already read.
    """
    return (
        IndicatorValue.objects.filter(
            contract=contract, year=year, status__in=EDITABLE_STATUSES, value__isnull=False
        )
        .select_related("indicator__mission")
        .order_by("indicator__code")
    )


def submit_years(groups: list[MissionGroup], years, errors=None) -> list[dict]:
    """For each year of the grid: how many values "Submit <year>" would send, and its errors if any."""
    counts = dict.fromkeys(years, 0)
    for group in groups:
        for row in group.rows:
            for cell in row.cells:
                counts[cell.year] += is_submittable(cell.value)
    return [
        {"year": year, "year_text": str(year), "count": counts[year], "errors": (errors or {}).get(year, [])}
        for year in years
    ]


def submit_years_of(contract: CopContract) -> list[dict]:
    """submit_years for a contract whose grid is not loaded (after an in-place save): one query."""
    counts = dict(
        IndicatorValue.objects.filter(contract=contract, status__in=EDITABLE_STATUSES, value__isnull=False)
        .values_list("year")
        .annotate(count=Count("id"))
        .values_list("year", "count")
    )
    return [
        {"year": year, "year_text": str(year), "count": counts.get(year, 0), "errors": []}
        for year in contract.years
    ]


def render_cell(request, *, cell: GridCell, contract: CopContract, status: int = 200) -> HttpResponse:
    """An in-place answer: the cell, and out of band the live message and the list of years to submit
    (a save can make a year submittable, or not any more)."""
    context = {
        "cell": cell,
        "contract": contract,
        "pole": contract.canceropole,
        "oob": True,
        "submit_years": submit_years_of(contract),
    }
    html = render_to_string("cop_contracts/grid.html#cell", context, request=request)
    html += render_to_string("cop_contracts/grid.html#submit_list", context, request=request)
    return HttpResponse(html, status=status)


def reporting_grid(*, contract: CopContract, may_edit: bool) -> list[MissionGroup]:
    """Indicators (grouped by mission) × the contract's years, in four queries whatever the sizes:

    the catalogue with missions, the contract's values, its targets, the comments of sent-back values.
    """
    indicators = list(selectors.indicator_catalogue())
    values = {(v.indicator_id, v.year): v for v in IndicatorValue.objects.filter(contract=contract)}
    targets = {(t.indicator_id, t.year): t for t in Target.objects.filter(contract=contract)}
    comments = selectors.last_send_back_comments(contract=contract)

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

    return group_by_mission(indicators, row)


def _grid_cell(
    *, contract: CopContract, indicator: IndicatorDefinition, year: int, may_edit: bool
) -> GridCell:
    value = IndicatorValue.objects.filter(contract=contract, indicator=indicator, year=year).first()
    comment = ""
    if value is not None and value.status == ValueStatus.SENT_BACK:
        comment = selectors.last_send_back_comments(contract=contract).get(value.pk, "")
    return GridCell(
        indicator=indicator,
        year=year,
        target=Target.objects.filter(contract=contract, indicator=indicator, year=year).first(),
        value=value,
        last_comment=comment,
        may_edit=may_edit,
    )


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
            "submit_years": submit_years(groups, contract.years, year_errors),
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
        require(request.user, "cop_contracts.report_value", contract)
        form = ValueEntryForm(request.POST, indicator=indicator)
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
            if is_htmx(request):
                return render_cell(request, cell=cell, contract=contract, status=400)
            return ContractGridView(request=request, kwargs=self.kwargs).render_grid(
                contract, cell_override=cell, status=400
            )
        cell.just_saved = True
        if is_htmx(request):
            return render_cell(request, cell=cell, contract=contract)
        messages.success(
            request, _("Value saved: %(code)s, %(year)s.") % {"code": indicator.code, "year": year}
        )
        return HttpResponseRedirect(grid_url(contract) + f"#{cell.dom_id}")


class SubmitYearView(ContractMixin, View):
    """Submit every filled-in draft or sent-back value of one year to the pole's director.

    GET is the confirmation: the values that would go, with a button that POSTs. POST submits them.
    """

    template_name = "cop_contracts/submit_confirm.html"

    def get(self, request, code, first_year, year):
        contract = self.get_contract()
        if year not in contract.years:
            raise Http404
        require(request.user, "cop_contracts.report_value", contract)
        values = list(submittable_values(contract=contract, year=year))
        context = {
            "contract": contract,
            "pole": contract.canceropole,
            "year": year,
            "values": values,
            "count": len(values),
        }
        return render(request, self.template_name, context)

    def post(self, request, code, first_year, year):
        contract = self.get_contract()
        require(request.user, "cop_contracts.report_value", contract)
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
        return HttpResponseRedirect(grid_url(contract))


class PoleCurrentContractView(LoginRequiredMixin, View):
    """``/cop/<pole>/`` (and ``…/approval/``): the pole's latest contract the user may see."""

    page = "grid"

    def get(self, request, code):
        contract = (
            selectors.contracts_visible_to(viewer=request.user)
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
            selectors.contracts_visible_to(viewer=request.user)
            .filter(canceropole_id__in=list(request.user.pole_roles()))
            .order_by("canceropole__code", "-first_year")
            .first()
        )
        if contract is None:
            raise Http404
        return redirect("cop_contracts:grid", contract.canceropole.code, contract.first_year)
