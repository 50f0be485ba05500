"""The whole COP loop in a real browser, one browser context per person.

A coordinator enters and submits values, the director approves them, INCa staff sends one back with a
comment, the coordinator corrects and resubmits it, the director approves it again, INCa accepts both
(one by one and in bulk), and the public national dashboard then shows the accepted figure.
"""

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cop_contracts import services
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorValue, ValueStatus
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("COP_SCREENSHOT_DIR", "/tmp"))
EVENTS, PARTICIPANTS = "M2_EVENTS", "M2_PARTICIPANTS"


@contextmanager
def person(browser, live_server, user):
    """A separate browser (own cookies) signed in as ``user``, reading the portal in English."""
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    login(page, live_server, user)
    try:
        yield page
    finally:
        context.close()


def enter_value(page, code: str, year: int, figure: str) -> None:
    cell = page.locator(f"#cell-{IndicatorDefinition.objects.get(code=code).pk}-{year}")
    if cell.locator("details").get_attribute("open") is None:  # still open when it showed an error
        cell.get_by_text(re.compile(rf"^(Enter|Edit) {code} {year}$")).click()
    cell.get_by_label(f"Value – {code} {year}").fill(figure)
    cell.get_by_role("button", name=f"Save {code} {year}").click()
    expect(cell.locator(".cell-value")).to_contain_text(figure)
    expect(page.locator("#grid-live")).to_have_text(f"Saved: {code} {year}.")


def submit_year(page, year: int, count: int) -> None:
    noun = "value" if count == 1 else "values"
    with page.expect_navigation():
        page.get_by_role("button", name=f"Submit {year}").click()
    # The confirmation lists what will go to the director before anything changes.
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Submit {year} to the director")
    expect(page.locator(".confirm-table tbody tr")).to_have_count(count)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Confirm: submit {count} {noun} of {year}").click()
    expect(page.get_by_role("status").first).to_contain_text(f"{count} {noun} of {year} submitted")


def approve(page, code: str, year: int) -> None:
    page.get_by_role("button", name=f"Approve {code} {year}").click()
    expect(decision_message(page, code)).to_have_text("Approved: sent to INCa.")
    expect(page.locator("#decision-live")).to_have_text(f"{code} {year}: Approved: sent to INCa.")


def decision_message(page, code: str):
    """The message that replaced the decision form in the row of ``code``."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(code)))
    return row.locator(".decision .message-success")


def test_cop_loop_from_entry_to_the_national_dashboard(
    browser, live_server, pole_a, coordinator_a, director_a, inca_staff
):
    contract = CopContract.objects.create(canceropole=pole_a)
    for code, target in ((EVENTS, "10"), (PARTICIPANTS, "200")):
        indicator = IndicatorDefinition.objects.get(code=code)
        services.target_set(contract=contract, indicator=indicator, year=2024, value=target)
    grid = f"/cop/{pole_a.code}/{contract.first_year}/"
    approval = f"{grid}approval/"

    with (
        person(browser, live_server, coordinator_a) as coordinator,
        person(browser, live_server, director_a) as director,
        person(browser, live_server, inca_staff) as inca,
    ):
        # The coordinator enters two values in place and submits the year.
        coordinator.goto(grid)
        expect(coordinator.get_by_role("heading", level=1)).to_contain_text("COP reporting")
        events_cell = coordinator.locator(f"#cell-{IndicatorDefinition.objects.get(code=EVENTS).pk}-2024")
        events_cell.get_by_text(f"Enter {EVENTS} 2024").click()
        events_cell.get_by_label(f"Value – {EVENTS} 2024").fill("douze")
        events_cell.get_by_role("button", name=f"Save {EVENTS} 2024").click()
        expect(events_cell.locator(".errorlist")).to_have_text("Enter a number.")
        expect(events_cell.get_by_label(f"Value – {EVENTS} 2024")).to_have_attribute("aria-invalid", "true")
        events_cell.screenshot(path=SCREENSHOTS / "cop_grid_cell_error.png")
        enter_value(coordinator, EVENTS, 2024, "12")
        enter_value(coordinator, PARTICIPANTS, 2024, "180")
        submit_year(coordinator, 2024, 2)

        # The director approves both.
        director.goto(approval)
        approve(director, EVENTS, 2024)
        director.reload()
        approve(director, PARTICIPANTS, 2024)

        # INCa sends the events count back with a comment.
        inca.goto("/cop/review/")
        inca.get_by_label(f"Comment (required to send back) – GSO {EVENTS} 2024").fill(
            "Compter aussi les webinaires."
        )
        inca.get_by_role("button", name=f"Send back GSO {EVENTS} 2024").click()
        expect(decision_message(inca, EVENTS)).to_have_text("Sent back to the pole.")

        # The coordinator sees why, corrects the value and resubmits it.
        coordinator.goto(grid)
        expect(events_cell).to_contain_text("Compter aussi les webinaires.")
        expect(events_cell.locator(".badge")).to_have_text("Sent back for revision")
        enter_value(coordinator, EVENTS, 2024, "14")
        submit_year(coordinator, 2024, 1)
        coordinator.screenshot(path=SCREENSHOTS / "cop_grid.png", full_page=True)
        coordinator.locator("section", has=coordinator.locator("#mission-2")).screenshot(
            path=SCREENSHOTS / "cop_grid_mission2.png"
        )

        # The director approves the correction.
        director.goto(approval)
        approve(director, EVENTS, 2024)

        # INCa accepts the participants in bulk and the events one by one.
        inca.goto("/cop/review/")
        inca.get_by_label(f"Tick GSO {PARTICIPANTS} 2024").check()
        inca.get_by_label("Action").select_option("accept")
        with inca.expect_navigation():
            inca.get_by_role("button", name="Apply to the ticked values").click()
        expect(inca.get_by_role("status").first).to_contain_text("1 value: Accepted")
        inca.get_by_role("button", name=f"Accept GSO {EVENTS} 2024").click()
        expect(decision_message(inca, EVENTS)).to_have_text("Accepted: published and locked.")

        # Locked now: the coordinator's grid offers no edit for it.
        coordinator.goto(grid)
        expect(events_cell.locator(".locked")).to_have_text("locked")
        expect(events_cell.locator("details")).to_have_count(0)

    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.ACCEPTED}

    # Anyone: the national dashboard publishes the accepted figure.
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    public = context.new_page()
    public.goto("/cop/dashboard/?year=2024")
    row = (
        public.locator("table.dashboard-table")
        .get_by_role("row")
        .filter(has=public.get_by_role("rowheader", name=re.compile(EVENTS)))
    )
    expect(row.locator("td.national")).to_contain_text("14")
    expect(row.locator("td.national")).to_contain_text("target 10")
    expect(row.locator("td.national")).to_contain_text("on track")
    expect(public.get_by_text("Published figures: values accepted by INCa only.")).to_be_visible()
    public.screenshot(path=SCREENSHOTS / "cop_dashboard.png", full_page=True)
    public.locator("section", has=public.locator("#mission-2")).screenshot(
        path=SCREENSHOTS / "cop_dashboard_mission2.png"
    )
    context.close()
