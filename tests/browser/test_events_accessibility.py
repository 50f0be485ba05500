"""The events pages have no serious or critical axe-core violation and do not scroll sideways, at
1280 px (desktop) and 390 px (phone); the attendance list also at 800 px (a tablet held upright)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from events.models import RegistrationStatus, Session, Speaker
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.conftest import login
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


@pytest.fixture
def agenda(pole_a, pole_b, researcher):
    """A full event with a waiting list and a programme, an event on today, and a few more."""
    full = EventFactory(
        canceropole=pole_a,
        co_organisers=[pole_b],
        capacity=2,
        title_fr="Formation : rédiger un projet ERC",
        title_en="Training: writing an ERC proposal",
        kind="training",
        audience="young_researchers",
    )
    session = Session.objects.create(
        event=full, title_fr="Atelier", starts_at=full.starts_at, ends_at=full.starts_at + timedelta(hours=2)
    )
    Speaker.objects.create(event=full, session=session, name="Marie Curie", affiliation="Institut Curie")
    RegistrationFactory.create_batch(2, event=full)
    RegistrationFactory(
        event=full, user=researcher, email=researcher.email, status=RegistrationStatus.WAITING
    )
    now = timezone.now()
    today = EventFactory(
        canceropole=pole_a, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5)
    )
    RegistrationFactory.create_batch(
        4, event=today, organisation="Laboratoire d'oncologie moléculaire de Toulouse"
    )
    RegistrationFactory(event=today, status=RegistrationStatus.ATTENDED)
    open_event = EventFactory(canceropole=pole_b, online_url="https://visio.example.org/x", venue="", city="")
    return {"full": full, "today": today, "open": open_event}


def _check(page, path, widths=WIDTHS):
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        assert_accessible(page)
        assert_no_page_scroll(page)


def _english(page, live_server):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def test_public_events_pages_are_accessible(page, live_server, agenda):
    _check(page, "/events/")
    _check(page, "/events/?when=past")
    _check(page, f"/events/{agenda['full'].pk}/")
    _english(page, live_server)
    _check(page, f"/events/{agenda['open'].pk}/")


def test_researcher_pages_are_accessible(page, live_server, agenda, researcher):
    login(page, live_server, researcher)

    _check(page, f"/events/{agenda['full'].pk}/")  # waiting list status
    _check(page, f"/events/{agenda['open'].pk}/")  # the registration form
    _check(page, "/events/mine/")
    _check(page, "/account/")


def test_organiser_pages_are_accessible(page, live_server, agenda, coordinator_a):
    login(page, live_server, coordinator_a)
    full, today = agenda["full"].pk, agenda["today"].pk

    _check(page, "/events/manage/")
    _check(page, "/events/manage/GSO/")
    _check(page, "/events/manage/GSO/new/")
    _check(page, f"/events/{full}/edit/")
    _check(page, f"/events/{full}/programme/")
    _check(page, f"/events/{full}/registrations/")
    _check(page, f"/events/{full}/badges/")
    _check(page, f"/events/{full}/cancel/")
    _check(page, f"/events/{today}/attendance/", widths=(1280, 800, 390))


def test_form_errors_are_accessible(page, live_server, agenda, coordinator_a):
    login(page, live_server, coordinator_a)
    page.goto("/events/manage/GSO/new/")
    page.get_by_role("button", name="Enregistrer").click()

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert_no_page_scroll(page)
