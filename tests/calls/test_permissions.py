"""DESIGN §5, the rows about calls, applications, reviews and decisions, for every persona, on the pages
and the API: out of scope is 404, forbidden on a visible object is 403, and a denied write changes nothing.

Personas: anonymous, a researcher with no role (not the applicant), the applicant, the assigned reviewer
(before and after declaring no conflict), the director and a coordinator of pole A (the call's pole), a
coordinator of pole B, INCa staff.
"""

import pytest
from django.urls import reverse

from calls import services
from calls.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    CallStatus,
    Decision,
    Review,
    ReviewAssignment,
)
from projects.models import Project
from tests.calls.factories import ApplicationFactory, CallFactory, complete, reviewer_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "applicant",
    "reviewer",
    "director_a",
    "coordinator_a",
    "coordinator_b",
    "inca",
]


@pytest.fixture
def world(call_a, coordinator_a, director_a, coordinator_b, inca_staff):
    application = complete(ApplicationFactory(call=call_a))
    services.application_submit(application=application, by=application.applicant)
    services.application_screen(application=application, by=coordinator_a, eligible=True)
    reviewer = reviewer_for(call_a)
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator_a)
    draft = ApplicationFactory(call=call_a)
    return {
        "call": call_a,
        "application": application,
        "assignment": assignment,
        "draft": draft,
        "users": {
            "anonymous": None,
            "outsider": UserFactory(),
            "applicant": application.applicant,
            "reviewer": reviewer,
            "director_a": director_a,
            "coordinator_a": coordinator_a,
            "coordinator_b": coordinator_b,
            "inca": inca_staff,
        },
    }


def login(client, world, persona):
    client.logout()
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    return user


def snapshot(world) -> tuple:
    application = Application.objects.get(pk=world["application"].pk)
    draft = Application.objects.get(pk=world["draft"].pk)
    return (
        application.status,
        application.title,
        draft.status,
        draft.title,
        Application.objects.count(),
        ApplicationTransition.objects.count(),
        application.history.count(),
        ReviewAssignment.objects.get(pk=world["assignment"].pk).status,
        Review.objects.count(),
        Decision.objects.count(),
        Project.objects.count(),
        Call.objects.count(),
        Call.objects.get(pk=world["call"].pk).status,
    )


# Row: see open calls -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_calls_are_visible_to_everyone(client, world, persona):
    login(client, world, persona)

    page = client.get(reverse("calls:detail", args=[world["call"].reference]))
    api = client.get(reverse("api:call-detail", args=[world["call"].reference]))

    assert (page.status_code, api.status_code) == (200, 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 404),
        ("outsider", 404),
        ("reviewer", 404),
        ("coordinator_b", 404),
        ("director_a", 200),
        ("coordinator_a", 200),
        ("inca", 200),
    ],
)
def test_draft_call_is_absent_outside_its_pole_and_inca(client, world, persona, expected):
    draft_call = CallFactory(canceropole=world["call"].canceropole, status=CallStatus.DRAFT)
    login(client, world, persona)

    page = client.get(reverse("calls:detail", args=[draft_call.reference]))
    api = client.get(reverse("api:call-detail", args=[draft_call.reference]))

    assert (page.status_code, api.status_code) == (expected, expected)


# Row: draft / submit own application ----------------------------------------------------------------


def test_apply_anonymously_is_refused_and_creates_nothing(client, api_client, world):
    before = snapshot(world)

    page = client.post(reverse("calls:apply", args=[world["call"].reference]), {"title": "Anonyme"})
    api = api_client.post(
        reverse("api:application-list"), {"call": world["call"].reference, "title": "Anonyme"}
    )

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:login"))
    assert api.status_code == 403
    assert snapshot(world) == before


@pytest.mark.parametrize(
    "persona", ["outsider", "reviewer", "director_a", "coordinator_a", "coordinator_b", "inca"]
)
def test_submit_of_someone_else_s_draft_is_absent_and_changes_nothing(client, api_client, world, persona):
    user = login(client, world, persona)
    api_client.force_authenticate(user)
    before = snapshot(world)
    draft = world["draft"]

    page = client.post(reverse("calls:application_submit", args=[draft.pk]))
    saved = client.post(reverse("calls:application", args=[draft.pk]), {"title": "Pris"})
    api = api_client.post(reverse("api:application-submit", args=[draft.pk]))
    patched = api_client.patch(
        reverse("api:application-detail", args=[draft.pk]), {"title": "Pris"}, format="json"
    )

    assert (page.status_code, saved.status_code, api.status_code, patched.status_code) == (404, 404, 404, 404)
    assert snapshot(world) == before


# Row: see an application ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("applicant", 200),
        ("reviewer", 404),  # not before declaring no conflict
        ("director_a", 200),
        ("coordinator_a", 200),
        ("coordinator_b", 404),
        ("inca", 200),
    ],
)
def test_see_a_submitted_application(client, api_client, world, persona, expected):
    user = login(client, world, persona)
    api_client.force_authenticate(user)
    pk = world["application"].pk

    page = client.get(reverse("calls:application", args=[pk]))
    api = api_client.get(reverse("api:application-detail", args=[pk]))

    assert (page.status_code, api.status_code) == (expected, expected)


def test_see_an_application_anonymously_asks_to_log_in(client, api_client, world):
    page = client.get(reverse("calls:application", args=[world["application"].pk]))
    api = api_client.get(reverse("api:application-detail", args=[world["application"].pk]))

    assert page.status_code == 302
    assert api.status_code == 403


def test_reviewer_sees_the_application_after_declaring_no_conflict(client, world):
    reviewer = login(client, world, "reviewer")
    services.assignment_declare(assignment=world["assignment"], by=reviewer, conflict=False)

    response = client.get(reverse("calls:application", args=[world["application"].pk]))

    assert response.status_code == 200


def test_reviewer_never_sees_another_application_of_the_call(client, world, coordinator_a):
    reviewer = login(client, world, "reviewer")
    services.assignment_declare(assignment=world["assignment"], by=reviewer, conflict=False)
    other = complete(ApplicationFactory(call=world["call"]))
    services.application_submit(application=other, by=other.applicant)

    response = client.get(reverse("calls:application", args=[other.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona", ["outsider", "reviewer", "director_a", "coordinator_a", "coordinator_b", "inca"]
)
def test_nobody_sees_another_applicant_s_draft(client, world, persona):
    login(client, world, persona)

    response = client.get(reverse("calls:application", args=[world["draft"].pk]))

    assert response.status_code == 404


# Row: score an application --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("applicant", 404),
        ("director_a", 403),
        ("coordinator_a", 403),
        ("coordinator_b", 404),
        ("inca", 403),
    ],
)
def test_score_by_anyone_but_the_assigned_reviewer_is_refused_and_changes_nothing(
    api_client, world, persona, expected
):
    reviewer = world["users"]["reviewer"]
    services.assignment_declare(assignment=world["assignment"], by=reviewer, conflict=False)
    api_client.force_authenticate(world["users"][persona])
    before = snapshot(world)

    response = api_client.post(
        reverse("api:review-review", args=[world["assignment"].pk]), {"submit": False}, format="json"
    )

    assert response.status_code == expected
    assert snapshot(world) == before


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "coordinator_b", "director_a", "coordinator_a", "inca"]
)
def test_review_page_of_an_assignment_is_the_reviewer_s_only(client, world, persona):
    login(client, world, persona)
    before = snapshot(world)

    page = client.get(reverse("calls:assignment", args=[world["assignment"].pk]))
    post = client.post(
        reverse("calls:assignment", args=[world["assignment"].pk]), {"action": "declare", "conflict": "0"}
    )

    assert (page.status_code, post.status_code) == (404, 404)
    assert snapshot(world) == before


def test_score_before_declaring_no_conflict_is_forbidden_and_changes_nothing(api_client, world):
    api_client.force_authenticate(world["users"]["reviewer"])
    before = snapshot(world)

    response = api_client.post(
        reverse("api:review-review", args=[world["assignment"].pk]), {"submit": False}, format="json"
    )

    assert response.status_code == 403
    assert snapshot(world) == before


# Row: manage calls of a pole ------------------------------------------------------------------------

MANAGE_PAGES = ["manage", "reviewers", "ranking", "outbox"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("applicant", 404),
        ("reviewer", 404),
        ("director_a", 200),
        ("coordinator_a", 200),
        ("coordinator_b", 404),
        ("inca", 200),
    ],
)
def test_management_pages_of_a_call(client, world, persona, expected):
    login(client, world, persona)

    statuses = {
        client.get(reverse(f"calls:{n}", args=[world["call"].reference])).status_code for n in MANAGE_PAGES
    }

    assert statuses == {expected}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("outsider", 404), ("reviewer", 404), ("coordinator_b", 404), ("inca", 403)],
)
def test_management_writes_by_others_are_refused_and_change_nothing(client, world, persona, expected):
    login(client, world, persona)
    call = world["call"]
    application = world["application"]
    other = UserFactory()
    before = snapshot(world)

    responses = [
        client.post(reverse("calls:create", args=["GSO"]), {"reference": "X"}),
        client.post(reverse("calls:publish", args=[call.reference])),
        client.post(
            reverse("calls:screen", args=[call.reference, application.pk]), {"eligible": "0", "comment": "x"}
        ),
        client.post(
            reverse("calls:reviewers", args=[call.reference]), {"action": "pool", "email": other.email}
        ),
        client.post(
            reverse("calls:decide", args=[call.reference, application.pk]),
            {"outcome": "funded", "amount_awarded": "1000"},
        ),
        client.post(reverse("calls:publish_decisions", args=[call.reference])),
        client.post(reverse("calls:outbox", args=[call.reference])),
    ]

    assert [r.status_code for r in responses] == [expected] * len(responses)
    assert snapshot(world) == before
    assert not call.canceropole.reviewers.filter(user=other).exists()


@pytest.mark.parametrize("persona", ["director_a", "coordinator_a"])
def test_pole_staff_decide_within_their_pole(client, world, persona):
    login(client, world, persona)

    response = client.post(
        reverse("calls:decide", args=[world["call"].reference, world["application"].pk]),
        {"outcome": "funded", "amount_awarded": "1000"},
    )

    assert response.status_code == 302
    assert Decision.objects.get().outcome == "funded"


# Row: decisions and funded projects by API ----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "decisions", "projects"),
    [
        ("anonymous", 0, 0),
        ("outsider", 0, 0),
        ("applicant", 0, 0),
        ("coordinator_b", 0, 0),
        ("director_a", 1, 1),
        ("coordinator_a", 1, 1),
        ("inca", 1, 1),
    ],
)
def test_pending_decisions_and_projects_by_api(api_client, world, persona, decisions, projects):
    services.application_decide(
        application=world["application"],
        by=world["users"]["coordinator_a"],
        outcome="funded",
        amount_awarded="5000",
    )
    user = world["users"][persona]
    if user is not None:
        api_client.force_authenticate(user)

    counts = (
        len(api_client.get(reverse("api:decision-list")).json()["results"]),
        len(api_client.get(reverse("api:project-list")).json()["results"]),
    )

    assert counts == (decisions, projects)


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_decisions_and_projects_are_public(api_client, world, persona):
    staff = world["users"]["coordinator_a"]
    services.application_decide(
        application=world["application"], by=staff, outcome="funded", amount_awarded="5000"
    )
    services.decisions_publish(call=world["call"], by=staff)
    user = world["users"][persona]
    if user is not None:
        api_client.force_authenticate(user)

    counts = (
        len(api_client.get(reverse("api:decision-list")).json()["results"]),
        len(api_client.get(reverse("api:project-list")).json()["results"]),
    )

    assert counts == (1, 1)
    assert Application.objects.get(pk=world["application"].pk).status == ApplicationStatus.SELECTED
