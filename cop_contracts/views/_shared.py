"""What the COP pages share: htmx detection, permission checks, the contract from the URL, bulk reads."""

from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cop_contracts import selectors
from cop_contracts.models import CopContract


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def contract_of(user, code: str, first_year: int) -> CopContract:
    """The contract of a pole and period, if the user may see it; else 404 (its existence is not revealed)."""
    contract = get_object_or_404(
        selectors.contracts_visible_to(viewer=user), canceropole__code=code.upper(), first_year=first_year
    )
    if not user.has_perm("cop_contracts.view_contract", contract):
        raise Http404
    return contract


@dataclass
class MissionGroup:
    mission: object
    rows: list = field(default_factory=list)


def group_by_mission(indicators, make_row) -> list[MissionGroup]:
    groups: list[MissionGroup] = []
    for indicator in indicators:
        if not groups or groups[-1].mission.pk != indicator.mission_id:
            groups.append(MissionGroup(mission=indicator.mission))
        groups[-1].rows.append(make_row(indicator))
    return groups


class ContractMixin(LoginRequiredMixin):
    """A pole's contract from the URL (``code``, ``first_year``), 404 unless the user may see it."""

    def get_contract(self) -> CopContract:
        if not hasattr(self, "_contract"):
            self._contract = contract_of(self.request.user, self.kwargs["code"], self.kwargs["first_year"])
        return self._contract


def grid_url(contract: CopContract) -> str:
    return reverse("cop_contracts:grid", args=[contract.canceropole.code, contract.first_year])
