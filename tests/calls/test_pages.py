"""The call pages: public list and page, the applicant's form, the reviewer's pages, the pole's management."""

import pytest
from django.core import mail
from django.urls import reverse

from calls import services
from calls.models import (
    Application,
    ApplicationStatus,
    AssignmentStatus,
    Attachment,
    CallStatus,
    OutboxMessage,
)
from projects.models import Project
from tests.calls.factories import ApplicationFactory, CallFactory, complete, lab_in, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def eligible(call, staff):
    application = complete(ApplicationFactory(call=call))
    services.application_submit(application=application, by=application.applicant)
    return services.application_screen(application=application, by=staff, eligible=True)


def test_call_list_shows_open_calls_and_hides_drafts(client, call_a, pole_a):
    draft = CallFactory(canceropole=pole_a, status=CallStatus.DRAFT, title_fr="Brouillon secret")

    response = client.get(reverse("calls:list"))

    assert response.status_code == 200
    assert call_a.title_fr in response.text
    assert draft.title_fr not in response.text


def test_call_detail_in_english_shows_the_english_title(client, call_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("calls:detail", args=[call_a.reference]))

    assert response.status_code == 200
    assert call_a.title_en in response.text
    assert "Evaluation criteria" in response.text


def test_call_detail_of_a_draft_is_absent_for_the_public(client, pole_a):
    draft = CallFactory(canceropole=pole_a, status=CallStatus.DRAFT)

    response = client.get(reverse("calls:detail", args=[draft.reference]))

    assert response.status_code == 404


def test_apply_then_save_draft_then_attach_then_submit(
    client, call_a, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    lab = lab_in("GSO")

    response = client.post(reverse("calls:apply", args=[call_a.reference]), {"title": "Mon projet"})
    application = Application.objects.get(applicant=researcher)
    assert response.status_code == 302
    page = client.get(reverse("calls:application", args=[application.pk]))
    assert "Eligibility checks" in page.text or "Vérifications d" in page.text

    response = client.post(
        reverse("calls:application", args=[application.pk]),
        {
            "title": "Mon projet",
            "lab": lab.pk,
            "requested_amount": "20 000",
            "duration_months": "12",
            "abstract": "Un résumé de plus de cinquante caractères pour le projet Émergence.",
            "keywords": "immunologie",
            "team-TOTAL_FORMS": "1",
            "team-INITIAL_FORMS": "0",
            "team-0-first_name": "Alice",
            "team-0-last_name": "Martin",
            "team-0-role": "partner",
            "budget-TOTAL_FORMS": "2",
            "budget-INITIAL_FORMS": "0",
            "budget-0-category": "consumables",
            "budget-0-amount": "16000",
            "budget-1-category": "equipment",
            "budget-1-amount": "4000",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    response = client.post(
        reverse("calls:attachment_add", args=[application.pk]),
        {"kind": "proposal", "file": upload("projet.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:application_submit", args=[application.pk]))

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_amount == 20000
    assert application.team.count() == 1
    assert application.budget_lines.count() == 2
    assert len(mail.outbox) == 1


def test_submit_with_a_problem_answers_400_naming_it_and_changes_nothing(client, draft, researcher):
    client.force_login(researcher)

    response = client.post(reverse("calls:application_submit", args=[draft.pk]))

    assert response.status_code == 400
    assert "form-errors" in response.text
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_attachment_upload_of_a_renamed_file_answers_400_and_stores_nothing(client, draft, researcher):
    client.force_login(researcher)

    response = client.post(
        reverse("calls:attachment_add", args=[draft.pk]),
        {"kind": "proposal", "file": upload("projet.pdf", b"GIF89a not a pdf at all")},
    )

    assert response.status_code == 400
    assert Attachment.objects.count() == 0


def test_attachment_download_only_for_who_may_see_the_application(
    client, draft, researcher, coordinator_a, coordinator_b
):
    attachment = services.attachment_add(
        application=draft, by=researcher, upload=upload("projet.pdf", pdf_bytes())
    )
    url = reverse("calls:attachment", args=[draft.pk, attachment.pk])

    client.force_login(researcher)
    own = client.get(url)
    client.force_login(coordinator_a)
    staff_before_submission = client.get(url)
    client.force_login(coordinator_b)
    other_pole = client.get(url)

    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith("attachment")
    assert b"".join(own.streaming_content).startswith(b"%PDF-")
    assert staff_before_submission.status_code == 404  # a draft is its applicant's only
    assert other_pole.status_code == 404


def test_reviewer_sees_the_application_only_after_declaring_no_conflict(
    client, call_a, coordinator_a, reviewer
):
    application = eligible(call_a, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    client.force_login(reviewer)
    url = reverse("calls:assignment", args=[assignment.pk])

    before = client.get(url)
    direct_before = client.get(reverse("calls:application", args=[application.pk]))
    client.post(url, {"action": "declare", "conflict": "0"})
    after = client.get(url)

    assert application.abstract not in before.text
    assert direct_before.status_code == 404
    assert application.abstract in after.text


def test_reviewer_declaring_a_conflict_loses_access(client, call_a, coordinator_a, reviewer):
    application = eligible(call_a, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    client.force_login(reviewer)

    client.post(reverse("calls:assignment", args=[assignment.pk]), {"action": "declare", "conflict": "1"})
    page = client.get(reverse("calls:assignment", args=[assignment.pk]))

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICT
    assert application.abstract not in page.text
    assert client.get(reverse("calls:application", args=[application.pk])).status_code == 404


def test_review_form_submits_scores(client, call_a, coordinator_a, reviewer):
    application = eligible(call_a, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
    first, second = call_a.criteria.all()
    client.force_login(reviewer)

    response = client.post(
        reverse("calls:assignment", args=[assignment.pk]),
        {"action": "submit", f"score_{first.pk}": "4,5", f"score_{second.pk}": "3", "recommendation": "fund"},
    )

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert str(assignment.review.weighted_score) == "4.000"


def test_manage_pages_answer_the_pole_staff_and_inca_and_hide_from_another_pole(
    client, call_a, coordinator_a, coordinator_b, inca_staff
):
    names = ["manage", "reviewers", "ranking", "outbox", "edit"]

    def statuses(user):
        client.force_login(user)
        return [client.get(reverse(f"calls:{name}", args=[call_a.reference])).status_code for name in names]

    assert statuses(coordinator_a) == [200, 200, 200, 200, 200]
    assert statuses(coordinator_b) == [404, 404, 404, 404, 404]
    assert statuses(inca_staff) == [200, 200, 200, 200, 403]


def test_create_and_publish_a_call_through_the_pages(client, pole_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("calls:create", args=["GSO"]),
        {
            "kind": "emergence",
            "reference": "GSO-EMERGENCE-2027",
            "year": "2027",
            "title_fr": "AAP Émergence 2027",
            "opens_at": "2026-01-05T09:00",
            "deadline": "2099-03-31T12:00",
            "envelope": "200000",
            "max_amount": "25000",
            "max_duration_months": "12",
            "cap_equipment": "20",
            "reviewers_per_application": "2",
            "reviewer_load_cap": "6",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("calls:publish", args=["GSO-EMERGENCE-2027"]))

    call = call_a_model("GSO-EMERGENCE-2027")
    assert response.status_code == 302
    assert call.status == CallStatus.OPEN
    assert call.budget_caps == {"equipment": "0.2"}


def call_a_model(reference):
    from calls.models import Call

    return Call.objects.get(reference=reference)


def test_create_call_with_a_ceiling_above_the_envelope_answers_400_naming_it(client, pole_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("calls:create", args=["GSO"]),
        {
            "kind": "emergence",
            "reference": "GSO-X",
            "year": "2027",
            "title_fr": "X",
            "opens_at": "2026-01-05T09:00",
            "deadline": "2099-03-31T12:00",
            "envelope": "1000",
            "max_amount": "25000",
            "max_duration_months": "12",
            "reviewers_per_application": "2",
            "reviewer_load_cap": "6",
        },
    )

    assert response.status_code == 400
    assert "max_amount" in response.context["form"].errors


def test_decide_publish_and_send_through_the_pages(
    client, call_a, coordinator_a, django_capture_on_commit_callbacks
):
    application = eligible(call_a, coordinator_a)
    client.force_login(coordinator_a)

    decided = client.post(
        reverse("calls:decide", args=[call_a.reference, application.pk]),
        {"outcome": "funded", "amount_awarded": "20000", "rationale": "Très bon"},
    )
    published = client.post(reverse("calls:publish_decisions", args=[call_a.reference]))
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("calls:outbox", args=[call_a.reference]))

    assert [decided.status_code, published.status_code, sent.status_code] == [302, 302, 302]
    assert Project.objects.get().published_at is not None
    assert OutboxMessage.objects.get().status == "sent"
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]


def test_decide_beyond_the_envelope_answers_400_and_changes_nothing(client, pole_a, coordinator_a):
    from decimal import Decimal

    call = CallFactory(canceropole=pole_a, envelope=Decimal("10000"))
    application = eligible(call, coordinator_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("calls:decide", args=[call.reference, application.pk]),
        {"outcome": "funded", "amount_awarded": "12000"},
    )

    assert response.status_code == 400
    assert Project.objects.count() == 0


@pytest.mark.parametrize("what", ["applications", "reviews"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_download(client, call_a, coordinator_a, what, file_format):
    eligible(call_a, coordinator_a)
    client.force_login(coordinator_a)

    response = client.get(reverse("calls:export", args=[call_a.reference, what, file_format]))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="{call_a.reference}-{what}.{file_format}"'
    )


def test_export_csv_neutralises_formulas_and_uses_decimal_commas(client, call_a, coordinator_a):
    application = eligible(call_a, coordinator_a)
    Application.objects.filter(pk=application.pk).update(title='=HYPERLINK("x")')
    client.force_login(coordinator_a)

    response = client.get(reverse("calls:export", args=[call_a.reference, "applications", "csv"]))

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK" in text
    assert ";20000;" in text or ";20000,00;" in text


def test_anonymised_pack_names_nobody(client, call_a, coordinator_a, reviewer):
    import io
    import zipfile

    from openpyxl import load_workbook

    application = eligible(call_a, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
    first, second = call_a.criteria.all()
    services.review_save(
        assignment=assignment,
        by=reviewer,
        scores={first.pk: 4, second.pk: 4},
        recommendation="fund",
        submit=True,
    )
    client.force_login(coordinator_a)

    response = client.get(reverse("calls:export", args=[call_a.reference, "anonymised", "zip"]))

    pack = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(pack.namelist()) == ["applications.csv", "applications.xlsx", "reviews.csv", "reviews.xlsx"]
    cells = " ".join(
        str(c.value)
        for name in ("applications.xlsx", "reviews.xlsx")
        for sheet in load_workbook(io.BytesIO(pack.read(name)))
        for row in sheet.iter_rows()
        for c in row
    )
    cells += pack.read("applications.csv").decode("utf-8") + pack.read("reviews.csv").decode("utf-8")
    assert application.code in cells
    assert "Reviewer 1" in cells or "Expert 1" in cells
    secrets = (
        application.applicant.email,
        application.applicant.last_name,
        reviewer.last_name,
        str(application.lab),
    )
    for secret in secrets:
        assert secret not in cells


def test_call_pages_answer_in_french_by_default(client, call_a):
    response = client.get(reverse("calls:detail", args=[call_a.reference]))

    assert "Critères d'évaluation" in response.text
    assert "Plafond par projet" in response.text
    assert call_a.title_fr in response.text


def test_my_space_links_to_applications_reviews_and_the_pole_s_calls(client, coordinator_a):
    client.force_login(coordinator_a)

    html = client.get(reverse("accounts:my_space")).content.decode()

    for url in (
        reverse("calls:my_applications"),
        reverse("calls:my_reviews"),
        reverse("calls:pole", args=["GSO"]),
    ):
        assert f'href="{url}"' in html
    assert f'href="{reverse("calls:pole", args=["CLARA"])}"' not in html


@pytest.fixture
def two_stage_call(pole_a):
    """Letters of intent due on 1 July 2099 at noon (Paris time), full applications on 20 August."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    return CallFactory(
        canceropole=pole_a,
        has_letter_of_intent=True,
        opens_at=datetime(2026, 1, 5, 9, 0, tzinfo=paris),
        deadline=datetime(2099, 7, 1, 12, 0, tzinfo=paris),
        full_deadline=datetime(2099, 8, 20, 12, 0, tzinfo=paris),
    )


def submitted_letter(call, applicant):
    letter = complete(services.application_create(call=call, applicant=applicant, title="Lettre d'intention"))
    return services.application_submit(application=letter, by=applicant)


def test_an_eligible_letter_of_intent_can_still_be_invited_from_the_manage_page(
    client, two_stage_call, coordinator_a, researcher, settings, django_capture_on_commit_callbacks
):
    letter = submitted_letter(two_stage_call, researcher)
    services.application_screen(application=letter, by=coordinator_a, eligible=True)
    client.force_login(coordinator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("calls:manage", args=[two_stage_call.reference]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:screen", args=[two_stage_call.reference, letter.pk]),
            {"action": "invite"},
            follow=True,
        )

    assert f'Invite to the full stage<span class="visually-hidden"> {letter.code}' in page.text
    assert f"Application {letter.code} invited to the full stage." in response.text
    letter.refresh_from_db()
    assert (letter.stage, letter.status) == ("full", ApplicationStatus.DRAFT)
    assert [m.to for m in mail.outbox] == [[researcher.email]]
    assert mail.outbox[0].subject.startswith(two_stage_call.reference)


def test_an_invited_applicant_is_given_the_full_applications_deadline(
    client, two_stage_call, coordinator_a, researcher, settings
):
    letter = submitted_letter(two_stage_call, researcher)
    services.application_invite_full(application=letter, by=coordinator_a)
    client.force_login(researcher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    form = client.get(reverse("calls:application", args=[letter.pk]))
    mine = client.get(reverse("calls:my_applications"))

    assert "Submit before Aug. 20, 2099, noon (Paris time)" in form.text
    assert "July 1, 2099" not in form.text
    assert "Aug. 20, 2099, noon" in mine.text
    assert "July 1, 2099" not in mine.text
    assert "Full application" in mine.text
