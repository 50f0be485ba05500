"""Follow-up services: projects entered directly, outcomes by kind, the report schedule, submission and
acceptance, the leads' reminders and the coordinators' overdue digest (one e-mail per recipient)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from common.errors import TransitionError
from projects.followup import services
from projects.models import (
    Outcome,
    OutcomeKind,
    OverdueDigest,
    ProgressReport,
    Project,
    ReportKind,
    ReportStatus,
)
from tests.funding.factories import OutcomeFactory, ProjectFactory, ReportFactory
from tests.funding.fixtures import _english  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


@pytest.fixture
def project(pole_a, researcher):
    return ProjectFactory(canceropole=pole_a, lead=researcher, published_at="2026-01-15T10:00:00Z")


def test_project_create_direct_is_published_at_once(coordinator_a, pole_a, researcher):
    project = services.project_create_direct(
        canceropole=pole_a,
        title="  Subvention PLBIO obtenue ",
        amount="450 000",
        lead=researcher,
        start_date="2026-01-01",
        end_date="2029-12-31",
        by=coordinator_a,
    )

    assert (project.title, project.amount_awarded, project.call_id) == (
        "Subvention PLBIO obtenue",
        Decimal("450000.00"),
        None,
    )
    assert project.published_at is not None


def test_project_create_direct_ending_before_it_starts_is_refused(coordinator_a, pole_a):
    with pytest.raises(ValidationError) as error:
        services.project_create_direct(
            canceropole=pole_a,
            title="x",
            amount="1",
            start_date="2026-05-01",
            end_date="2026-04-30",
            by=coordinator_a,
        )

    assert error.value.message_dict == {"end_date": ["The project cannot end before it starts."]}
    assert Project.objects.count() == 0


def test_project_status_follows_its_flow(coordinator_a, project):
    services.project_set_status(project=project, status=Project.Status.ONGOING, by=coordinator_a)

    with pytest.raises(TransitionError):
        services.project_set_status(project=project, status=Project.Status.AWARDED, by=coordinator_a)

    project.refresh_from_db()
    assert project.status == Project.Status.ONGOING


# Outcomes


def test_outcome_publication_stores_the_doi_without_its_resolver(researcher, project):
    outcome = services.outcome_add(
        project=project,
        kind=OutcomeKind.PUBLICATION,
        title="Un article",
        year="2026",
        doi="https://doi.org/10.1038/S41586-020-2649-2",
        by=researcher,
    )

    assert (outcome.doi, outcome.year, outcome.reported_by) == ("10.1038/s41586-020-2649-2", 2026, researcher)


def test_outcome_publication_without_doi_or_hal_id_is_refused(researcher, project):
    with pytest.raises(ValidationError) as error:
        services.outcome_add(
            project=project, kind=OutcomeKind.PUBLICATION, title="x", year=2026, by=researcher
        )

    assert error.value.message_dict == {"doi": ["Enter the publication's DOI or its HAL identifier."]}
    assert Outcome.objects.count() == 0


def test_outcome_with_malformed_identifiers_names_each_field(researcher, project):
    with pytest.raises(ValidationError) as error:
        services.outcome_add(
            project=project,
            kind=OutcomeKind.PUBLICATION,
            title="x",
            year=2026,
            doi="11.1/x",
            hal_id="HAL 1",
            by=researcher,
        )

    assert sorted(error.value.message_dict) == ["doi", "hal_id"]


def test_outcome_same_doi_twice_on_a_project_is_refused(researcher, project):
    OutcomeFactory(project=project, doi="10.1000/abc")

    with pytest.raises(ValidationError) as error:
        services.outcome_add(
            project=project,
            kind=OutcomeKind.PUBLICATION,
            title="x",
            year=2026,
            doi="10.1000/ABC",
            by=researcher,
        )

    assert error.value.message_dict == {"doi": ["This publication is already recorded for the project."]}
    assert Outcome.objects.count() == 1


def test_outcome_follow_on_funding_needs_funder_and_amount(researcher, project):
    with pytest.raises(ValidationError) as error:
        services.outcome_add(
            project=project, kind=OutcomeKind.FOLLOW_ON_FUNDING, title="ANR", year=2027, by=researcher
        )

    assert error.value.message_dict == {
        "funder_name": ["Name the funder of the follow-on grant."],
        "amount": ["Enter the amount of the follow-on grant."],
    }


def test_outcome_follow_on_funding_recorded(researcher, project):
    outcome = services.outcome_add(
        project=project,
        kind=OutcomeKind.FOLLOW_ON_FUNDING,
        title="Projet ANR JCJC",
        year=2027,
        funder_name="ANR",
        programme="JCJC",
        amount="250000",
        by=researcher,
    )

    assert (outcome.funder_name, outcome.programme, outcome.amount) == ("ANR", "JCJC", Decimal("250000.00"))


def test_outcome_update_and_remove(researcher, project):
    outcome = OutcomeFactory(project=project, kind=OutcomeKind.PATENT, doi="", title="Brevet")

    services.outcome_update(
        outcome=outcome, title="Brevet FR123", year=2027, reference="FR123", by=researcher
    )
    outcome.refresh_from_db()
    assert (outcome.title, outcome.year, outcome.reference) == ("Brevet FR123", 2027, "FR123")

    services.outcome_remove(outcome=outcome, by=researcher)
    assert Outcome.objects.count() == 0


# Reports


def test_report_schedule_default_adds_midpoint_and_final(coordinator_a, project):
    added = services.report_schedule_default(project=project, by=coordinator_a)

    assert [(r.kind, r.due_on) for r in added] == [
        (ReportKind.PROGRESS, date(2026, 7, 2)),
        (ReportKind.FINAL, date(2027, 3, 1)),
    ]
    assert services.report_schedule_default(project=project, by=coordinator_a) == []


def test_report_schedule_needs_the_project_dates(coordinator_a, pole_a):
    project = ProjectFactory(canceropole=pole_a, start_date=None, end_date=None)

    with pytest.raises(ValidationError) as error:
        services.report_schedule_default(project=project, by=coordinator_a)

    assert list(error.value.message_dict) == ["start_date"]
    assert ProgressReport.objects.count() == 0


def test_report_submit_then_accept(
    coordinator_a, researcher, project, mailoutbox, django_capture_on_commit_callbacks
):
    report = ReportFactory(project=project)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, summary="Tout avance.", by=researcher)

    report.refresh_from_db()
    assert (report.status, report.summary, report.submitted_by) == (
        ReportStatus.SUBMITTED,
        "Tout avance.",
        researcher,
    )
    assert [m.to for m in mailoutbox] == [[coordinator_a.email]]
    with pytest.raises(TransitionError):
        services.report_submit(report=report, summary="Encore", by=researcher)
    services.report_accept(report=report, by=coordinator_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_report_submit_without_summary_is_refused(researcher, project):
    report = ReportFactory(project=project)

    with pytest.raises(ValidationError):
        services.report_submit(report=report, summary="  ", by=researcher)

    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


# Reminders and digest


def test_reports_remind_sends_one_email_per_lead_once_a_week(
    researcher, pole_a, django_capture_on_commit_callbacks
):
    first = ProjectFactory(canceropole=pole_a, lead=researcher, published_at="2026-01-15T10:00:00Z")
    second = ProjectFactory(canceropole=pole_a, lead=researcher, published_at="2026-01-15T10:00:00Z")
    ReportFactory(project=first, due_on=TODAY + timedelta(days=3))
    ReportFactory(project=second, due_on=TODAY - timedelta(days=10))
    ReportFactory(project=second, due_on=TODAY + timedelta(days=60), kind=ReportKind.FINAL)  # not yet

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reports_remind(today=TODAY)

    assert sent == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [researcher.email]
    assert mail.outbox[0].body.count("\n- ") == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_remind(today=TODAY + timedelta(days=6)) == 0
        assert services.reports_remind(today=TODAY + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_reports_remind_skips_unpublished_projects(researcher, pole_a, django_capture_on_commit_callbacks):
    project = ProjectFactory(canceropole=pole_a, lead=researcher, published_at=None)
    ReportFactory(project=project, due_on=TODAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_remind(today=TODAY) == 0

    assert mail.outbox == []


def test_overdue_digest_one_email_per_coordinator_once_a_day(
    coordinator_a, coordinator_b, director_a, pole_a, pole_b, django_capture_on_commit_callbacks
):
    for code_pole in (pole_a, pole_a, pole_b):
        ReportFactory(project=ProjectFactory(canceropole=code_pole), due_on=TODAY - timedelta(days=1))
    ReportFactory(project=ProjectFactory(canceropole=pole_a), due_on=TODAY)  # due today: not overdue yet

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.overdue_digest_send(today=TODAY)

    assert sent == 2
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(coordinator_a.email,), (coordinator_b.email,)}
    assert by_recipient[(coordinator_a.email,)].subject == "Overdue project reports: 2"
    assert OverdueDigest.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_digest_send(today=TODAY) == 0
    assert len(mail.outbox) == 2


def test_overdue_digest_goes_to_the_director_of_a_pole_without_coordinator(
    director_b, pole_b, django_capture_on_commit_callbacks
):
    ReportFactory(project=ProjectFactory(canceropole=pole_b), due_on=TODAY - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_digest_send(today=TODAY) == 1

    assert mail.outbox[0].to == [director_b.email]


def test_beat_schedule_runs_the_reminders_and_the_digest(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"projects.reports_remind", "projects.overdue_digest"} <= tasks


def test_tasks_run_their_services_and_are_idempotent(
    researcher, coordinator_a, pole_a, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from projects.followup.tasks import overdue_digest_task, reports_remind_task

    project = ProjectFactory(canceropole=pole_a, lead=researcher, published_at="2026-01-15T10:00:00Z")
    ReportFactory(project=project, due_on=timezone.localdate() - timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert reports_remind_task.delay().get() == 1
        assert overdue_digest_task.delay().get() == 1
        assert reports_remind_task.delay().get() == 0
        assert overdue_digest_task.delay().get() == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted([researcher.email, coordinator_a.email])
