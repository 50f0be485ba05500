"""The national dashboard: every pole side by side against its targets, the national figure and its trend."""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from canceropoles.models import Canceropole
from cop_contracts import exports, selectors
from cop_contracts.forms import (
    PERIOD_YEARS,
    DashboardForm,
)
from cop_contracts.models import (
    IndicatorDefinition,
    RollupBasis,
    RollupLevel,
    Target,
)
from cop_contracts.templatetags.cop import PROGRESS_LABELS, progress_status
from cop_contracts.views._shared import (
    group_by_mission,
)


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
    rollups = selectors.rollups_visible_to(viewer=user).select_related(None).filter(basis=basis)
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

    return year, poles, group_by_mission(indicators, row)


class DashboardView(View):
    """Public national dashboard; INCa and pole staff may switch to provisional figures."""

    template_name = "cop_contracts/dashboard.html"

    def get(self, request):
        user = request.user
        may_see_provisional = user.has_perm("cop_contracts.view_provisional")
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
