"""The national dashboard tells honest national figures (issue #6, §4): the year it opens on, the poles each
national figure covers, trends over different poles flagged with a like-for-like figure, units, and an
accessible SVG chart beside each table. Its number of queries does not grow with the data."""

import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from canceropoles.models import Canceropole
from cop_contracts.models import IndicatorDefinition, IndicatorValue, ValueStatus
from cop_contracts.rollups import rollup_all
from tests.cop_contracts.factories import CopContractFactory, TargetFactory, indicator
from tests.factories import CanceropoleFactory

pytestmark = pytest.mark.django_db

TEAMS = "M1_TEAMS"  # count, "latest" (summed across poles)
EVENTS = "M2_EVENTS"  # count, summed
AMOUNT = "M3_EMERGENCE_AMOUNT"  # euros, summed
RATE = "M3_EMERGENCE_SUCCESS_RATE"  # percent: 100 × Σ numerator / Σ denominator
NBSP = "\u00a0"


def accepted(pole_code: str, code: str, year: int, figure=None, *, numerator=None, denominator=None):
    contract = CopContractFactory(canceropole=Canceropole.objects.get(code=pole_code))
    return IndicatorValue.objects.create(
        contract=contract,
        indicator=indicator(code),
        year=year,
        value=Decimal(figure) if figure is not None else None,
        numerator=numerator,
        denominator=denominator,
        status=ValueStatus.ACCEPTED,
    )


def dashboard(client, **query):
    return client.get(reverse("cop_contracts:dashboard"), query)


def rows_of(response) -> dict:
    return {row.indicator.code: row for group in response.context["groups"] for row in group.rows}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


# --- the year the dashboard opens on --------------------------------------------------------------------


def test_dashboard_opens_on_the_year_where_the_most_poles_have_figures_not_the_latest_one(client):
    for pole in ("GSO", "CLARA", "EST"):
        accepted(pole, EVENTS, 2024, "10")
    accepted("PACA", EVENTS, 2026, "27")  # one pole, a later year
    rollup_all()

    response = dashboard(client)

    assert response.status_code == 200
    assert response.context["year"] == 2024
    assert response.context["year_is_default"] is True
    assert "Chiffres de 2024 : l'année la plus récente où le plus de pôles ont des chiffres." in text_of(
        response
    ).replace(NBSP, " ")


def test_dashboard_between_years_with_as_many_poles_opens_on_the_latest(client):
    for year in (2023, 2025):
        accepted("GSO", EVENTS, year, "10")
        accepted("CLARA", TEAMS, year, "4")
    rollup_all()

    response = dashboard(client)

    assert response.context["year"] == 2025


def test_dashboard_counts_the_poles_of_a_year_across_indicators(client):
    # 2023: two poles, each with one indicator; 2024: one pole with two indicators.
    accepted("GSO", EVENTS, 2023, "10")
    accepted("CLARA", TEAMS, 2023, "4")
    accepted("GSO", EVENTS, 2024, "11")
    accepted("GSO", TEAMS, 2024, "5")
    rollup_all()

    response = dashboard(client)

    assert response.context["year"] == 2023


def test_dashboard_with_a_chosen_year_keeps_it(client):
    accepted("GSO", EVENTS, 2024, "10")
    rollup_all()

    response = dashboard(client, year="2026")

    assert response.context["year"] == 2026
    assert response.context["year_is_default"] is False


# --- coverage and units ---------------------------------------------------------------------------------


def test_national_figure_says_how_many_poles_it_covers(client):
    accepted("GSO", EVENTS, 2024, "10")
    accepted("CLARA", EVENTS, 2024, "5")
    rollup_all()

    response = dashboard(client, year="2024")

    events = rows_of(response)[EVENTS]
    assert (events.national.value, events.coverage.count, events.coverage.total) == (Decimal(15), 2, 7)
    assert events.coverage.text == "2/7 pôles"
    assert events.national.value_text == "15"
    national_cell = re.search(
        r'<td class="number national">(.*?)</td>', response.content.decode().split(EVENTS, 1)[1], re.S
    ).group(1)
    assert "2/7 pôles" in national_cell


def test_national_figure_coverage_reads_in_english_with_the_cookie(client):
    accepted("GSO", EVENTS, 2024, "10")
    rollup_all()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = dashboard(client, year="2024")

    assert rows_of(response)[EVENTS].coverage.text == "1/7 poles"
    assert "1/7 poles" in text_of(response)


def test_figures_carry_their_unit_the_french_way(client):
    accepted("GSO", AMOUNT, 2024, "1200.5")
    accepted("CLARA", AMOUNT, 2024, "300000")
    accepted("GSO", RATE, 2024, numerator=Decimal(1), denominator=Decimal(8))
    accepted("GSO", EVENTS, 2024, "1701")
    rollup_all()

    response = dashboard(client, year="2024")

    rows = rows_of(response)
    gso = [pole.code for pole in response.context["poles"]].index("GSO")
    assert rows[AMOUNT].poles[gso].value_text == f"1{NBSP}201{NBSP}€"
    assert rows[AMOUNT].national.value_text == f"301{NBSP}201{NBSP}€"
    assert rows[RATE].poles[gso].value_text == f"12,5{NBSP}%"
    assert rows[EVENTS].national.value_text == f"1{NBSP}701"
    page = response.content.decode()
    assert f"<strong>1{NBSP}201{NBSP}€</strong>" in page
    assert f"<strong>12,5{NBSP}%</strong>" in page


def test_targets_show_with_their_unit(client):
    value = accepted("GSO", AMOUNT, 2024, "1000")
    TargetFactory(contract=value.contract, indicator=indicator(AMOUNT), year=2024, value=Decimal("25000"))
    rollup_all()

    response = dashboard(client, year="2024")

    gso = [pole.code for pole in response.context["poles"]].index("GSO")
    assert rows_of(response)[AMOUNT].poles[gso].target_text == f"25{NBSP}000{NBSP}€"
    assert f'cible <span class="nowrap">25{NBSP}000{NBSP}€</span>' in response.content.decode()


# --- trends over different poles ------------------------------------------------------------------------


def test_trend_over_different_poles_is_flagged_with_the_same_poles_figure(client):
    # 2023: three poles report 1,701 teams; 2024: two of them report 1,311. The national figure
    # "falls", but over the same two poles it rises from 1,201 to 1,311.
    accepted("GSO", TEAMS, 2023, "700")
    accepted("CLARA", TEAMS, 2023, "501")
    accepted("EST", TEAMS, 2023, "500")
    accepted("GSO", TEAMS, 2024, "800")
    accepted("CLARA", TEAMS, 2024, "511")
    rollup_all()

    response = dashboard(client, year="2024")

    trend = rows_of(response)[TEAMS].trend
    assert trend.comparable is False
    assert [p.value for p in trend.points] == [Decimal(1701), Decimal(1311), None, None, None]
    assert [p.coverage.short if p.coverage else None for p in trend.points] == [
        "3/7",
        "2/7",
        None,
        None,
        None,
    ]
    assert trend.same_poles == 2
    assert [p.same_poles_value for p in trend.points] == [Decimal(1201), Decimal(1311), None, None, None]
    text = text_of(response).replace(NBSP, " ")
    assert "Non comparable d'une année à l'autre : les années couvrent des pôles différents." in text
    assert "M1_TEAMS sur les 2 mêmes pôles chaque année" in text
    assert "Les années couvrent des pôles différents : comparez-les avec prudence." in text  # chart desc


def test_trend_over_as_many_but_other_poles_is_flagged_too(client):
    accepted("GSO", EVENTS, 2023, "10")
    accepted("CLARA", EVENTS, 2024, "10")
    rollup_all()

    response = dashboard(client, year="2024")

    trend = rows_of(response)[EVENTS].trend
    assert trend.comparable is False
    assert trend.same_poles == 0
    assert [p.differs for p in trend.points] == [True, False, False, False, False]


def test_trend_over_the_same_poles_is_not_flagged(client):
    for year, figure in ((2023, "10"), (2024, "12")):
        accepted("GSO", EVENTS, year, figure)
        accepted("CLARA", EVENTS, year, figure)
    rollup_all()

    response = dashboard(client, year="2024")

    trend = rows_of(response)[EVENTS].trend
    assert trend.comparable is True
    assert trend.same_poles is None
    assert "Non comparable" not in text_of(response).split("M2_EVENTS", 1)[1].split("M2_PARTICIPANTS", 1)[0]


def test_same_poles_figure_of_a_ratio_is_the_ratio_of_the_sums(client):
    accepted("GSO", RATE, 2023, numerator=Decimal(1), denominator=Decimal(4))
    accepted("CLARA", RATE, 2023, numerator=Decimal(3), denominator=Decimal(4))
    accepted("GSO", RATE, 2024, numerator=Decimal(1), denominator=Decimal(2))
    rollup_all()

    response = dashboard(client, year="2024")

    trend = rows_of(response)[RATE].trend
    assert [p.value for p in trend.points][:2] == [Decimal("50.0000"), Decimal("50.0000")]
    assert [p.same_poles_value for p in trend.points][:2] == [Decimal("25.0000"), Decimal("50.0000")]


# --- charts beside the tables ----------------------------------------------------------------------------


def test_each_indicator_has_an_accessible_pole_chart_and_trend_chart(client):
    value = accepted("GSO", EVENTS, 2024, "12")
    TargetFactory(contract=value.contract, indicator=indicator(EVENTS), year=2024, value=Decimal("10"))
    rollup_all()

    response = dashboard(client, year="2024")

    page = response.content.decode()
    active = IndicatorDefinition.objects.filter(is_active=True).count()
    assert page.count('role="img"') == 2 * active
    assert page.count("<title id=") == 2 * active
    assert page.count("<desc id=") == 2 * active
    chart = page.split('id="chart-poles-M2_EVENTS-desc">', 1)[1].split("</desc>", 1)[0]
    assert "GSO : 12, cible 10 (en bonne voie)" in html.unescape(chart).replace(NBSP, " ")
    assert "CLARA : aucun chiffre" in html.unescape(chart).replace(NBSP, " ")
    trend = page.split('id="chart-trend-M2_EVENTS-desc">', 1)[1].split("</desc>", 1)[0]
    assert "2024 : 12 (1/7 pôles)" in html.unescape(trend).replace(NBSP, " ")
    # The text labels of the chart: every pole code, the value.
    svg = page.split('aria-labelledby="chart-poles-M2_EVENTS-title', 1)[1].split("</svg>", 1)[0]
    assert all(f">{pole.code}</text>" in svg for pole in Canceropole.objects.all())
    assert ">12</text>" in svg


def test_charts_sit_beside_their_table_in_each_mission(client):
    response = dashboard(client, year="2024")

    page = response.content.decode()
    for group in response.context["groups"]:
        section = page.split(
            f'<section class="mission" aria-labelledby="mission-{group.mission.number}">', 1
        )[1]
        section = section.split("</section>", 1)[0]
        table_at = section.index(f'id="poles-table-{group.mission.number}"')
        charts_at = section.index('class="chart-grid"')
        trend_at = section.index(f'id="trend-table-{group.mission.number}"')
        assert table_at < charts_at < trend_at
        assert section.count('class="chart-figure"') == len(group.rows)
        assert section.count('class="trend-chart-cell"') == len(group.rows)


def test_tables_scroll_in_labelled_focusable_regions(client):
    response = dashboard(client, year="2024")

    page = response.content.decode()
    regions = re.findall(r'<div class="table-scroll"([^>]*)>', page)
    assert len(regions) == 2 * len(response.context["groups"])
    assert all(
        'role="region"' in attrs and 'tabindex="0"' in attrs and "aria-labelledby=" in attrs
        for attrs in regions
    )


def test_highlighted_pole_is_marked_in_table_and_charts(client):
    accepted("GSO", EVENTS, 2024, "12")
    rollup_all()

    response = dashboard(client, year="2024", pole="GSO")

    assert response.status_code == 200
    assert response.context["highlighted"].code == "GSO"
    assert all(
        [bar.highlighted for bar in row.chart.bars].count(True) == 1
        for group in response.context["groups"]
        for row in group.rows
    )


def test_highlighting_an_unknown_pole_is_a_400_naming_the_field(client):
    response = dashboard(client, pole="NOPE")

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["pole"]


# --- query counts ---------------------------------------------------------------------------------------


def _figures(*, poles: int, years: int):
    """``poles`` more poles, each with an accepted value of every indicator for ``years`` years."""
    indicators = list(IndicatorDefinition.objects.filter(is_active=True))
    for _index in range(poles):
        contract = CopContractFactory(canceropole=CanceropoleFactory())
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                contract=contract,
                indicator=definition,
                year=year,
                value=5,
                numerator=1 if definition.is_ratio else None,
                denominator=2 if definition.is_ratio else None,
                status=ValueStatus.ACCEPTED if year % 2 else ValueStatus.APPROVED,
            )
            for definition in indicators
            for year in range(2023, 2023 + years)
        )
        for year in range(2023, 2023 + years):
            TargetFactory(contract=contract, indicator=indicators[0], year=year, value=4)
    rollup_all()


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (4, 5)])
def test_public_dashboard_query_count_is_constant(client, poles, years, django_assert_num_queries):
    _figures(poles=poles, years=years)

    # the poles, the catalogue with missions, the national rollups of every year, the pole rollups of
    # every year, the poles' targets of the year (no session: an anonymous visitor without cookies)
    with django_assert_num_queries(5):
        response = dashboard(client)

    assert response.status_code == 200
    assert len(response.context["poles"]) == 7 + poles


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (4, 5)])
def test_provisional_dashboard_of_a_director_query_count_is_constant(
    client, director_a, poles, years, django_assert_num_queries
):
    _figures(poles=poles, years=years)
    client.force_login(director_a)

    # session, user, the user's memberships (the provisional rule and the rollups' scope read them once),
    # the poles, the catalogue with missions, the national rollups, the pole rollups, the targets
    with django_assert_num_queries(8):
        response = dashboard(client, basis="provisional", pole="GSO")

    assert response.status_code == 200
    assert response.context["is_provisional"] is True
