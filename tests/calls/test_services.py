"""The lifecycles of DESIGN §4 as services: calls, applications, reviews, decisions, outbox."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from calls import services
from calls.models import (
    ApplicationStatus,
    ApplicationTransition,
    AssignmentStatus,
    Call,
    CallStatus,
    Decision,
    OutboxMessage,
    Review,
)
from common.errors import TransitionError
from projects.models import Project
from tests.calls.factories import ApplicationFactory, CallFactory, complete

pytestmark = pytest.mark.django_db


def call_fields(**overrides):
    now = timezone.now()
    fields = {
        "kind": "emergence",
        "reference": "GSO-EMERGENCE-2026",
        "year": 2026,
        "title_fr": "AAP Émergence 2026",
        "title_en": "Emergence call 2026",
        "opens_at": now - timedelta(hours=1),
        "deadline": now + timedelta(days=30),
        "envelope": "200000",
        "max_amount": "25000",
        "max_duration_months": 12,
        "budget_caps": {"equipment": "0.2"},
    }
    fields.update(overrides)
    return fields


def test_call_create_then_publish_opens_a_call_whose_opening_passed(pole_a, coordinator_a):
    call = services.call_create(canceropole=pole_a, by=coordinator_a, **call_fields())

    published = services.call_publish(call=call, by=coordinator_a)

    assert call.criteria.count() == 3
    assert published.status == CallStatus.OPEN
    assert list(published.transitions.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "open"),
    ]


def test_call_create_refuses_a_deadline_before_the_opening_naming_the_field(pole_a, coordinator_a):
    now = timezone.now()

    with pytest.raises(TransitionError) as error:
        services.call_create(
            canceropole=pole_a, by=coordinator_a, **call_fields(deadline=now - timedelta(days=2))
        )

    assert list(error.value.message_dict) == ["deadline"]
    assert Call.objects.count() == 0


def test_call_create_refuses_a_ceiling_above_the_envelope(pole_a, coordinator_a):
    with pytest.raises(TransitionError) as error:
        services.call_create(canceropole=pole_a, by=coordinator_a, **call_fields(max_amount="300000"))

    assert list(error.value.message_dict) == ["max_amount"]


def test_call_create_refuses_a_reference_in_use(pole_a, coordinator_a):
    services.call_create(canceropole=pole_a, by=coordinator_a, **call_fields())

    with pytest.raises(TransitionError) as error:
        services.call_create(canceropole=pole_a, by=coordinator_a, **call_fields())

    assert list(error.value.message_dict) == ["reference"]
    assert Call.objects.count() == 1


def test_call_update_of_a_published_call_is_refused(call_a, coordinator_a):
    with pytest.raises(TransitionError):
        services.call_update(call=call_a, by=coordinator_a, title_fr="Autre")

    call_a.refresh_from_db()
    assert call_a.title_fr.startswith("Appel Émergence test")


def test_calls_follow_clock_closes_a_call_whose_deadline_passed(pole_a):
    call = CallFactory(
        canceropole=pole_a,
        opens_at=timezone.now() - timedelta(days=3),
        deadline=timezone.now() - timedelta(seconds=1),
    )
    upcoming = CallFactory(
        canceropole=pole_a, status=CallStatus.PUBLISHED, opens_at=timezone.now() - timedelta(minutes=1)
    )

    moved = services.calls_follow_clock()

    call.refresh_from_db()
    upcoming.refresh_from_db()
    assert moved == 2
    assert call.status == CallStatus.CLOSED
    assert upcoming.status == CallStatus.OPEN


def test_application_submit_records_the_checks_and_the_time(
    ready_draft, researcher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(application=ready_draft, by=researcher)

    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at is not None
    assert {check["field"] for check in submitted.eligibility_report} == {
        "title",
        "abstract",
        "lab",
        "requested_amount",
        "duration_months",
        "budget",
        "attachments",
        "applicant",
    }
    assert all(check["ok"] for check in submitted.eligibility_report)
    assert ApplicationTransition.objects.filter(application=submitted, to_status="submitted").count() == 1
    assert [m.to for m in mail.outbox] == [[researcher.email]]


def test_application_submit_after_the_deadline_is_refused_and_changes_nothing(ready_draft, researcher):
    Call.objects.filter(pk=ready_draft.call_id).update(deadline=timezone.now() - timedelta(seconds=1))

    with pytest.raises(TransitionError) as error:
        services.application_submit(application=ready_draft, by=researcher)

    assert list(error.value.message_dict) == ["call"]
    ready_draft.refresh_from_db()
    assert ready_draft.status == ApplicationStatus.DRAFT
    assert ready_draft.submitted_at is None
    assert ready_draft.transitions.count() == 0


def test_application_submit_refuses_each_failing_check_by_field(draft, researcher):
    draft.requested_amount = Decimal("30000")
    draft.duration_months = 18
    draft.save()

    with pytest.raises(TransitionError) as error:
        services.application_submit(application=draft, by=researcher)

    errors = error.value.message_dict
    assert sorted(errors) == [
        "abstract",
        "attachments",
        "budget",
        "duration_months",
        "lab",
        "requested_amount",
    ]
    assert "25" in errors["requested_amount"][0]
    assert "12" in errors["duration_months"][0]
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_application_submit_refuses_an_equipment_share_above_the_cap(ready_draft, researcher):
    ready_draft.budget_lines.all().delete()
    services.application_update(
        application=ready_draft,
        by=researcher,
        budget_lines=[
            {"category": "equipment", "amount": "8000"},
            {"category": "consumables", "amount": "12000"},
        ],
    )

    with pytest.raises(TransitionError) as error:
        services.application_submit(application=ready_draft, by=researcher)

    assert list(error.value.message_dict) == ["budget"]
    assert "20" in error.value.message_dict["budget"][0]


def test_application_submit_refuses_a_second_open_application_to_the_same_call(ready_draft, researcher):
    services.application_submit(application=ready_draft, by=researcher)
    second = complete(ApplicationFactory(call=ready_draft.call, applicant=researcher))

    with pytest.raises(TransitionError) as error:
        services.application_submit(application=second, by=researcher)

    assert list(error.value.message_dict) == ["applicant"]
    second.refresh_from_db()
    assert second.status == ApplicationStatus.DRAFT


def test_application_update_of_a_submitted_application_is_refused(ready_draft, researcher):
    services.application_submit(application=ready_draft, by=researcher)

    with pytest.raises(TransitionError):
        services.application_update(application=ready_draft, by=researcher, title="Changed")

    ready_draft.refresh_from_db()
    assert ready_draft.title.startswith("Projet test")


def test_application_create_on_a_closed_call_is_refused(pole_a, researcher):
    call = CallFactory(
        canceropole=pole_a,
        opens_at=timezone.now() - timedelta(days=5),
        deadline=timezone.now() - timedelta(days=1),
    )

    with pytest.raises(TransitionError) as error:
        services.application_create(call=call, applicant=researcher, title="Trop tard")

    assert list(error.value.message_dict) == ["call"]
    assert call.applications.count() == 0


def test_letter_of_intent_invited_to_the_full_stage_becomes_a_full_draft(pole_a, researcher, coordinator_a):
    now = timezone.now()
    call = CallFactory(
        canceropole=pole_a,
        has_letter_of_intent=True,
        deadline=now + timedelta(days=5),
        full_deadline=now + timedelta(days=40),
    )
    letter = services.application_create(call=call, applicant=researcher, title="Lettre")
    complete(letter)
    services.application_submit(application=letter, by=researcher)

    invited = services.application_invite_full(application=letter, by=coordinator_a)

    assert (invited.stage, invited.status) == ("full", ApplicationStatus.DRAFT)
    Call.objects.filter(pk=call.pk).update(deadline=now - timedelta(seconds=1), status=CallStatus.CLOSED)
    resubmitted = services.application_submit(application=invited, by=researcher)
    assert resubmitted.status == ApplicationStatus.SUBMITTED


def submitted_eligible(application, applicant, staff):
    complete(application)
    services.application_submit(application=application, by=applicant)
    return services.application_screen(application=application, by=staff, eligible=True)


def test_application_screen_ineligible_needs_a_reason(ready_draft, researcher, coordinator_a):
    services.application_submit(application=ready_draft, by=researcher)

    with pytest.raises(TransitionError) as error:
        services.application_screen(application=ready_draft, by=coordinator_a, eligible=False)

    assert list(error.value.message_dict) == ["comment"]
    ready_draft.refresh_from_db()
    assert ready_draft.status == ApplicationStatus.SUBMITTED


def test_review_cycle_from_assignment_to_weighted_score(draft, researcher, coordinator_a, reviewer):
    application = submitted_eligible(draft, researcher, coordinator_a)

    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
    criteria = list(application.call.criteria.all())
    review = services.review_save(
        assignment=assignment,
        by=reviewer,
        scores={criteria[0].pk: "4", criteria[1].pk: "1"},
        comment="Solide",
        recommendation="fund",
        submit=True,
    )

    application.refresh_from_db()
    assignment.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert review.weighted_score == Decimal("3.000")  # (2×4 + 1×1) / 3


def test_review_save_before_declaring_no_conflict_is_refused(draft, researcher, coordinator_a, reviewer):
    application = submitted_eligible(draft, researcher, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)

    with pytest.raises(TransitionError):
        services.review_save(assignment=assignment, by=reviewer, scores={}, submit=False)

    assert Review.objects.count() == 0


def test_review_submit_needs_every_score_and_a_recommendation(draft, researcher, coordinator_a, reviewer):
    application = submitted_eligible(draft, researcher, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
    first, second = application.call.criteria.all()

    with pytest.raises(TransitionError) as error:
        services.review_save(assignment=assignment, by=reviewer, scores={first.pk: "9"}, submit=True)

    assert sorted(error.value.message_dict) == sorted(
        [f"score_{first.pk}", f"score_{second.pk}", "recommendation"]
    )
    assert Review.objects.count() == 0


def test_assignment_declare_conflict_removes_access_and_tells_the_pole(
    draft, researcher, coordinator_a, reviewer, django_capture_on_commit_callbacks
):
    application = submitted_eligible(draft, researcher, coordinator_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_declare(
            assignment=assignment, by=reviewer, conflict=True, comment="Co-auteur récent"
        )

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICT
    assert not reviewer.has_perm("calls.view_application", application)
    assert [m.to for m in mail.outbox] == [[coordinator_a.email]]


def test_assignment_of_the_applicant_lab_colleague_is_refused(draft, researcher, coordinator_a):
    from calls.models import Reviewer
    from tests.calls.factories import lab_in
    from tests.factories import PersonFactory, UserFactory

    lab = lab_in("GSO")
    application = submitted_eligible(draft, researcher, coordinator_a)
    application.lab = lab
    application.save()
    colleague = UserFactory(person=PersonFactory(lab=lab))
    Reviewer.objects.create(canceropole=application.call.canceropole, user=colleague)

    with pytest.raises(TransitionError) as error:
        services.assignment_create(application=application, reviewer=colleague, by=coordinator_a)

    assert list(error.value.message_dict) == ["reviewer"]
    assert application.assignments.count() == 0


def test_assignment_beyond_the_load_cap_is_refused(call_a, coordinator_a, reviewer):
    Call.objects.filter(pk=call_a.pk).update(reviewer_load_cap=1)
    call_a.refresh_from_db()
    first, second = decided_ready(call_a, coordinator_a, n=2)
    services.assignment_create(application=first, reviewer=reviewer, by=coordinator_a)

    with pytest.raises(TransitionError) as error:
        services.assignment_create(application=second, reviewer=reviewer, by=coordinator_a)

    assert list(error.value.message_dict) == ["reviewer"]
    assert second.assignments.count() == 0


def decided_ready(call, staff, n: int = 1):
    """``n`` eligible applications of ``call``, each of its own applicant."""
    apps = []
    for _ in range(n):
        application = complete(ApplicationFactory(call=call))
        services.application_submit(application=application, by=application.applicant)
        apps.append(services.application_screen(application=application, by=staff, eligible=True))
    return apps


def test_application_decide_funded_creates_the_project_within_the_envelope(call_a, coordinator_a):
    (application,) = decided_ready(call_a, coordinator_a)

    decision = services.application_decide(
        application=application,
        by=coordinator_a,
        outcome="funded",
        amount_awarded="20000",
        rationale="Excellent",
    )

    project = Project.objects.get(application=application)
    assert decision.amount_awarded == Decimal("20000.00")
    assert (project.amount_awarded, project.canceropole_id, project.lead_id) == (
        Decimal("20000.00"),
        call_a.canceropole_id,
        application.applicant_id,
    )
    assert project.published_at is None
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE  # nothing visible until published


def test_application_decide_beyond_the_envelope_is_refused_and_creates_nothing(pole_a, coordinator_a):
    call = CallFactory(canceropole=pole_a, envelope=Decimal("30000"))
    first, second = decided_ready(call, coordinator_a, n=2)
    services.application_decide(application=first, by=coordinator_a, outcome="funded", amount_awarded="20000")

    with pytest.raises(TransitionError) as error:
        services.application_decide(
            application=second, by=coordinator_a, outcome="funded", amount_awarded="20000"
        )

    assert list(error.value.message_dict) == ["amount_awarded"]
    assert "10" in error.value.message_dict["amount_awarded"][0]
    assert Decision.objects.filter(application=second).count() == 0
    assert Project.objects.count() == 1


def test_application_decide_changed_to_rejected_before_publication_removes_the_project(call_a, coordinator_a):
    (application,) = decided_ready(call_a, coordinator_a)
    services.application_decide(
        application=application, by=coordinator_a, outcome="funded", amount_awarded="10000"
    )

    services.application_decide(application=application, by=coordinator_a, outcome="rejected")

    assert Project.objects.count() == 0
    assert Decision.objects.get(application=application).amount_awarded == 0


def test_decisions_publish_moves_statuses_publishes_projects_and_fills_the_outbox(
    call_a, coordinator_a, django_capture_on_commit_callbacks
):
    funded, rejected = decided_ready(call_a, coordinator_a, n=2)
    services.application_decide(
        application=funded, by=coordinator_a, outcome="funded", amount_awarded="20000"
    )
    services.application_decide(
        application=rejected, by=coordinator_a, outcome="rejected", rationale="Hors sujet"
    )

    with django_capture_on_commit_callbacks(execute=True):
        published = services.decisions_publish(call=call_a, by=coordinator_a)

    funded.refresh_from_db()
    rejected.refresh_from_db()
    call_a.refresh_from_db()
    assert published == 2
    assert (funded.status, rejected.status) == (ApplicationStatus.SELECTED, ApplicationStatus.REJECTED)
    assert Project.objects.get().published_at is not None
    assert call_a.status == CallStatus.DECIDED
    assert OutboxMessage.objects.filter(status="pending").count() == 2
    assert mail.outbox == []  # nothing leaves before the coordinator reviewed the outbox


def test_outbox_send_sends_each_message_once(call_a, coordinator_a, django_capture_on_commit_callbacks):
    (application,) = decided_ready(call_a, coordinator_a)
    services.application_decide(
        application=application, by=coordinator_a, outcome="funded", amount_awarded="5000"
    )
    services.decisions_publish(call=call_a, by=coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.outbox_send(call=call_a, by=coordinator_a)

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    with pytest.raises(TransitionError), django_capture_on_commit_callbacks(execute=True):
        services.outbox_send(call=call_a, by=coordinator_a)
    assert len(mail.outbox) == 1


def test_calls_follow_clock_task_runs_the_service(pole_a):
    from calls.tasks import calls_follow_clock_task

    call = CallFactory(
        canceropole=pole_a,
        opens_at=timezone.now() - timedelta(days=3),
        deadline=timezone.now() - timedelta(minutes=1),
    )

    moved = calls_follow_clock_task.delay().get()

    call.refresh_from_db()
    assert (moved, call.status) == (1, CallStatus.CLOSED)
