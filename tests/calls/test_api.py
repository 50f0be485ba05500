"""The calls API: scopes per persona (absent is 404), writes through the services, query counts, schema."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Application, ApplicationStatus, Call, CallStatus, Review
from projects.models import Project
from tests.calls.factories import ApplicationFactory, CallFactory, complete, lab_in, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(api_client, settings):
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def eligible(call, staff):
    application = complete(ApplicationFactory(call=call))
    services.application_submit(application=application, by=application.applicant)
    return services.application_screen(application=application, by=staff, eligible=True)


def funded_and_published(call, staff, *, publish=True):
    application = eligible(call, staff)
    services.application_decide(application=application, by=staff, outcome="funded", amount_awarded="10000")
    if publish:
        services.decisions_publish(call=call, by=staff)
    return application


@pytest.mark.parametrize("rows", [1, 4])
def test_call_list_is_public_without_drafts_in_constant_queries(
    api_client, pole_a, rows, django_assert_num_queries
):
    CallFactory.create_batch(rows, canceropole=pole_a)
    CallFactory(canceropole=pole_a, status=CallStatus.DRAFT)

    # the page of calls with their pole (cursor pages count no rows); their criteria
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:call-list"))

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_call_draft_is_absent_for_another_pole_and_visible_to_its_own(
    api_client, pole_a, coordinator_a, coordinator_b
):
    draft = CallFactory(canceropole=pole_a, status=CallStatus.DRAFT)
    url = reverse("api:call-detail", args=[draft.reference])

    api_client.force_authenticate(coordinator_b)
    other = api_client.get(url)
    api_client.force_authenticate(coordinator_a)
    own = api_client.get(url)

    assert other.status_code == 404
    assert own.status_code == 200
    assert own.json()["status"] == "draft"


def test_application_create_patch_and_submit_by_api(api_client, call_a, researcher):
    api_client.force_authenticate(researcher)
    lab = lab_in("GSO")

    created = api_client.post(
        reverse("api:application-list"), {"call": call_a.reference, "title": "Projet API"}
    )
    pk = created.json()["id"]
    patched = api_client.patch(
        reverse("api:application-detail", args=[pk]),
        {
            "lab": lab.pk,
            "requested_amount": "20000.00",
            "duration_months": 12,
            "abstract": "Un résumé suffisamment long pour passer la vérification des cinquante caractères.",
            "budget_lines": [{"category": "consumables", "amount": "20000.00"}],
        },
        format="json",
    )
    attached = api_client.post(
        reverse("api:application-attachments", args=[pk]),
        {"kind": "proposal", "file": upload("projet.pdf", pdf_bytes())},
        format="multipart",
    )
    submitted = api_client.post(reverse("api:application-submit", args=[pk]))

    assert created.status_code == 201
    assert patched.status_code == 200
    assert attached.status_code == 201
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"


def test_application_submit_by_api_after_the_deadline_is_400_naming_the_call(
    api_client, ready_draft, researcher
):
    Call.objects.filter(pk=ready_draft.call_id).update(deadline=timezone.now() - timedelta(minutes=1))
    api_client.force_authenticate(researcher)

    response = api_client.post(reverse("api:application-submit", args=[ready_draft.pk]))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["call"]
    ready_draft.refresh_from_db()
    assert ready_draft.status == ApplicationStatus.DRAFT


def test_application_submit_by_api_with_failing_checks_names_each_field(api_client, draft, researcher):
    api_client.force_authenticate(researcher)

    response = api_client.post(reverse("api:application-submit", args=[draft.pk]))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "abstract",
        "attachments",
        "budget",
        "duration_months",
        "lab",
        "requested_amount",
    }


def test_attachment_upload_by_api_of_a_non_pdf_is_400_naming_the_file(api_client, draft, researcher):
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:application-attachments", args=[draft.pk]),
        {"kind": "proposal", "file": upload("cv.pdf", b"{\\rtf1 not a pdf}")},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert draft.attachments.count() == 0


def test_application_of_someone_else_is_absent_and_its_patch_changes_nothing(
    api_client, draft, coordinator_a
):
    from tests.factories import UserFactory

    api_client.force_authenticate(UserFactory())

    response = api_client.patch(
        reverse("api:application-detail", args=[draft.pk]), {"title": "Volé"}, format="json"
    )

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title.startswith("Projet test")


@pytest.mark.parametrize("rows", [1, 4])
def test_application_list_for_pole_staff_in_constant_queries(
    api_client, call_a, coordinator_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        eligible(call_a, coordinator_a)
    ApplicationFactory(call=call_a)  # a draft: its applicant's only
    api_client.force_authenticate(coordinator_a)

    # memberships; the page with call, pole, applicant, lab; team; budget lines; attachments
    with django_assert_num_queries(5):
        response = api_client.get(reverse("api:application-list"))

    assert len(response.json()["results"]) == rows


def test_application_list_of_another_pole_staff_is_empty(api_client, call_a, coordinator_a, coordinator_b):
    eligible(call_a, coordinator_a)
    api_client.force_authenticate(coordinator_b)

    response = api_client.get(reverse("api:application-list"))

    assert len(response.json()["results"]) == 0


@pytest.mark.parametrize("rows", [1, 4])
def test_review_list_of_a_reviewer_in_constant_queries(
    api_client, call_a, coordinator_a, reviewer, rows, django_assert_num_queries
):
    Call.objects.filter(pk=call_a.pk).update(reviewer_load_cap=10)
    for _ in range(rows):
        application = eligible(call_a, coordinator_a)
        assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
        services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
        first, second = call_a.criteria.all()
        services.review_save(assignment=assignment, by=reviewer, scores={first.pk: 3, second.pk: 3})
    api_client.force_authenticate(reviewer)

    # memberships; the page with application, call, pole, reviewer, review; the reviews' scores
    with django_assert_num_queries(3):
        response = api_client.get(reverse("api:review-list"))

    assert len(response.json()["results"]) == rows


def test_review_declare_then_submit_by_api(api_client, call_a, coordinator_a, reviewer):
    application = eligible(call_a, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    first, second = call_a.criteria.all()
    api_client.force_authenticate(reviewer)

    before = api_client.get(reverse("api:application-detail", args=[application.pk]))
    declared = api_client.post(reverse("api:review-declare", args=[assignment.pk]), {"conflict": False})
    after = api_client.get(reverse("api:application-detail", args=[application.pk]))
    reviewed = api_client.post(
        reverse("api:review-review", args=[assignment.pk]),
        {"scores": {str(first.pk): "5", str(second.pk): "2"}, "recommendation": "fund", "submit": True},
        format="json",
    )

    assert before.status_code == 404
    assert declared.status_code == 200
    assert after.status_code == 200
    assert reviewed.status_code == 200
    assert reviewed.json()["review"]["weighted_score"] == "4.000"


def test_review_by_the_coordinator_is_forbidden_and_changes_nothing(
    api_client, call_a, coordinator_a, reviewer
):
    application = eligible(call_a, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:review-review", args=[assignment.pk]), {"submit": False}, format="json"
    )

    assert response.status_code == 403
    assert Review.objects.count() == 0


@pytest.mark.parametrize("rows", [1, 4])
def test_decision_list_is_public_once_published_in_constant_queries(
    api_client, pole_a, coordinator_a, rows, django_assert_num_queries
):
    call = CallFactory(canceropole=pole_a)
    for _ in range(rows):
        funded_and_published(call, coordinator_a, publish=False)
    services.decisions_publish(call=call, by=coordinator_a)
    pending_call = CallFactory(canceropole=pole_a)
    funded_and_published(pending_call, coordinator_a, publish=False)

    # the page of decisions with application, call, pole and lab
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:decision-list"))

    assert len(response.json()["results"]) == rows


def test_pending_decisions_visible_to_their_pole_only(api_client, call_a, coordinator_a, coordinator_b):
    funded_and_published(call_a, coordinator_a, publish=False)

    api_client.force_authenticate(coordinator_b)
    other = len(api_client.get(reverse("api:decision-list")).json()["results"])
    api_client.force_authenticate(coordinator_a)
    own = len(api_client.get(reverse("api:decision-list")).json()["results"])

    assert (other, own) == (0, 1)


@pytest.mark.parametrize("rows", [1, 4])
def test_project_list_is_public_once_published_in_constant_queries(
    api_client, pole_a, coordinator_a, rows, django_assert_num_queries
):
    call = CallFactory(canceropole=pole_a)
    for _ in range(rows):
        funded_and_published(call, coordinator_a, publish=False)
    services.decisions_publish(call=call, by=coordinator_a)
    funded_and_published(CallFactory(canceropole=pole_a), coordinator_a, publish=False)

    # the page of projects with pole, call, lab and lead
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:project-list"))

    assert len(response.json()["results"]) == rows
    assert Project.objects.count() == rows + 1


def test_openapi_schema_stays_valid_with_the_calls_endpoints(api_client):
    from openapi_spec_validator import validate

    response = api_client.get(reverse("schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    for path in (
        "/api/v1/calls/",
        "/api/v1/applications/{id}/submit/",
        "/api/v1/reviews/{id}/declare/",
        "/api/v1/decisions/",
        "/api/v1/projects/",
    ):
        assert path in schema["paths"]


def test_application_create_on_a_closed_call_is_400(api_client, pole_a, researcher):
    closed = CallFactory(
        canceropole=pole_a,
        opens_at=timezone.now() - timedelta(days=9),
        deadline=timezone.now() - timedelta(days=1),
    )
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:application-list"), {"call": closed.reference, "title": "Trop tard"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["call"]
    assert Application.objects.count() == 0
