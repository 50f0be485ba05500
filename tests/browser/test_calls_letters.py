"""The letter-of-intent stage in a real browser: the coordinator screens a letter and invites it to the
full stage; the applicant is told by e-mail, finds a full-application draft with the full applications'
deadline, and submits it. Every page shown passes the axe-core checks at 1280 and 390 px.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from calls import services
from calls.models import Application, ApplicationStatus, Call, Stage
from tests.browser.axe import assert_accessible, assert_no_page_scroll
from tests.browser.test_calls_walk import click_and_wait, person
from tests.calls.factories import CallFactory, complete
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def checked(page) -> None:
    assert_accessible(page)
    assert_no_page_scroll(page)


def letter_of(call, applicant, title):
    letter = complete(services.application_create(call=call, applicant=applicant, title=title))
    return services.application_submit(application=letter, by=applicant)


def test_a_selected_letter_of_intent_is_invited_to_the_full_stage(
    browser, live_server, tmp_path, settings, pole_a, coordinator_a, researcher
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    now = timezone.now()
    call = CallFactory(
        canceropole=pole_a,
        has_letter_of_intent=True,
        title_en="Structuring call 2027",
        opens_at=now - timedelta(days=30),
        deadline=now + timedelta(days=1),
        full_deadline=now + timedelta(days=40),
    )
    selected = letter_of(call, researcher, "Cohorte régionale de lymphomes")
    other = letter_of(call, UserFactory(email="other@test.canceropoles.fr"), "Imagerie fonctionnelle")
    # The letters are in; their deadline passes (the server's clock decides: move the deadline).
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with translation.override("en"):
        full_deadline = formats.date_format(timezone.localtime(call.full_deadline), "DATETIME_FORMAT")

    # The coordinator screens the letter eligible, then invites it to the full stage.
    with person(browser, live_server, coordinator_a) as page:
        page.goto(f"/calls/{call.reference}/manage/")
        row = page.get_by_role("row", name=re.compile("Cohorte régionale de lymphomes"))
        expect(row).to_contain_text("Letter of intent")
        checked(page)
        click_and_wait(page, page.get_by_role("button", name=f"Eligible {selected.code}", exact=True))
        mail.outbox.clear()  # the submission receipts: only the invitation's e-mail is looked at
        click_and_wait(page, page.get_by_role("button", name=f"Invite to the full stage {selected.code}"))
        expect(page.get_by_role("status").first).to_contain_text(
            f"Application {selected.code} invited to the full stage."
        )
        checked(page)
    selected.refresh_from_db()
    other.refresh_from_db()
    assert (selected.stage, selected.status) == (Stage.FULL, ApplicationStatus.DRAFT)
    assert (other.stage, other.status) == (Stage.LETTER, ApplicationStatus.SUBMITTED)
    assert [(m.to, m.subject.startswith(call.reference)) for m in mail.outbox] == [([researcher.email], True)]

    # The applicant finds a full-application draft due at the full applications' deadline, and submits it.
    with person(browser, live_server, researcher) as page:
        page.goto("/calls/applications/")
        row = page.get_by_role("row", name=re.compile("Cohorte régionale de lymphomes"))
        expect(row).to_contain_text("Full application")
        expect(row).to_contain_text(full_deadline)
        expect(row).to_contain_text("Draft")
        checked(page)
        click_and_wait(page, row.get_by_role("link", name="Cohorte régionale de lymphomes"))
        expect(page.locator(".lead")).to_contain_text("Full application")
        expect(page.get_by_text(f"Submit before {full_deadline} (Paris time)")).to_be_visible()
        checked(page)
        click_and_wait(page, page.get_by_role("button", name="Submit the application"))
        expect(page.get_by_role("status").first).to_contain_text("Application submitted")
        checked(page)
    selected.refresh_from_db()
    assert (selected.stage, selected.status) == (Stage.FULL, ApplicationStatus.SUBMITTED)

    # The same pages on a phone.
    for user, path in (
        (coordinator_a, f"/calls/{call.reference}/manage/"),
        (researcher, "/calls/applications/"),
        (researcher, f"/calls/applications/{selected.pk}/"),
    ):
        with person(browser, live_server, user, width=390) as page:
            assert page.goto(path).status == 200, path
            checked(page)
    assert Application.objects.filter(call=call).count() == 2
