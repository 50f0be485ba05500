"""Registration with a waiting list, in a real browser, one browser context per person.

A researcher registers for a full event and lands on the waiting list; the person holding the last
place cancels; the researcher is promoted (and e-mailed); on the day, the organiser ticks them present
on the attendance list, on a tablet-sized screen.
"""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, Registration, RegistrationStatus
from tests.browser.conftest import TIMEOUT_MS, login
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@contextmanager
def person(browser, live_server, user, *, width=1280, height=900):
    """A separate browser (own cookies) signed in as ``user``, reading the portal in English."""
    context = browser.new_context(
        locale="en-US", base_url=live_server.url, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    login(page, live_server, user)
    try:
        yield page
    finally:
        context.close()


def test_waiting_list_promotion_and_attendance(browser, live_server, pole_a, researcher, coordinator_a):
    event = EventFactory(canceropole=pole_a, capacity=1, title_en="Single-cell training")
    holder = UserFactory(first_name="Hélène", last_name="Holder")
    held = RegistrationFactory(event=event, user=holder, email=holder.email)

    with person(browser, live_server, researcher) as page:
        page.goto(event.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text("Single-cell training")
        panel = page.get_by_role("region", name="Registration")
        expect(panel).to_contain_text("The event is full")
        panel.get_by_label("Career stage").select_option("postdoc")
        panel.get_by_label("Region of your lab").select_option(label="Occitanie")
        panel.get_by_label("Lab or institution").fill("LDOM-T")
        panel.get_by_role("button", name="Join the waiting list").click()
        expect(page.locator("#registration-status")).to_contain_text(
            "You are on the waiting list, in position 1."
        )

        with person(browser, live_server, holder) as holder_page:
            holder_page.goto(event.get_absolute_url())
            holder_page.get_by_role("button", name="Cancel my registration").click()
            expect(holder_page.get_by_role("status").first).to_contain_text("The registration is cancelled.")

        page.reload()
        expect(page.locator("#registration-status")).to_have_text("You have a place at this event.")
        page.goto("/events/mine/")
        expect(page.get_by_role("main")).to_contain_text("Single-cell training")

    mine = Registration.objects.get(event=event, user=researcher)
    assert mine.status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(pk=held.pk).status == RegistrationStatus.CANCELLED
    assert [m.to for m in mail.outbox if "place" in m.subject.lower() and researcher.email in m.to]

    # The day of the event.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10), ends_at=timezone.now() + timedelta(hours=6)
    )
    with person(browser, live_server, coordinator_a, width=800, height=1280) as organiser:
        organiser.goto(f"/events/{event.pk}/attendance/")
        organiser.get_by_label("Find a name").fill(researcher.last_name.lower())
        box = organiser.get_by_role("checkbox", name=researcher.last_name.upper(), exact=False)
        box.check()
        expect(organiser.locator(f"#status-{mine.pk}")).to_have_text("Present")

    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.ATTENDED
    assert list(mine.transitions.values_list("to_status", flat=True)) == ["waiting", "registered", "attended"]
