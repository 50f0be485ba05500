"""A call for proposals end to end in a real browser, one browser context per person, then the axe-core
checks of every call page at 1280 and 390 px.

The coordinator creates and publishes an Émergence call; a researcher drafts, attaches a PDF, sees the
ceiling problem explained next to the field, fixes it and submits; a submission after the deadline is
refused; the coordinator screens and assigns two reviewers; one declares a conflict and loses access;
the other scores; the ranking shows the application; the decision creates the project within the
envelope; the decisions are published and the outbox e-mails are sent.
"""

import re
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from calls import services
from calls.models import Application, ApplicationStatus, AssignmentStatus, Call, ReviewAssignment
from projects.models import Project
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.conftest import TIMEOUT_MS, login, watch_csp
from tests.calls.factories import ApplicationFactory, CallFactory, complete, lab_in, pdf_bytes, reviewer_for
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.browser


@contextmanager
def person(browser, live_server, user, *, width=1280):
    """A separate browser (own cookies) signed in as ``user``, reading the portal in English."""
    context = browser.new_context(
        locale="en-US", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    watch_csp(page)
    if user is not None:
        login(page, live_server, user)
    try:
        yield page
    finally:
        context.close()


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*:?$"))


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_call_end_to_end(browser, live_server, tmp_path, settings, pole_a, coordinator_a, researcher):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    lab = lab_in("GSO", name="Laboratoire d'oncologie de Toulouse")
    reviewer_1 = reviewer_for(
        CallFactory.build(canceropole=pole_a), email="reviewer.one@test.canceropoles.fr"
    )
    reviewer_2 = UserFactory(
        email="reviewer.two@test.canceropoles.fr", person=PersonFactory(lab=reviewer_1.person.lab)
    )
    pdf = tmp_path / "projet.pdf"
    pdf.write_bytes(pdf_bytes())
    opens = timezone.localtime() - timedelta(hours=1)
    deadline = timezone.localtime() + timedelta(days=2)

    # The coordinator creates and publishes the call.
    with person(browser, live_server, coordinator_a) as page:
        page.goto("/calls/pole/GSO/new/")
        field(page, "Kind of call").select_option("emergence")
        field(page, "Reference").fill("GSO-EMERGENCE-2027")
        field(page, "Year").fill("2027")
        field(page, "Title (French)").fill("AAP Émergence 2027")
        field(page, "Title (English)").fill("Emergence call 2027")
        field(page, "Opens at (Paris time)").fill(opens.strftime("%Y-%m-%dT%H:%M"))
        field(page, "Deadline (Paris time)").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
        field(page, "Envelope (EUR)").fill("60000")
        field(page, "Ceiling per application (EUR)").fill("25000")
        field(page, "Maximum duration (months)").fill("12")
        field(page, "Maximum equipment share (%)").fill("20")
        field(page, "Reviewers per application").fill("2")
        field(page, "Maximum applications per reviewer").fill("6")
        click_and_wait(page, page.get_by_role("button", name="Save the call"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Emergence call 2027")
        click_and_wait(page, page.get_by_role("button", name="Publish the call"))
        expect(page.get_by_role("status").first).to_contain_text("Call published.")
    call = Call.objects.get(reference="GSO-EMERGENCE-2027")

    # The researcher drafts, attaches a PDF, sees the ceiling problem, fixes it and submits.
    with person(browser, live_server, researcher) as page:
        page.goto("/calls/")
        click_and_wait(page, page.get_by_role("link", name="Emergence call 2027"))
        field(page, "Project title").fill("Signatures épigénétiques précoces")
        click_and_wait(page, page.get_by_role("button", name="Start an application"))
        field(page, "Lab carrying the project").select_option(label=str(lab))
        field(page, "Requested amount (EUR)").fill("30000")
        field(page, "Duration (months)").fill("12")
        field(page, "Abstract").fill(
            "Une hypothèse nouvelle pour l'équipe, testée en douze mois sur des cohortes."
        )
        budget = page.get_by_role("group", name="Budget line 1")
        budget.get_by_label(re.compile("^Category")).select_option("consumables")
        budget.get_by_label(re.compile("^Amount")).fill("30000")
        click_and_wait(page, page.get_by_role("button", name="Save the draft"))
        page.get_by_label(re.compile("^PDF file")).set_input_files(str(pdf))
        click_and_wait(page, page.get_by_role("button", name="Attach the file"))
        expect(page.locator(".attachments")).to_contain_text("projet.pdf")
        amount_check = page.locator("#check-requested_amount")
        expect(amount_check).to_contain_text("above the call's ceiling of 25,000 €")
        click_and_wait(page, page.get_by_role("button", name="Submit the application"))
        expect(page.get_by_role("alert")).to_contain_text("above the call's ceiling")
        field(page, "Requested amount (EUR)").fill("20000")
        page.get_by_role("group", name="Budget line 1").get_by_label(re.compile("^Amount")).fill("20000")
        click_and_wait(page, page.get_by_role("button", name="Save the draft"))
        expect(page.locator("#check-requested_amount")).to_contain_text("met")
        click_and_wait(page, page.get_by_role("button", name="Submit the application"))
        expect(page.get_by_role("status").first).to_contain_text("Application submitted")
        page.goto("/calls/applications/")
        expect(page.get_by_role("row", name=re.compile("Signatures épigénétiques"))).to_contain_text(
            "Submitted"
        )
    application = Application.objects.get(call=call, applicant=researcher)
    assert application.status == ApplicationStatus.SUBMITTED

    # A submission after the deadline is refused (the clock is the database's: move the deadline).
    late = UserFactory(email="late@test.canceropoles.fr")
    late_draft = complete(ApplicationFactory(call=call, applicant=late), lab=lab)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with person(browser, live_server, late) as page:
        page.goto(f"/calls/applications/{late_draft.pk}/")
        click_and_wait(page, page.get_by_role("button", name="Submit the application"))
        expect(page.get_by_role("alert")).to_contain_text("has passed: applications are no longer accepted")
    late_draft.refresh_from_db()
    assert late_draft.status == ApplicationStatus.DRAFT

    # The coordinator screens the application and assigns two reviewers.
    with person(browser, live_server, coordinator_a) as page:
        page.goto(f"/calls/{call.reference}/manage/")
        click_and_wait(page, page.get_by_role("button", name=f"Eligible {application.code}", exact=True))
        page.goto(f"/calls/{call.reference}/reviewers/")
        field(page, "E-mail of the reviewer's account").fill(reviewer_2.email)
        field(page, "Expertise keywords").fill("épigénétique")
        click_and_wait(page, page.get_by_role("button", name="Add to the pool"))
        for reviewer in (reviewer_1, reviewer_2):
            page.get_by_label("Reviewer", exact=True).select_option(str(reviewer.pk))
            click_and_wait(page, page.get_by_role("button", name="Assign", exact=True))
            expect(page.get_by_role("status").first).to_contain_text(f"assigned to {application.code}")
    assert application.assignments.count() == 2

    # The first reviewer declares a conflict and loses access.
    with person(browser, live_server, reviewer_1) as page:
        page.goto("/calls/reviews/")
        click_and_wait(page, page.get_by_role("link", name=application.code))
        page.get_by_label(re.compile("^I have a conflict of interest")).check()
        click_and_wait(page, page.get_by_role("button", name="Send my declaration"))
        expect(page.get_by_role("status").first).to_contain_text("Conflict declared")
        response = page.goto(f"/calls/applications/{application.pk}/")
        assert response.status == 404
    assert ReviewAssignment.objects.get(reviewer=reviewer_1).status == AssignmentStatus.CONFLICT

    # The second reviewer declares no conflict, reads and scores.
    with person(browser, live_server, reviewer_2) as page:
        page.goto("/calls/reviews/")
        click_and_wait(page, page.get_by_role("link", name=application.code))
        expect(page.get_by_text("Une hypothèse nouvelle")).to_have_count(0)
        page.get_by_label(re.compile("^I declare that I have no conflict")).check()
        click_and_wait(page, page.get_by_role("button", name="Send my declaration"))
        expect(page.get_by_text("Une hypothèse nouvelle pour l'équipe")).to_be_visible()
        for criterion, score in zip(call.criteria.all(), ("5", "4", "4"), strict=True):
            page.get_by_label(re.compile(rf"^{re.escape(criterion.name_en)} \(0–5\)")).fill(score)
        field(page, "Recommendation").select_option("fund")
        click_and_wait(page, page.get_by_role("button", name="Submit the review"))
        expect(page.get_by_role("status").first).to_contain_text("Review submitted")

    # The ranking shows the application; the decision creates the project; the e-mails are sent.
    with person(browser, live_server, coordinator_a) as page:
        page.goto(f"/calls/{call.reference}/ranking/")
        row = page.locator(f"#row-{application.pk}")
        expect(row).to_contain_text(application.code)
        expect(row).to_contain_text("4.50")
        row.get_by_label(f"Outcome {application.code}").select_option("funded")
        row.get_by_label(f"Amount awarded (EUR) {application.code}").fill("20000")
        click_and_wait(page, row.get_by_role("button", name=f"Record the decision {application.code}"))
        expect(page.locator("#remaining")).to_have_text("40,000 €")
        click_and_wait(page, page.get_by_role("button", name="Publish the decisions"))
        expect(page.get_by_role("heading", level=2, name=re.compile(application.code))).to_contain_text(
            "To review"
        )
        click_and_wait(page, page.get_by_role("button", name="Send the e-mails not sent yet"))
        expect(page.get_by_role("status").first).to_contain_text("1 e-mail sent.")

    project = Project.objects.get(application=application)
    assert (project.amount_awarded, project.published_at is not None) == (Decimal("20000.00"), True)
    decision_mails = [m for m in mail.outbox if "decision on your application" in m.subject]
    assert [m.to for m in decision_mails] == [[researcher.email]]


@pytest.fixture
def call_pages(pole_a, coordinator_a, researcher, tmp_path, settings):
    """A call at every stage a page shows: a draft of the researcher, a reviewed and decided application,
    an assignment waiting for its declaration."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call = CallFactory(canceropole=pole_a)
    draft = ApplicationFactory(call=call, applicant=researcher)
    reviewer = reviewer_for(call, email="axe.reviewer@test.canceropoles.fr")
    decided = complete(ApplicationFactory(call=call))
    services.application_submit(application=decided, by=decided.applicant)
    services.application_screen(application=decided, by=coordinator_a, eligible=True)
    reviewed = services.assignment_create(application=decided, reviewer=reviewer, by=coordinator_a)
    services.assignment_declare(assignment=reviewed, by=reviewer, conflict=False)
    pending = complete(ApplicationFactory(call=call))
    services.application_submit(application=pending, by=pending.applicant)
    services.application_screen(application=pending, by=coordinator_a, eligible=True)
    waiting = services.assignment_create(application=pending, reviewer=reviewer, by=coordinator_a)
    services.application_decide(
        application=decided, by=coordinator_a, outcome="funded", amount_awarded="20000"
    )
    services.decisions_publish(call=call, by=coordinator_a)
    return {
        None: ["/calls/", f"/calls/{call.reference}/"],
        researcher: ["/calls/applications/", f"/calls/applications/{draft.pk}/"],
        reviewer: ["/calls/reviews/", f"/calls/reviews/{reviewed.pk}/", f"/calls/reviews/{waiting.pk}/"],
        coordinator_a: [
            "/calls/pole/GSO/",
            "/calls/pole/GSO/new/",
            f"/calls/{call.reference}/manage/",
            f"/calls/{call.reference}/reviewers/?suggest=1",
            f"/calls/{call.reference}/ranking/",
            f"/calls/{call.reference}/outbox/",
        ],
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_call_pages_have_no_serious_axe_violation(browser, live_server, call_pages, width):
    problems = {}
    for user, paths in call_pages.items():
        with person(browser, live_server, user, width=width) as page:
            for path in paths:
                response = page.goto(path)
                assert response.status == 200, path
                try:
                    assert_accessible(page)
                    assert_no_page_scroll(page)
                except AssertionError as error:
                    problems[path] = str(error)

    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
