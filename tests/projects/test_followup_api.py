"""Outcomes and reports through the API: public outcomes of published projects, reports for the lead,
the pole and INCa, writes with the pages' rules, denied writes unchanged, constant queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Outcome, ReportStatus
from tests.factories import UserFactory
from tests.funding.factories import OutcomeFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(pole_a, researcher):
    return ProjectFactory(canceropole=pole_a, lead=researcher, published_at=timezone.now())


@pytest.fixture
def unpublished(pole_a, researcher):
    return ProjectFactory(canceropole=pole_a, lead=researcher)


def _ids(response):
    assert response.status_code == 200
    return sorted(item["id"] for item in response.json()["results"])


def test_outcomes_of_published_projects_are_public(api_client, published, unpublished, coordinator_a):
    public = OutcomeFactory(project=published)
    hidden = OutcomeFactory(project=unpublished)

    assert _ids(api_client.get(reverse("api:outcome-list"))) == [public.pk]
    api_client.force_authenticate(coordinator_a)
    assert _ids(api_client.get(reverse("api:outcome-list"))) == sorted([public.pk, hidden.pk])


def test_reports_are_the_leads_the_poles_and_incas(
    api_client, published, researcher, coordinator_b, inca_staff
):
    report = ReportFactory(project=published)

    assert _ids(api_client.get(reverse("api:progressreport-list"))) == []
    api_client.force_authenticate(coordinator_b)
    assert _ids(api_client.get(reverse("api:progressreport-list"))) == []
    api_client.force_authenticate(researcher)
    assert _ids(api_client.get(reverse("api:progressreport-list"))) == [report.pk]
    api_client.force_authenticate(inca_staff)
    assert _ids(api_client.get(reverse("api:progressreport-list"))) == [report.pk]


def test_outcome_created_by_the_lead(api_client, researcher, published):
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:outcome-list"),
        {
            "project": published.pk,
            "kind": "follow_on",
            "title": "ANR",
            "year": 2027,
            "funder_name": "ANR",
            "amount": "1e5",
        },
    )

    assert response.status_code == 201
    assert response.json()["amount"] == "100000.00"


@pytest.mark.parametrize(("persona", "code"), [("coordinator_b", 403), ("inca_staff", 403), ("other", 403)])
def test_outcome_by_others_is_forbidden_and_changes_nothing(api_client, published, persona, code, request):
    user = UserFactory() if persona == "other" else request.getfixturevalue(persona)
    api_client.force_authenticate(user)

    response = api_client.post(
        reverse("api:outcome-list"),
        {"project": published.pk, "kind": "publication", "title": "x", "year": 2026, "doi": "10.1/x"},
    )

    assert response.status_code == code
    assert Outcome.objects.count() == 0


def test_outcome_deleted_by_others_is_forbidden(api_client, published, coordinator_b):
    outcome = OutcomeFactory(project=published)
    api_client.force_authenticate(coordinator_b)

    assert api_client.delete(reverse("api:outcome-detail", args=[outcome.pk])).status_code == 403
    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_report_submitted_through_the_api(api_client, researcher, coordinator_b, published):
    report = ReportFactory(project=published)
    api_client.force_authenticate(coordinator_b)
    assert (
        api_client.post(reverse("api:progressreport-submit", args=[report.pk]), {"summary": "x"}).status_code
        == 404
    )
    api_client.force_authenticate(researcher)

    response = api_client.post(reverse("api:progressreport-submit", args=[report.pk]), {"summary": "Bilan"})

    assert response.json()["status"] == ReportStatus.SUBMITTED
    assert api_client.post(reverse("api:progressreport-accept", args=[report.pk])).status_code == 403


@pytest.mark.parametrize("rows", [1, 4])
def test_outcome_list_query_count_is_constant(api_client, pole_a, rows, django_assert_num_queries):
    for _ in range(rows):
        OutcomeFactory(project=ProjectFactory(canceropole=pole_a, published_at=timezone.now()))

    # the page of outcomes with project and pole joined
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:outcome-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_report_list_query_count_is_constant(
    api_client, coordinator_a, pole_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        ReportFactory(project=ProjectFactory(canceropole=pole_a))
    api_client.force_authenticate(coordinator_a)

    # memberships; the page of reports with project, pole and lead joined
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:progressreport-list"))

    assert len(response.json()["results"]) == rows
