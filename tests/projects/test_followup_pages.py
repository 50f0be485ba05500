"""Follow-up pages per persona (DESIGN §5: projects public once published; their follow-up the lead's,
the pole's staff's and INCa's), denied writes changing nothing, downloads, constant queries."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Outcome, ProgressReport, Project, ReportStatus
from tests.funding.factories import OutcomeFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(pole_a, researcher):
    return ProjectFactory(
        canceropole=pole_a, lead=researcher, published_at=timezone.now(), title="Projet publié"
    )


@pytest.fixture
def unpublished(pole_a, researcher):
    return ProjectFactory(canceropole=pole_a, lead=researcher, published_at=None, title="Projet non publié")


@pytest.fixture
def other_researcher(db):
    from tests.factories import UserFactory

    return UserFactory(email="other.researcher@test.canceropoles.fr")


def _login(client, persona, request):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        client.force_login(user)
    return user


# The pole's list


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("researcher", 404),
        ("coordinator_b", 404),
        ("coordinator_a", 200),
        ("director_a", 200),
        ("inca_staff", 200),
    ],
)
def test_pole_projects_page_by_persona(client, pole_a, published, unpublished, persona, code, request):
    _login(client, persona, request)

    response = client.get(reverse("followup:pole", args=[pole_a.code]))

    assert response.status_code == code
    if code == 200:
        assert {p.title for p in response.context["projects"]} == {"Projet publié", "Projet non publié"}


@pytest.mark.parametrize("rows", [1, 4])
def test_pole_projects_page_query_count_is_constant(
    client, coordinator_a, pole_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        project = ProjectFactory(canceropole=pole_a)
        OutcomeFactory(project=project)
        ReportFactory(project=project)
    client.force_login(coordinator_a)

    # session; user; memberships; the pole; the projects with pole, call, lab and lead joined and their
    # counts of outcomes, publications and reports due
    with django_assert_num_queries(5):
        response = client.get(reverse("followup:pole", args=[pole_a.code]))

    assert len(response.context["projects"]) == rows


def test_pole_projects_download(client, coordinator_a, pole_a, published):
    OutcomeFactory(project=published)
    client.force_login(coordinator_a)

    response = client.get(reverse("followup:pole", args=[pole_a.code]), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Projet publié"
    assert rows[1][4] == "20000"
    assert rows[1][9] == "1"


@pytest.mark.parametrize("rows", [1, 4])
def test_pole_outcomes_page_query_count_is_constant(
    client, inca_staff, pole_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        OutcomeFactory(project=ProjectFactory(canceropole=pole_a))
    client.force_login(inca_staff)

    # session; user; the pole; memberships (the rule asks for pole roles first); the outcomes with their
    # projects and poles
    with django_assert_num_queries(5):
        response = client.get(reverse("followup:pole_outcomes", args=[pole_a.code]))

    assert len(response.context["outcomes"]) == rows


def test_pole_outcomes_download(client, coordinator_a, pole_a, published):
    OutcomeFactory(project=published, doi="10.1000/xyz", title="=HYPERLINK()")
    client.force_login(coordinator_a)

    response = client.get(reverse("followup:pole_outcomes", args=[pole_a.code]), {"format": "xlsx"})

    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=3).value == "'=HYPERLINK()"
    assert sheet.cell(row=2, column=5).value == "10.1000/xyz"


@pytest.mark.parametrize("rows", [1, 4])
def test_my_projects_page_query_count_is_constant(
    client, researcher, pole_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        ProjectFactory(canceropole=pole_a, lead=researcher, published_at=timezone.now())
    client.force_login(researcher)

    # session; user; memberships; the researcher's projects with their joins and counts
    with django_assert_num_queries(4):
        response = client.get(reverse("followup:mine"))

    assert len(response.context["projects"]) == rows


def test_my_projects_hide_unpublished_decisions(client, researcher, published, unpublished):
    client.force_login(researcher)

    response = client.get(reverse("followup:mine"))

    assert [p.title for p in response.context["projects"]] == ["Projet publié"]


# The project page


@pytest.mark.parametrize("persona", ["anonymous", "researcher", "coordinator_b"])
def test_unpublished_project_is_absent_outside_its_pole(client, unpublished, persona, request):
    _login(client, persona, request)

    assert client.get(reverse("followup:project", args=[unpublished.pk])).status_code == 404


def test_published_project_is_public_without_its_reports(client, published):
    ReportFactory(project=published)

    response = client.get(reverse("followup:project", args=[published.pk]))

    assert response.status_code == 200
    assert response.context["reports"] == []
    assert response.context["follows"] is False


def test_lead_follows_the_reports_of_the_project(client, researcher, published):
    ReportFactory(project=published)
    client.force_login(researcher)

    response = client.get(reverse("followup:project", args=[published.pk]))

    assert len(response.context["reports"]) == 1
    assert response.context["may_submit"] is True
    assert response.context["may_manage"] is False


@pytest.mark.parametrize("rows", [1, 4])
def test_project_page_query_count_is_constant(
    client, coordinator_a, published, rows, django_assert_num_queries
):
    for i in range(rows):
        OutcomeFactory(project=published)
        ReportFactory(project=published, due_on=timezone.localdate() + timedelta(days=i))
    client.force_login(coordinator_a)

    # session; user; memberships; the project with its joins; its team, outcomes and reports;
    # its commitments with their funders
    with django_assert_num_queries(8):
        response = client.get(reverse("followup:project", args=[published.pk]))

    assert len(response.context["outcomes"]) == rows


# Outcomes


def _outcome_post(**overrides):
    data = {"kind": "publication", "title": "Article", "year": "2026", "doi": "10.1000/abc"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["researcher", "coordinator_a"])
def test_outcome_reported_by_the_lead_or_the_pole(client, published, persona, request):
    _login(client, persona, request)

    response = client.post(reverse("followup:outcome_add", args=[published.pk]), _outcome_post())

    assert response.status_code == 302
    assert Outcome.objects.get().doi == "10.1000/abc"


@pytest.mark.parametrize(
    ("persona", "code"), [("other_researcher", 403), ("coordinator_b", 403), ("inca_staff", 403)]
)
def test_outcome_by_others_on_a_published_project_is_forbidden(client, published, persona, code, request):
    _login(client, persona, request)

    response = client.post(reverse("followup:outcome_add", args=[published.pk]), _outcome_post())

    assert response.status_code == code
    assert Outcome.objects.count() == 0


def test_outcome_on_an_unpublished_project_of_another_pole_is_absent(client, coordinator_b, unpublished):
    client.force_login(coordinator_b)

    assert (
        client.post(reverse("followup:outcome_add", args=[unpublished.pk]), _outcome_post()).status_code
        == 404
    )
    assert Outcome.objects.count() == 0


def test_outcome_with_an_error_comes_back_400_naming_the_field(client, researcher, published):
    client.force_login(researcher)

    response = client.post(
        reverse("followup:outcome_add", args=[published.pk]), _outcome_post(doi="pas un doi")
    )

    assert response.status_code == 400
    assert list(response.context["outcome_form"].errors) == ["doi"]
    assert Outcome.objects.count() == 0


def test_outcome_removed_by_others_is_refused(client, other_researcher, published):
    outcome = OutcomeFactory(project=published)
    client.force_login(other_researcher)

    assert client.post(reverse("followup:outcome_remove", args=[outcome.pk])).status_code == 403
    assert Outcome.objects.filter(pk=outcome.pk).exists()


# Reports


def test_report_submitted_by_the_lead_then_accepted_by_the_pole(client, researcher, coordinator_a, published):
    report = ReportFactory(project=published)
    client.force_login(researcher)

    submitted = client.post(
        reverse("followup:report_submit", args=[report.pk]),
        {f"report-{report.pk}-summary": "Avancement conforme."},
    )
    client.force_login(coordinator_a)
    accepted = client.post(reverse("followup:report_accept", args=[report.pk]))

    assert (submitted.status_code, accepted.status_code) == (302, 302)
    report.refresh_from_db()
    assert (report.status, report.summary) == (ReportStatus.ACCEPTED, "Avancement conforme.")


@pytest.mark.parametrize(
    ("persona", "code"), [("coordinator_b", 404), ("inca_staff", 403), ("other_researcher", 404)]
)
def test_report_submitted_by_others_is_refused_and_unchanged(client, published, persona, code, request):
    report = ReportFactory(project=published)
    _login(client, persona, request)

    response = client.post(
        reverse("followup:report_submit", args=[report.pk]), {f"report-{report.pk}-summary": "x"}
    )

    assert response.status_code == code
    report.refresh_from_db()
    assert (report.status, report.summary, report.history.count()) == (ReportStatus.DUE, "", 1)


def test_report_accepted_by_the_lead_is_forbidden(client, researcher, published):
    report = ReportFactory(project=published, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(researcher)

    assert client.post(reverse("followup:report_accept", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_reports_scheduled_by_the_pole(client, coordinator_a, published):
    client.force_login(coordinator_a)

    response = client.post(reverse("followup:report_schedule", args=[published.pk]))

    assert response.status_code == 302
    assert ProgressReport.objects.filter(project=published).count() == 2


def test_reports_scheduled_by_the_lead_is_forbidden(client, researcher, published):
    client.force_login(researcher)

    assert client.post(reverse("followup:report_schedule", args=[published.pk])).status_code == 403
    assert ProgressReport.objects.count() == 0


# Projects entered directly


def test_project_entered_directly_by_the_pole(client, coordinator_a, researcher, pole_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("followup:project_add", args=[pole_a.code]),
        {
            "title": "Subvention ANR",
            "lead_email": researcher.email,
            "amount": "300000",
            "start_date": "2026-01-01",
            "end_date": "2028-12-31",
        },
    )

    project = Project.objects.get()
    assert response["Location"] == reverse("followup:project", args=[project.pk])
    assert (project.lead, project.amount_awarded) == (researcher, Decimal("300000.00"))


def test_project_entered_with_an_unknown_lead_comes_back_400(client, coordinator_a, pole_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("followup:project_add", args=[pole_a.code]),
        {"title": "Subvention ANR", "lead_email": "nobody@example.org", "amount": "300000"},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["lead_email"]
    assert Project.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "code"), [("inca_staff", 403), ("coordinator_b", 404), ("researcher", 404)]
)
def test_project_entered_by_others_is_refused(client, pole_a, persona, code, request):
    _login(client, persona, request)

    response = client.post(reverse("followup:project_add", args=[pole_a.code]), {"title": "x", "amount": "1"})

    assert response.status_code == code
    assert Project.objects.count() == 0


def test_project_status_changed_by_the_pole_only(client, coordinator_a, researcher, published):
    client.force_login(researcher)
    assert (
        client.post(reverse("followup:status", args=[published.pk]), {"status": "ongoing"}).status_code == 403
    )
    client.force_login(coordinator_a)
    assert (
        client.post(reverse("followup:status", args=[published.pk]), {"status": "ongoing"}).status_code == 302
    )

    published.refresh_from_db()
    assert published.status == Project.Status.ONGOING
