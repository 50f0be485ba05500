"""The national dashboard: every pole against its targets, the national figure with the poles it covers,
and its trend over the labelling period, each table beside an SVG chart drawn on the server.

Honesty rules (issue #6, §4):
- the page opens on the latest year where the most poles have figures, not on any year with one value;
- every national figure says how many poles it covers ("5/7 pôles");
- a trend whose years cover different poles says so, and gives the same figure over the poles that
  report in every one of those years, when the viewer may see each pole's figure;
- every figure carries its unit (%, €; counts are named in the row header).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from canceropoles.models import Canceropole
from cop_contracts import exports, selectors
from cop_contracts.forms import PERIOD_YEARS, DashboardForm
from cop_contracts.models import (
    Aggregation,
    IndicatorDefinition,
    RollupBasis,
    RollupLevel,
    Target,
)
from cop_contracts.progress import PROGRESS_LABELS, progress_status
from cop_contracts.templatetags.cop import figure_compact, figure_text
from cop_contracts.views._shared import group_by_mission

# --- figures ---------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """A pole's or the national figure of the year. Euros read to the euro here; downloads keep cents."""

    value: Decimal | None
    target: Decimal | None
    progress: str | None
    unit: str = ""

    @property
    def progress_label(self) -> str:
        return str(PROGRESS_LABELS.get(self.progress, ""))

    @property
    def value_text(self) -> str:
        return figure_text(self.value, self.unit, cents=False)

    @property
    def target_text(self) -> str:
        return figure_text(self.target, self.unit, cents=False)


@dataclass(frozen=True)
class Coverage:
    """How many of the network's poles a figure covers."""

    count: int
    total: int

    @property
    def text(self) -> str:
        return ngettext("%(count)s/%(total)s pole", "%(count)s/%(total)s poles", self.total) % {
            "count": self.count,
            "total": self.total,
        }

    @property
    def short(self) -> str:
        return f"{self.count}/{self.total}"

    @property
    def complete(self) -> bool:
        return self.count == self.total


# --- charts (SVG units; the SVG scales to its box) -------------------------------------------------------

POLE_CHART_WIDTH = 400
POLE_LABEL_WIDTH = 62
POLE_BAR_AREA = 230
POLE_ROW = 24
POLE_BAR = 14
POLE_TOP = 30

TREND_SLOT = 64
TREND_BAR = 30
TREND_TOP = 18
TREND_AREA = 60
TREND_HEIGHT = TREND_TOP + TREND_AREA + 36


@dataclass
class PoleBar:
    pole: Canceropole
    figure: Figure
    y: int
    width: int
    target_x: int | None
    highlighted: bool

    @property
    def text_y(self) -> int:
        return self.y + POLE_BAR - 2

    @property
    def value_x(self) -> int:
        return POLE_LABEL_WIDTH + self.width + 6

    @property
    def label(self) -> str:
        return figure_compact(self.figure.value, self.figure.unit) if self.figure.value is not None else "—"

    @property
    def target_top(self) -> int:
        return self.y - 3

    @property
    def target_bottom(self) -> int:
        return self.y + POLE_BAR + 3


@dataclass
class PoleChart:
    dom_id: str
    bars: list[PoleBar]
    height: int
    width: int = POLE_CHART_WIDTH
    label_width: int = POLE_LABEL_WIDTH
    bar_height: int = POLE_BAR
    has_targets: bool = False
    description: str = ""

    @property
    def axis_x(self) -> int:
        return POLE_LABEL_WIDTH

    @property
    def legend_target_x(self) -> int:
        return POLE_LABEL_WIDTH + 110


@dataclass
class TrendPoint:
    year: int
    value: Decimal | None
    coverage: Coverage | None
    pole_ids: frozenset | None = None
    same_poles_value: Decimal | None = None
    unit: str = ""
    # geometry of the bar in the trend chart
    x: int = 0
    y: int = 0
    height: int = 0
    differs: bool = False  # covers other poles than the best-covered year of the trend

    @property
    def value_text(self) -> str:
        return figure_text(self.value, self.unit, cents=False)

    @property
    def same_poles_text(self) -> str:
        return figure_text(self.same_poles_value, self.unit, cents=False)

    @property
    def label(self) -> str:
        return figure_compact(self.value, self.unit) if self.value is not None else "—"

    @property
    def centre(self) -> int:
        return self.x + TREND_BAR // 2

    @property
    def label_y(self) -> int:
        return self.y - 4

    @property
    def year_y(self) -> int:
        return TREND_TOP + TREND_AREA + 14

    @property
    def coverage_y(self) -> int:
        return TREND_TOP + TREND_AREA + 28


@dataclass
class Trend:
    points: list[TrendPoint]
    comparable: bool
    same_poles: int | None  # poles reporting in every year with a figure, when the trend is not comparable
    dom_id: str = ""
    description: str = ""
    width: int = len(PERIOD_YEARS) * TREND_SLOT
    height: int = TREND_HEIGHT
    bar: int = TREND_BAR
    baseline: int = TREND_TOP + TREND_AREA

    def __iter__(self):
        return iter(self.points)

    @property
    def has_figures(self) -> bool:
        return any(point.value is not None for point in self.points)


@dataclass
class DashboardRow:
    indicator: IndicatorDefinition
    poles: list[Figure]
    national: Figure
    poles_reporting: int
    coverage: Coverage
    trend: Trend
    chart: PoleChart | None = None


@dataclass
class Dashboard:
    year: int
    poles: list[Canceropole]
    groups: list = field(default_factory=list)
    poles_by_year: dict[int, int] = field(default_factory=dict)


def _pole_chart(indicator, poles, figures, highlighted_pole_id) -> PoleChart:
    numbers = [f.value for f in figures if f.value is not None] + [
        f.target for f in figures if f.target is not None
    ]
    largest = max(numbers, default=Decimal(0))

    def scaled(number):
        if number is None or not largest:
            return 0
        return round(number / largest * POLE_BAR_AREA)

    bars = []
    for index, (pole, figure) in enumerate(zip(poles, figures, strict=True)):
        width = scaled(figure.value)
        if figure.value:
            width = max(width, 1)
        bars.append(
            PoleBar(
                pole=pole,
                figure=figure,
                y=POLE_TOP + index * POLE_ROW,
                width=width,
                target_x=POLE_LABEL_WIDTH + scaled(figure.target) if figure.target is not None else None,
                highlighted=pole.pk == highlighted_pole_id,
            )
        )
    parts = []
    for bar in bars:
        if bar.figure.value is None:
            parts.append(_("%(pole)s: no figure") % {"pole": bar.pole.code})
        elif bar.figure.target is None:
            parts.append(_("%(pole)s: %(value)s") % {"pole": bar.pole.code, "value": bar.figure.value_text})
        else:
            parts.append(
                _("%(pole)s: %(value)s, target %(target)s (%(progress)s)")
                % {
                    "pole": bar.pole.code,
                    "value": bar.figure.value_text,
                    "target": bar.figure.target_text,
                    "progress": bar.figure.progress_label,
                }
            )
    return PoleChart(
        dom_id=f"chart-poles-{indicator.code}",
        bars=bars,
        height=POLE_TOP + len(poles) * POLE_ROW + 4,
        has_targets=any(f.target is not None for f in figures),
        description="; ".join(parts) + ".",
    )


def _same_poles_value(indicator, rows) -> Decimal | None:
    """The national figure of some poles' rollups, aggregated as the national rollup does."""
    if not rows:
        return None
    if indicator.aggregation == Aggregation.RATIO:
        numerator = sum((r[1] or 0 for r in rows), Decimal(0))
        denominator = sum((r[2] or 0 for r in rows), Decimal(0))
        if not denominator:
            return None
        return (numerator * indicator.scale / denominator).quantize(Decimal("0.0001"))
    values = [r[0] for r in rows if r[0] is not None]
    if not values:
        return None
    if indicator.aggregation == Aggregation.MAX:
        return max(values)
    return sum(values, Decimal(0))


def _trend(indicator, national, pole_rows, total) -> Trend:
    """The national figure of each year, the poles it covers, and whether the years can be compared.

    ``pole_rows``: {year: {pole id: (value, numerator, denominator)}} of the pole rollups the viewer sees.
    """
    points = []
    for year in PERIOD_YEARS:
        here = national.get((indicator.pk, year))
        visible = pole_rows.get(year, {})
        count = here.poles_reporting if here else len(visible)
        value = here.value if here else None
        # The viewer sees which poles a year covers only when they see every pole's figure of it.
        pole_ids = frozenset(visible) if len(visible) == count else None
        points.append(
            TrendPoint(
                year=year,
                value=value,
                coverage=Coverage(count, total) if (here or visible) else None,
                pole_ids=pole_ids,
                unit=indicator.unit,
            )
        )
    reported = [p for p in points if p.value is not None]
    counts = {p.coverage.count for p in reported}
    sets = {p.pole_ids for p in reported}
    comparable = len(counts) <= 1 and (None in sets or len(sets) <= 1)
    same_poles = None
    if not comparable and None not in sets:
        common = frozenset.intersection(*sets)
        same_poles = len(common)
        for point in reported:
            rows = [pole_rows[point.year][pole_id] for pole_id in common]
            point.same_poles_value = _same_poles_value(indicator, rows)
    best = max(reported, key=lambda p: (p.coverage.count, p.year), default=None)
    largest = max((p.value for p in reported), default=Decimal(0))
    for index, point in enumerate(points):
        height = round(point.value / largest * TREND_AREA) if point.value is not None and largest else 0
        if point.value:
            height = max(height, 1)
        point.height = height
        point.x = index * TREND_SLOT + (TREND_SLOT - TREND_BAR) // 2
        point.y = TREND_TOP + TREND_AREA - height
        point.differs = bool(
            best
            and point.value is not None
            and (point.coverage, point.pole_ids) != (best.coverage, best.pole_ids)
        )
    parts = [
        _("%(year)s: %(value)s (%(coverage)s)")
        % {"year": p.year, "value": p.value_text, "coverage": p.coverage.text}
        if p.value is not None
        else _("%(year)s: no figure") % {"year": p.year}
        for p in points
    ]
    description = "; ".join(parts) + "."
    if not comparable:
        description += " " + _("The years cover different poles: compare them with care.")
    return Trend(
        points=points,
        comparable=comparable,
        same_poles=same_poles,
        dom_id=f"chart-trend-{indicator.code}",
        description=description,
    )


def default_year(pole_rows_by_indicator, national) -> int:
    """The latest year where the most poles have figures; with none, the current year within the period."""
    poles_by_year: dict[int, set] = {}
    for by_year in pole_rows_by_indicator.values():
        for year, rows in by_year.items():
            poles_by_year.setdefault(year, set()).update(rows)
    counts = {year: len(poles) for year, poles in poles_by_year.items() if poles}
    if not counts:  # the viewer sees national figures only
        for (_indicator, year), rollup in national.items():
            counts[year] = max(counts.get(year, 0), rollup.poles_reporting)
    if counts:
        return max(counts, key=lambda year: (counts[year], year))
    return min(max(timezone.localdate().year, PERIOD_YEARS[0]), PERIOD_YEARS[-1])


def national_dashboard(*, user, year: int | None, basis: str, highlight: str = "", poles=None):
    """Per indicator (grouped by mission), every pole's figure for the year and the national trend.

    Five queries whatever the sizes (four when ``poles`` are given): the poles, the catalogue, the
    national rollups of every year, the pole rollups of every year, the poles' targets of the year.
    Returns (year, poles, groups).
    """
    if poles is None:
        poles = list(Canceropole.objects.order_by("code"))
    total = len(poles)
    highlighted_pole_id = next((p.pk for p in poles if p.code == highlight), None)
    indicators = list(selectors.indicator_catalogue())
    rollups = selectors.rollups_visible_to(viewer=user).select_related(None).filter(basis=basis)
    national = {
        (r.indicator_id, r.year): r
        for r in rollups.filter(level=RollupLevel.NATIONAL, year__in=list(PERIOD_YEARS))
    }
    pole_rows: dict[int, dict[int, dict[int, tuple]]] = {}
    for indicator_id, pole_id, rollup_year, value, numerator, denominator in rollups.filter(
        level=RollupLevel.POLE, year__in=list(PERIOD_YEARS)
    ).values_list("indicator_id", "canceropole_id", "year", "value", "numerator", "denominator"):
        by_year = pole_rows.setdefault(indicator_id, {})
        by_year.setdefault(rollup_year, {})[pole_id] = (value, numerator, denominator)
    if year is None:
        year = default_year(pole_rows, national)
    pole_targets = {
        (pole_id, indicator_id): target
        for pole_id, indicator_id, target in Target.objects.filter(
            year=year, contract__first_year__lte=year, contract__last_year__gte=year
        ).values_list("contract__canceropole_id", "indicator_id", "value")
    }

    def row(indicator):
        unit = indicator.unit
        of_year = pole_rows.get(indicator.pk, {}).get(year, {})
        figures = []
        for pole in poles:
            value = of_year[pole.pk][0] if pole.pk in of_year else None
            target = pole_targets.get((pole.pk, indicator.pk))
            figures.append(Figure(value, target, progress_status(indicator.direction, value, target), unit))
        here = national.get((indicator.pk, year))
        national_value = here.value if here else None
        national_target = here.target if here else None
        poles_reporting = here.poles_reporting if here else 0
        return DashboardRow(
            indicator=indicator,
            poles=figures,
            national=Figure(
                national_value,
                national_target,
                progress_status(indicator.direction, national_value, national_target),
                unit,
            ),
            poles_reporting=poles_reporting,
            coverage=Coverage(poles_reporting, total),
            trend=_trend(indicator, national, pole_rows.get(indicator.pk, {}), total),
            chart=_pole_chart(indicator, poles, figures, highlighted_pole_id),
        )

    return year, poles, group_by_mission(indicators, row)


class DashboardView(View):
    """Public national dashboard; INCa and pole staff may switch to provisional figures.

    ``?pole=GSO`` highlights a pole's column and bars (the pole pages link here).
    """

    template_name = "cop_contracts/dashboard.html"

    def get(self, request):
        user = request.user
        may_see_provisional = user.has_perm("cop_contracts.view_provisional")
        poles = list(Canceropole.objects.order_by("code"))
        form = DashboardForm(request.GET or None, poles=poles)
        status, year, basis, highlight = 200, None, RollupBasis.ACCEPTED, ""
        if form.is_bound:
            if form.is_valid():
                year = form.cleaned_data["year"]
                basis = form.cleaned_data["basis"] or RollupBasis.ACCEPTED
                highlight = form.cleaned_data["pole"]
                if basis == RollupBasis.PROVISIONAL and not may_see_provisional:
                    form.add_error("basis", _("Provisional figures are shown to INCa and pole staff only."))
                    basis = RollupBasis.ACCEPTED
            if form.errors:
                status = 400
        year, poles, groups = national_dashboard(
            user=user, year=year, basis=basis, highlight=highlight, poles=poles
        )
        file_format = request.GET.get("format")
        if file_format in exports.FORMATS and status == 200:
            return dashboard_export(
                year=year, basis=basis, poles=poles, groups=groups, file_format=file_format
            )
        highlighted = next((pole for pole in poles if pole.code == highlight), None)
        context = {
            "form": form,
            "year": year,
            "basis": basis,
            "is_provisional": basis == RollupBasis.PROVISIONAL,
            "may_see_provisional": may_see_provisional,
            "poles": poles,
            "highlighted": highlighted,
            "highlighted_index": poles.index(highlighted) if highlighted else None,
            "groups": groups,
            "period_years": list(PERIOD_YEARS),
            "year_is_default": not form.is_bound or not form.is_valid() or form.cleaned_data["year"] is None,
            "export_query": f"year={year}&basis={basis}",
        }
        return render(request, self.template_name, context, status=status)


class PoleFiguresView(View):
    """``/cop/<pole>/figures/``: the published figures of one pole, that is the national dashboard with the
    pole's column and bars highlighted. Public, like the dashboard; an unknown pole is a 404."""

    def get(self, request, code):
        pole = get_object_or_404(Canceropole, code=code.upper())
        return redirect(f"{reverse('cop_contracts:dashboard')}?pole={pole.code}")


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
        _("Poles reporting"),
        _("Figures"),
    ]
    basis_label = _("provisional") if basis == RollupBasis.PROVISIONAL else _("accepted")
    rows = []
    for group in groups:
        for row in group.rows:
            scopes = [(pole.code, figure, "") for pole, figure in zip(poles, row.poles, strict=True)]
            scopes.append((_("National"), row.national, row.coverage.short))
            for scope, figure, coverage in scopes:
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
                        coverage,
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
