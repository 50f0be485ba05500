"""A mobility grant walked in a real browser, one browser context per person, with the pole's budget
page following the money: a researcher applies, the coordinator approves (the budget's committed total
grows), the researcher declares the stay done and hands in the report, the coordinator pays (the budget's
paid total grows). The pages of the walk have no serious or critical axe-core violation at 1280 and 390 px.
"""

import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from funding.models import Earmark, FunderKind
from projects.models import MobilityGrant, MobilityStatus
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.conftest import TIMEOUT_MS, login, watch_csp
from tests.factories import OrganisationFactory
from tests.funding.factories import AllocationFactory, FunderFactory, MobilitySessionFactory

pytestmark = pytest.mark.browser

WIDTHS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})


@contextmanager
def person(browser, live_server, user):
    """A separate browser (own cookies) signed in as ``user``, reading the portal in English."""
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    watch_csp(page)
    login(page, live_server, user)
    try:
        yield page
    finally:
        context.close()


def totals(page) -> dict[str, str]:
    return {
        key: page.locator(f'[data-total="{key}"]').inner_text().strip()
        for key in ("allocated", "committed", "paid", "available")
    }


def check_accessibility(page) -> None:
    for size in WIDTHS:
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_no_page_scroll(page)
    page.set_viewport_size(WIDTHS[0])


def test_mobility_grant_walk_moves_the_budget(browser, live_server, pole_a, coordinator_a, researcher):
    today = timezone.localdate()
    session = MobilitySessionFactory(canceropole=pole_a, number=1)
    AllocationFactory(
        funder=FunderFactory(
            organisation__name="Ligue contre le cancer", kind=FunderKind.PATIENT_ASSOCIATION
        ),
        canceropole=pole_a,
        year=session.year,
        amount=Decimal("40000"),
        purpose="Bourses de mobilité",
        earmark=Earmark.MOBILITY,
    )
    lab = OrganisationFactory(name="Laboratoire d'oncologie de Toulouse")
    budget_path = f"/funding/{pole_a.code}/{session.year}/"

    with (
        person(browser, live_server, coordinator_a) as coordinator,
        person(browser, live_server, researcher) as me,
    ):
        coordinator.goto(budget_path)
        assert totals(coordinator) == {
            "allocated": "40,000.00",
            "committed": "0.00",
            "paid": "0.00",
            "available": "40,000.00",
        }
        check_accessibility(coordinator)

        # The researcher applies in the open session.
        me.goto("/mobility/")
        check_accessibility(me)
        me.get_by_role("link", name=re.compile(rf"^Apply – {pole_a.short_name}")).click()
        form = me.locator("#apply-form")
        form.get_by_label("Your lab").select_option(label=str(lab))
        form.get_by_label("Host lab or institution").fill("Karolinska Institutet")
        form.get_by_label("Host city").fill("Stockholm")
        form.get_by_label("Host country (two-letter code)").fill("SE")
        form.get_by_label("Purpose of the stay").fill("Learn single-cell sequencing analysis.")
        form.get_by_label("Start of the stay").fill(today.isoformat())
        form.get_by_label("End of the stay").fill(today.isoformat())
        form.get_by_label("Amount requested (EUR)").fill("2 600")
        form.get_by_role("button", name="Send my application").click()
        # Above the ceiling: refused next to the field, nothing recorded.
        expect(form.locator(".errorlist")).to_contain_text("The ceiling of this scheme is 2,500.00 €.")
        assert MobilityGrant.objects.count() == 0
        form.get_by_label("Amount requested (EUR)").fill("2000")
        check_accessibility(me)
        with me.expect_navigation():
            form.get_by_role("button", name="Send my application").click()
        expect(me.locator("#grant-status")).to_have_text("Applied")
        grant = MobilityGrant.objects.get()
        grant_path = f"/mobility/{grant.pk}/"

        # The coordinator approves: the money is committed.
        coordinator.goto(grant_path)
        check_accessibility(coordinator)
        coordinator.get_by_label("Amount approved (EUR)").fill("2000")
        with coordinator.expect_navigation():
            coordinator.get_by_role("button", name="Approve").click()
        expect(coordinator.locator("#grant-status")).to_have_text("Approved")
        coordinator.goto(budget_path)
        assert totals(coordinator)["committed"] == "2,000.00"
        assert totals(coordinator)["available"] == "38,000.00"
        assert totals(coordinator)["paid"] == "0.00"

        # The researcher came back: stay done, then the report.
        me.goto(grant_path)
        with me.expect_navigation():
            me.get_by_role("button", name="The stay is done").click()
        expect(me.locator("#grant-status")).to_have_text("Stay done")
        me.get_by_label("Report on the stay").fill("Technique learnt; a joint paper is in preparation.")
        with me.expect_navigation():
            me.get_by_role("button", name="Send the report").click()
        expect(me.locator("#grant-status")).to_have_text("Report received")
        check_accessibility(me)

        # The coordinator pays: the budget shows it paid.
        coordinator.goto(grant_path)
        with coordinator.expect_navigation():
            coordinator.get_by_role("button", name="Pay 2,000.00 €").click()
        expect(coordinator.locator("#grant-status")).to_have_text("Paid")
        coordinator.goto(budget_path)
        assert totals(coordinator) == {
            "allocated": "40,000.00",
            "committed": "2,000.00",
            "paid": "2,000.00",
            "available": "38,000.00",
        }
        expect(
            coordinator.get_by_role("row", name=re.compile("Mobility: .* at Karolinska Institutet"))
        ).to_be_visible()
        check_accessibility(coordinator)

    grant.refresh_from_db()
    assert (grant.status, grant.paid_on) == (MobilityStatus.PAID, timezone.localdate())
    assert list(grant.transitions.values_list("to_status", flat=True)) == [
        "applied",
        "approved",
        "stay_done",
        "report_received",
        "paid",
    ]
