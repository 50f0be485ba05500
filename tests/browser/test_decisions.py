"""Deciding at scale in a real browser (issue §1): a director filters a year and approves it in bulk with
"select all"; INCa sees the director's comment, the history and the previous year's value, and accepts
every value matching the filter at once."""

from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cop_contracts import services
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorValue, ValueStatus
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = pytest.mark.browser

CODES = ["M2_EVENTS", "M4_PATENTS", "M4_STARTUPS"]


def _signed_in(browser, live_server, user):
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    login(page, live_server, user)
    return context, page


def _accessible_at_both_widths(page) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        assert_accessible(page)
        assert_no_page_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_director_approves_a_year_in_bulk_and_inca_accepts_it_with_the_context(
    browser, live_server, pole_a, coordinator_a, director_a, inca_staff
):
    contract = CopContract.objects.create(canceropole=pole_a)
    for code in CODES:
        definition = IndicatorDefinition.objects.get(code=code)
        IndicatorValue.objects.create(
            contract=contract, indicator=definition, year=2023, value=Decimal(4), status=ValueStatus.ACCEPTED
        )
        for year in (2024, 2025):
            value = services.indicator_value_save(
                contract=contract, indicator=definition, year=year, by=coordinator_a, value="5"
            )
            services.indicator_value_submit(value=value, by=coordinator_a)

    context, director = _signed_in(browser, live_server, director_a)
    try:
        director.goto(f"/cop/GSO/{contract.first_year}/approval/")
        _accessible_at_both_widths(director)
        director.get_by_label("Year").select_option("2024")
        director.get_by_role("button", name="Filter").click()
        expect(director.get_by_role("table")).to_contain_text("(3 values)")
        director.get_by_label("All on this page").check()
        expect(director.get_by_label("Tick M4_PATENTS 2024")).to_be_checked()
        director.get_by_label("Decision").select_option("approve")
        director.locator("#bulk-form").get_by_label("Comment (required to send back)").fill(
            "Conforme au bilan 2024"
        )
        with director.expect_navigation():
            director.get_by_role("button", name="Apply to the ticked values").click()
        expect(director.get_by_role("status").first).to_contain_text("3 values: Approved")
    finally:
        context.close()
    assert IndicatorValue.objects.filter(year=2024, status=ValueStatus.APPROVED).count() == 3
    assert IndicatorValue.objects.filter(year=2025, status=ValueStatus.SUBMITTED).count() == 3

    context, inca = _signed_in(browser, live_server, inca_staff)
    try:
        inca.goto("/cop/review/?year=2024")
        _accessible_at_both_widths(inca)
        row = inca.get_by_role("row").filter(has=inca.get_by_role("rowheader", name="M2_EVENTS"))
        expect(row).to_contain_text("Value 2023")
        row.get_by_text("History (3 steps)").click()
        expect(row.locator(".history")).to_contain_text("Conforme au bilan 2024")
        inca.get_by_label("all 3 values matching the filters, on every page").check()
        inca.get_by_label("Action").select_option("accept")
        with inca.expect_navigation():
            inca.get_by_role("button", name="Apply", exact=True).click()
        expect(inca.get_by_role("status").first).to_contain_text("3 values: Accepted")
    finally:
        context.close()
    assert IndicatorValue.objects.filter(year=2024, status=ValueStatus.ACCEPTED).count() == 3
