"""The national dashboard and the reporting grid in a real browser, on a 1280 px screen and a 390 px phone:
charts beside their tables, no serious or critical axe-core violation, and no sideways scrolling of the
page (wide tables scroll inside their own labelled region)."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from canceropoles.models import Canceropole
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorValue, Target, ValueStatus
from cop_contracts.rollups import rollup_all
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("COP_SCREENSHOT_DIR", "/tmp"))
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def published_figures(db):
    """Every pole reports every indicator for 2024 with wide figures (millions of euros), half of them
    for 2023 too, with targets: the widest dashboard the network can produce."""
    indicators = list(IndicatorDefinition.objects.filter(is_active=True))
    for position, pole in enumerate(Canceropole.objects.order_by("code")):
        contract = CopContract.objects.create(canceropole=pole)
        years = (2023, 2024) if position % 2 else (2024,)
        for definition in indicators:
            for year in years:
                figure = Decimal("1234567.89") if definition.unit == "eur" else Decimal(1700 + position)
                IndicatorValue.objects.create(
                    contract=contract,
                    indicator=definition,
                    year=year,
                    value=None if definition.is_ratio else figure,
                    numerator=Decimal(3 + position) if definition.is_ratio else None,
                    denominator=Decimal(10) if definition.is_ratio else None,
                    status=ValueStatus.ACCEPTED,
                )
                Target.objects.create(contract=contract, indicator=definition, year=year, value=figure)
    rollup_all()


def table_regions_fit(page) -> list[str]:
    """The table regions whose table is wider than the region (it would scroll)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')]
            .filter(region => region.scrollWidth > region.clientWidth + 1)
            .map(region => region.getAttribute('aria-labelledby') + ' ' + region.scrollWidth + '>'
                 + region.clientWidth)"""
    )


def test_dashboard_shows_charts_beside_their_tables(page, live_server, published_figures):
    page.set_viewport_size(WIDTHS["desktop"])

    page.goto("/cop/dashboard/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tableau de bord national des indicateurs des COP"
    )
    sections = page.locator("section.mission")
    expect(sections).to_have_count(4)
    for index in range(4):
        section = sections.nth(index)
        table = section.locator(".dashboard-table")
        charts = section.locator(".chart-grid")
        expect(table).to_be_visible()
        first_chart = charts.get_by_role("img").first
        expect(first_chart).to_be_visible()
        table_box, charts_box = table.bounding_box(), charts.bounding_box()
        # Directly under its table, with nothing in between.
        assert 0 <= charts_box["y"] - (table_box["y"] + table_box["height"]) <= 40
        trend_chart = section.locator(".trend-table").get_by_role("img").first
        expect(trend_chart).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile(r"^M2_EVENTS, 2024\s:\sle chiffre de chaque pôle"))
    ).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "cop-dashboard-1280.png", full_page=True)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_dashboard_is_accessible_and_does_not_scroll_sideways(page, live_server, published_figures, width):
    page.set_viewport_size(WIDTHS[width])

    page.goto("/cop/dashboard/?pole=GSO")

    expect(page.locator("section.mission")).to_have_count(4)
    assert_accessible(page)
    assert_no_page_scroll(page)
    if width == "desktop":
        # Every pole and the national column fit a 1280 px screen: no table needs to scroll.
        assert table_regions_fit(page) == []
    page.screenshot(path=SCREENSHOTS / f"cop-dashboard-{WIDTHS[width]['width']}.png", full_page=True)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_grid_is_accessible_and_does_not_scroll_sideways(
    page, live_server, published_figures, coordinator_a, width
):
    contract = CopContract.objects.get(canceropole=coordinator_a.pole)
    draft = IndicatorValue.objects.filter(contract=contract, year=2024).first()
    IndicatorValue.objects.filter(pk=draft.pk).update(status=ValueStatus.DRAFT)
    page.set_viewport_size(WIDTHS[width])
    login(page, live_server, coordinator_a)

    page.goto(f"/cop/{contract.canceropole.code}/{contract.first_year}/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Suivi du COP")
    assert_accessible(page)
    assert_no_page_scroll(page)
    if width == "desktop":
        assert table_regions_fit(page) == []
    page.screenshot(path=SCREENSHOTS / f"cop-grid-{WIDTHS[width]['width']}.png", full_page=True)


def test_focus_moves_to_the_saved_cell_or_the_field_in_error_after_an_in_place_save(
    page, live_server, coordinator_a
):
    contract = CopContract.objects.create(canceropole=coordinator_a.pole)
    events = IndicatorDefinition.objects.get(code="M2_EVENTS")
    page.set_viewport_size(WIDTHS["desktop"])
    login(page, live_server, coordinator_a)
    page.goto(f"/cop/{contract.canceropole.code}/{contract.first_year}/")
    cell = page.locator(f"#cell-{events.pk}-2024")

    cell.get_by_text("Saisir M2_EVENTS 2024").click()
    cell.get_by_label("Valeur – M2_EVENTS 2024").fill("1e6")
    cell.get_by_role("button", name="Enregistrer M2_EVENTS 2024").click()

    field = cell.get_by_label("Valeur – M2_EVENTS 2024")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(cell.locator(".errorlist")).to_contain_text("sans exposant")

    field.fill("1 200")
    cell.get_by_role("button", name="Enregistrer M2_EVENTS 2024").click()

    message = cell.locator(".cell-message")
    expect(message).to_have_text("Enregistré.")
    expect(message).to_be_focused()
    expect(cell.locator(".cell-value")).to_contain_text("1\u00a0200")
    assert page.evaluate("document.activeElement.tagName") != "BODY"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_submit_confirmation_and_error_pages_are_accessible(page, live_server, coordinator_a, width):
    contract = CopContract.objects.create(canceropole=coordinator_a.pole)
    IndicatorValue.objects.create(
        contract=contract,
        indicator=IndicatorDefinition.objects.get(code="M3_EMERGENCE_AMOUNT"),
        year=2024,
        value=Decimal("1234567.5"),
        comment="Montants engagés au 31/12",
    )
    page.set_viewport_size(WIDTHS[width])
    login(page, live_server, coordinator_a)
    page.goto(f"/cop/{contract.canceropole.code}/{contract.first_year}/")

    with page.expect_navigation():
        page.get_by_role("button", name="Soumettre 2024").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Soumettre 2024 à la direction")
    expect(page.get_by_role("row")).to_have_count(2)
    assert_accessible(page)
    assert_no_page_scroll(page)
    for path in ("/poles/NOPE/", "/cop/CLARA/2023/"):
        response = page.goto(path)
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
        assert_accessible(page)
        assert_no_page_scroll(page)
