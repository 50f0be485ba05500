"""Targets of the contracts, set by INCa staff: the contracts to choose from, one contract's targets
(indicators × years), and the form that sets one target through services.target_set."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from common.errors import TransitionError
from common.text import folded
from cop_contracts import selectors, services
from cop_contracts.forms import TargetForm, errors_from
from cop_contracts.models import CopContract, IndicatorDefinition, Target
from cop_contracts.templatetags.cop import plain_number
from cop_contracts.views._shared import ContractMixin, group_by_mission, require


def targets_url(contract: CopContract) -> str:
    return reverse("cop_contracts:targets", args=[contract.canceropole.code, contract.first_year])


@dataclass
class TargetCell:
    indicator: IndicatorDefinition
    year: int
    target: Target | None

    @property
    def dom_id(self) -> str:
        return f"target-{self.indicator.code}-{self.year}"


@dataclass
class TargetRow:
    indicator: IndicatorDefinition
    cells: list[TargetCell]


class TargetContractsView(LoginRequiredMixin, View):
    """``/cop/targets/``: the contracts whose targets INCa staff set, with how many targets each has."""

    def get(self, request):
        require(request.user, "cop_contracts.set_target")
        contracts = sorted(
            selectors.contracts_visible_to(viewer=request.user).annotate(target_count=Count("targets")),
            key=lambda contract: (folded(contract.canceropole.name), contract.first_year),
        )
        return render(request, "cop_contracts/target_contracts.html", {"contracts": contracts})


class ContractTargetsView(ContractMixin, View):
    """``/cop/<pole>/<first year>/targets/``: a contract's targets, indicators × years, each with its link
    to the form that sets it. INCa staff only (others who may see the contract: 403)."""

    def get(self, request, code, first_year):
        contract = self.get_contract()
        require(request.user, "cop_contracts.set_target", contract)
        targets = {(t.indicator_id, t.year): t for t in Target.objects.filter(contract=contract)}
        years = list(contract.years)

        def row(indicator):
            cells = [TargetCell(indicator, year, targets.get((indicator.pk, year))) for year in years]
            return TargetRow(indicator=indicator, cells=cells)

        context = {
            "contract": contract,
            "pole": contract.canceropole,
            "years": years,
            "groups": group_by_mission(selectors.indicator_catalogue(), row),
        }
        return render(request, "cop_contracts/targets.html", context)


class TargetEditView(ContractMixin, View):
    """``/cop/<pole>/<first year>/targets/<indicator>/<year>/``: set one target and its baseline.

    GET shows the form with the current figures; POST reads them the French way (FigureField) and sets
    them through services.target_set (checks, history, rollups refreshed). Bad input: 400, the form again
    with the reason next to the field, nothing written.
    """

    template_name = "cop_contracts/target_edit.html"

    def _load(self, request, indicator_code, year):
        contract = self.get_contract()
        if year not in contract.years:
            raise Http404
        indicator = get_object_or_404(
            IndicatorDefinition.objects.select_related("mission"), code=indicator_code, is_active=True
        )
        require(request.user, "cop_contracts.set_target", contract)
        return contract, indicator

    def _render(self, request, *, contract, indicator, year, form, errors=None, status=200):
        errors = errors or {}
        fields = [
            {
                "name": name,
                "label": field.label,
                "value": form.data.get(name, "") if form.is_bound else form.initial.get(name, ""),
                "errors": errors.get(name, []),
            }
            for name, field in form.fields.items()
        ]
        context = {
            "contract": contract,
            "pole": contract.canceropole,
            "indicator": indicator,
            "year": year,
            "fields": fields,
            "other_errors": [m for name, ms in errors.items() if name not in form.fields for m in ms],
            "back_url": targets_url(contract),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, code, first_year, indicator_code, year):
        contract, indicator = self._load(request, indicator_code, year)
        target = Target.objects.filter(contract=contract, indicator=indicator, year=year).first()
        initial = (
            {"value": plain_number(target.value), "baseline": plain_number(target.baseline)} if target else {}
        )
        form = TargetForm(initial=initial)
        return self._render(request, contract=contract, indicator=indicator, year=year, form=form)

    def post(self, request, code, first_year, indicator_code, year):
        contract, indicator = self._load(request, indicator_code, year)
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                services.target_set(
                    contract=contract,
                    indicator=indicator,
                    year=year,
                    value=form.cleaned_data["value"],
                    baseline=form.cleaned_data["baseline"],
                    by=request.user,
                )
            except TransitionError as error:
                errors = errors_from(error)
            else:
                messages.success(
                    request,
                    _("Target set: %(code)s, %(year)s.") % {"code": indicator.code, "year": year},
                )
                return HttpResponseRedirect(f"{targets_url(contract)}#target-{indicator.code}-{year}")
        else:
            errors = {name: list(messages_) for name, messages_ in form.errors.items()}
        return self._render(
            request, contract=contract, indicator=indicator, year=year, form=form, errors=errors, status=400
        )
