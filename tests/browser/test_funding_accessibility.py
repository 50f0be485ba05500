"""The follow-up, mobility and grants pages have no serious or critical axe-core violation at 1280 and
390 px and do not scroll sideways (the budget and the mobility walk are checked in test_funding_mobility)."""

import pytest
from django.utils import timezone

from projects.models import MobilityStatus
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.conftest import login
from tests.funding.factories import (
    MobilityGrantFactory,
    MobilitySessionFactory,
    OutcomeFactory,
    ProjectFactory,
    ReportFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})


def check(page, path: str) -> None:
    page.goto(path)
    for size in WIDTHS:
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_no_page_scroll(page)


@pytest.fixture
def followed(pole_a, researcher):
    project = ProjectFactory(
        canceropole=pole_a,
        lead=researcher,
        published_at=timezone.now(),
        title="Signature immunitaire précoce des cancers du pancréas et suivi longitudinal des patients",
    )
    OutcomeFactory(project=project, doi="10.1038/s41586-020-2649-2")
    OutcomeFactory(
        project=project, kind="follow_on", doi="", title="ANR JCJC", funder_name="ANR", amount=250000
    )
    ReportFactory(project=project)
    session = MobilitySessionFactory(canceropole=pole_a)
    MobilityGrantFactory(session=session, applicant=researcher)
    MobilityGrantFactory(session=session, status=MobilityStatus.REFUSED)
    return project


def test_pole_follow_up_pages_are_accessible(page, live_server, coordinator_a, pole_a, followed):
    login(page, live_server, coordinator_a)

    for path in (
        f"/projects/pole/{pole_a.code}/",
        f"/projects/pole/{pole_a.code}/outcomes/",
        f"/projects/{followed.pk}/",
        f"/mobility/pole/{pole_a.code}/",
    ):
        check(page, path)


def test_researcher_pages_are_accessible(page, live_server, researcher, pole_a, followed):
    login(page, live_server, researcher)
    grant = followed.lead.mobility_grants.get()

    for path in ("/projects/mine/", f"/projects/{followed.pk}/", "/mobility/", f"/mobility/{grant.pk}/"):
        check(page, path)
    check(page, f"/mobility/sessions/{grant.session_id}/apply/")


def test_public_grants_page_is_accessible(page, followed):
    check(page, "/funding/grants/")
