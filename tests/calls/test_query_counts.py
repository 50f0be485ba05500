"""Every list page of the calls reads in a constant number of queries, whatever the number of rows."""

import pytest
from django.urls import reverse

from calls import services
from calls.models import Call, TeamMember
from tests.calls.factories import ApplicationFactory, CallFactory, complete, reviewer_for

pytestmark = pytest.mark.django_db

# A signed-in page starts with: the session, the user, the user's memberships (menu and rules).
SIGNED_IN = 3


@pytest.fixture
def world(pole_a, coordinator_a, request):
    """``rows`` applications of one call, each reviewed, funded and published, and ``rows`` other calls."""
    rows = request.param
    call = CallFactory(canceropole=pole_a)
    Call.objects.filter(pk=call.pk).update(reviewer_load_cap=10)
    call.refresh_from_db()
    reviewer = reviewer_for(call)
    applications = []
    for _ in range(rows):
        application = complete(ApplicationFactory(call=call))
        for n in range(rows):
            TeamMember.objects.create(
                application=application, first_name=f"P{n}", last_name="N", lab=application.lab
            )
        services.application_submit(application=application, by=application.applicant)
        services.application_screen(application=application, by=coordinator_a, eligible=True)
        assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
        services.assignment_declare(assignment=assignment, by=reviewer, conflict=False)
        first, second = call.criteria.all()
        services.review_save(
            assignment=assignment,
            by=reviewer,
            scores={first.pk: 3, second.pk: 4},
            recommendation="fund",
            submit=True,
        )
        services.application_decide(
            application=application, by=coordinator_a, outcome="funded", amount_awarded="1000"
        )
        applications.append(application)
    services.decisions_publish(call=call, by=coordinator_a)
    for _ in range(rows):
        CallFactory(canceropole=pole_a)
    return {"call": call, "reviewer": reviewer, "applications": applications, "staff": coordinator_a}


ROWS = [1, 4]


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_call_list_query_count_is_constant(client, world, django_assert_num_queries):
    # open calls, calls opening later, past calls (each with its pole joined)
    with django_assert_num_queries(3):
        response = client.get(reverse("calls:list"))

    assert response.status_code == 200


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_call_detail_query_count_is_constant(client, world, django_assert_num_queries):
    # the call with its pole, its criteria, its published funded decisions with application and lab
    with django_assert_num_queries(3):
        response = client.get(reverse("calls:detail", args=[world["call"].reference]))

    assert len(response.context["results"]) == len(world["applications"])


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_my_applications_query_count_is_constant(client, world, django_assert_num_queries):
    applicant = world["applications"][0].applicant
    for call in Call.objects.exclude(pk=world["call"].pk):
        ApplicationFactory(call=call, applicant=applicant)
    client.force_login(applicant)

    # signed in; the user's applications with call, pole, lab and decision joined
    with django_assert_num_queries(SIGNED_IN + 1):
        response = client.get(reverse("calls:my_applications"))

    assert len(response.context["applications"]) == len(world["applications"]) + 1


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_my_reviews_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["reviewer"])

    # signed in; the reviewer's assignments with application, call, pole and review joined
    with django_assert_num_queries(SIGNED_IN + 1):
        response = client.get(reverse("calls:my_reviews"))

    assert len(response.context["assignments"]) == len(world["applications"])


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_pole_calls_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["staff"])

    # session, user, the pole, memberships (rules and menu), the calls with their application counts
    with django_assert_num_queries(5):
        response = client.get(reverse("calls:pole", args=["GSO"]))

    assert len(response.context["calls"]) == len(world["applications"]) + 1


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_manage_applications_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["staff"])

    # signed in; the call; its applications with applicant, lab, decision and review counts
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("calls:manage", args=[world["call"].reference]))

    assert len(response.context["applications"]) == len(world["applications"])


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_reviewers_page_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["staff"])

    # signed in; the call; the pool with users, people and labs; loads; eligible applications;
    # assignments with reviewer and application
    with django_assert_num_queries(SIGNED_IN + 5):
        response = client.get(reverse("calls:reviewers", args=[world["call"].reference]))

    assert len(response.context["assignments"]) == len(world["applications"])


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_ranking_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["staff"])

    # signed in; the call; applications with applicant, lab and decision; submitted review scores; awarded sum
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("calls:ranking", args=[world["call"].reference]))

    assert len(response.context["rows"]) == len(world["applications"])


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_outbox_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["staff"])

    # signed in; the call; the outbox messages with their application and call
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("calls:outbox", args=[world["call"].reference]))

    assert len(response.context["outbox"]) == len(world["applications"])


@pytest.mark.parametrize("world", ROWS, indirect=True)
def test_application_page_query_count_is_constant(client, world, django_assert_num_queries):
    client.force_login(world["staff"])
    application = world["applications"][0]

    # signed in; the application with call, pole, applicant, lab and decision; its team, their labs,
    # budget lines, attachments
    with django_assert_num_queries(SIGNED_IN + 5):
        response = client.get(reverse("calls:application", args=[application.pk]))

    assert len(response.context["team"]) == len(world["applications"])


@pytest.mark.parametrize("rows", ROWS)
def test_application_form_query_count_is_constant(
    client, call_a, researcher, rows, django_assert_num_queries
):
    application = complete(ApplicationFactory(call=call_a, applicant=researcher))
    for n in range(rows):
        TeamMember.objects.create(
            application=application, first_name=f"P{n}", last_name="N", lab=application.lab
        )
    client.force_login(researcher)

    # signed in; the application; team, their labs, budget, attachments; eligibility: the lab's coverage,
    # another open application; the labs of the menus (read once for every menu)
    with django_assert_num_queries(SIGNED_IN + 8):
        response = client.get(reverse("calls:application", args=[application.pk]))

    assert response.context["editable"] is True
