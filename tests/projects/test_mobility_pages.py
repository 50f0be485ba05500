"""Mobility pages and API per persona (a grant is its applicant's, its pole's staff's and INCa's; the
pole decides and pays, never on its own application), denied steps changing nothing, constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding.models import Commitment, Earmark
from projects.models import MobilityGrant, MobilityStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.funding.factories import (
    AllocationFactory,
    FunderFactory,
    MobilityGrantFactory,
    MobilitySessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(pole_a):
    return MobilitySessionFactory(canceropole=pole_a)


@pytest.fixture
def grant(session, researcher):
    AllocationFactory(
        funder=FunderFactory(), canceropole=session.canceropole, year=session.year, earmark=Earmark.MOBILITY
    )
    return MobilityGrantFactory(session=session, applicant=researcher)


def _login(client, persona, request):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        client.force_login(user)
    return user


# Applying


def test_index_lists_the_open_sessions_to_everyone(client, session):
    response = client.get(reverse("mobility:index"))

    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == [session.pk]


@pytest.mark.parametrize("rows", [1, 4])
def test_index_query_count_is_constant(client, researcher, pole_a, rows, django_assert_num_queries):
    for _ in range(rows):
        MobilityGrantFactory(session=MobilitySessionFactory(canceropole=pole_a), applicant=researcher)
    client.force_login(researcher)

    # session; user; memberships; the researcher's grants with their joins; the open sessions with poles
    with django_assert_num_queries(5):
        response = client.get(reverse("mobility:index"))

    assert len(response.context["mine"]) == rows


def test_apply_asks_a_visitor_to_log_in(client, session):
    response = client.get(reverse("mobility:apply", args=[session.pk]))

    assert response.status_code == 302
    assert MobilityGrant.objects.count() == 0


def test_apply_through_the_form(client, researcher, session):
    lab = OrganisationFactory(name="Labo A")
    today = timezone.localdate()
    client.force_login(researcher)

    response = client.post(
        reverse("mobility:apply", args=[session.pk]),
        {
            "home_lab": lab.pk,
            "host_institution": "Institut Curie",
            "host_city": "Paris",
            "host_country": "fr",
            "purpose": "Formation",
            "start_date": (today + timedelta(days=5)).isoformat(),
            "end_date": (today + timedelta(days=10)).isoformat(),
            "amount_requested": "900",
        },
    )

    grant = MobilityGrant.objects.get()
    assert response["Location"] == reverse("mobility:grant", args=[grant.pk])
    assert (grant.applicant, grant.host_country, grant.amount_requested) == (
        researcher,
        "FR",
        Decimal("900.00"),
    )


def test_apply_above_the_ceiling_comes_back_400(client, researcher, session):
    lab = OrganisationFactory()
    today = timezone.localdate()
    client.force_login(researcher)

    response = client.post(
        reverse("mobility:apply", args=[session.pk]),
        {
            "home_lab": lab.pk,
            "host_institution": "Institut Curie",
            "host_country": "FR",
            "purpose": "Formation",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "amount_requested": "3000",
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["amount_requested"]
    assert MobilityGrant.objects.count() == 0


# Seeing a grant


@pytest.mark.parametrize(
    ("persona", "code"), [("anonymous", 302), ("coordinator_b", 404), ("director_b", 404)]
)
def test_grant_is_absent_for_others(client, grant, persona, code, request):
    _login(client, persona, request)

    assert client.get(reverse("mobility:grant", args=[grant.pk])).status_code == code


def test_grant_of_another_researcher_is_absent(client, grant):
    client.force_login(UserFactory())

    assert client.get(reverse("mobility:grant", args=[grant.pk])).status_code == 404


def test_inca_reads_a_grant_without_its_steps(client, inca_staff, grant):
    client.force_login(inca_staff)

    response = client.get(reverse("mobility:grant", args=[grant.pk]))

    assert response.status_code == 200
    assert response.context["may_decide"] is False


def test_coordinator_may_decide_and_the_applicant_may_withdraw(client, coordinator_a, researcher, grant):
    client.force_login(coordinator_a)
    assert client.get(reverse("mobility:grant", args=[grant.pk])).context["may_decide"] is True
    client.force_login(researcher)
    context = client.get(reverse("mobility:grant", args=[grant.pk])).context
    assert (context["may_decide"], context["may_withdraw"]) == (False, True)


# Steps


def test_coordinator_approves_and_the_money_is_committed(client, coordinator_a, grant):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("mobility:step", args=[grant.pk, "approve"]),
        {"decision-amount": "1500", "decision-comment": ""},
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.amount_approved) == (MobilityStatus.APPROVED, Decimal("1500.00"))
    assert Commitment.objects.get(mobility_grant=grant).amount == Decimal("1500.00")


@pytest.mark.parametrize(
    ("persona", "code"), [("researcher", 403), ("inca_staff", 403), ("coordinator_b", 404)]
)
def test_approval_by_others_is_refused_and_changes_nothing(client, grant, persona, code, request):
    _login(client, persona, request)

    response = client.post(reverse("mobility:step", args=[grant.pk, "approve"]), {"decision-amount": "1500"})

    assert response.status_code == code
    grant.refresh_from_db()
    assert (grant.status, grant.amount_approved, grant.transitions.count(), grant.history.count()) == (
        MobilityStatus.APPLIED,
        None,
        0,
        1,
    )
    assert Commitment.objects.count() == 0


def test_pole_staff_never_approve_their_own_application(client, pole_a, session, grant):
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, canceropole=pole_a, role="coordinator")
    own = MobilityGrantFactory(session=session, applicant=coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("mobility:step", args=[own.pk, "approve"]), {"decision-amount": "1000"})

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == MobilityStatus.APPLIED


def test_wrong_step_comes_back_400_and_changes_nothing(client, coordinator_a, grant):
    client.force_login(coordinator_a)

    response = client.post(reverse("mobility:step", args=[grant.pk, "pay"]))

    assert response.status_code == 400
    grant.refresh_from_db()
    assert grant.status == MobilityStatus.APPLIED


def test_unknown_step_is_absent(client, coordinator_a, grant):
    client.force_login(coordinator_a)

    assert client.post(reverse("mobility:step", args=[grant.pk, "teleport"])).status_code == 404


def test_withdraw_by_the_pole_is_forbidden(client, coordinator_a, grant):
    client.force_login(coordinator_a)

    assert client.post(reverse("mobility:step", args=[grant.pk, "withdraw"])).status_code == 403
    grant.refresh_from_db()
    assert grant.status == MobilityStatus.APPLIED


# The pole's list


@pytest.mark.parametrize(
    ("persona", "code"), [("researcher", 404), ("coordinator_b", 404), ("inca_staff", 200)]
)
def test_pole_grants_by_persona(client, pole_a, grant, persona, code, request):
    _login(client, persona, request)

    assert client.get(reverse("mobility:pole", args=[pole_a.code])).status_code == code


@pytest.mark.parametrize("rows", [1, 4])
def test_pole_grants_query_count_is_constant(
    client, coordinator_a, pole_a, session, rows, django_assert_num_queries
):
    MobilityGrantFactory.create_batch(rows, session=session)
    client.force_login(coordinator_a)

    # session; user; memberships; the pole; the grants with session, pole, applicant and lab; the sessions
    with django_assert_num_queries(6):
        response = client.get(reverse("mobility:pole", args=[pole_a.code]))

    assert len(response.context["grants"]) == rows


def test_pole_grants_filter_and_download(client, coordinator_a, pole_a, session):
    MobilityGrantFactory(session=session, status=MobilityStatus.REFUSED)
    MobilityGrantFactory(session=session)
    client.force_login(coordinator_a)

    response = client.get(reverse("mobility:pole", args=[pole_a.code]), {"status": "refused"})
    download = client.get(
        reverse("mobility:pole", args=[pole_a.code]), {"status": "refused", "format": "csv"}
    )

    assert [g.status for g in response.context["grants"]] == ["refused"]
    assert download.content.decode("utf-8-sig").count("\r\n") == 2


def test_session_opened_by_the_pole_only(client, coordinator_a, inca_staff, pole_a):
    data = {
        "year": "2027",
        "number": "1",
        "opens_on": "2027-01-05",
        "closes_on": "2027-03-31",
        "ceiling": "2500",
    }
    client.force_login(inca_staff)
    assert client.post(reverse("mobility:session_add", args=[pole_a.code]), data).status_code == 403
    client.force_login(coordinator_a)
    assert client.post(reverse("mobility:session_add", args=[pole_a.code]), data).status_code == 302

    assert pole_a.mobility_sessions.filter(year=2027).count() == 1


# API


def test_api_grants_scoped_by_persona(api_client, researcher, coordinator_a, coordinator_b, grant):
    api_client.force_authenticate(researcher)
    assert [g["id"] for g in api_client.get(reverse("api:mobilitygrant-list")).json()["results"]] == [
        grant.pk
    ]
    api_client.force_authenticate(coordinator_b)
    assert api_client.get(reverse("api:mobilitygrant-list")).json()["results"] == []
    api_client.force_authenticate(coordinator_a)
    assert api_client.get(reverse("api:mobilitygrant-detail", args=[grant.pk])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "code"), [("researcher", 403), ("inca_staff", 403), ("coordinator_b", 404)]
)
def test_api_approval_by_others_is_refused(api_client, grant, persona, code, request):
    api_client.force_authenticate(request.getfixturevalue(persona))

    response = api_client.post(reverse("api:mobilitygrant-approve", args=[grant.pk]), {})

    assert response.status_code == code
    grant.refresh_from_db()
    assert grant.status == MobilityStatus.APPLIED


def test_api_walks_a_grant(api_client, researcher, coordinator_a, session):
    AllocationFactory(canceropole=session.canceropole, year=session.year, earmark=Earmark.MOBILITY)
    today = timezone.localdate()
    api_client.force_authenticate(researcher)
    created = api_client.post(
        reverse("api:mobilitygrant-list"),
        {
            "session": session.pk,
            "home_lab": OrganisationFactory().pk,
            "host_institution": "EMBL",
            "host_country": "DE",
            "purpose": "Stage",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "amount_requested": "800",
        },
    )
    pk = created.json()["id"]

    api_client.force_authenticate(coordinator_a)
    assert api_client.post(reverse("api:mobilitygrant-approve", args=[pk]), {}).json()["status"] == "approved"
    api_client.force_authenticate(researcher)
    assert (
        api_client.post(reverse("api:mobilitygrant-stay-done", args=[pk]), {}).json()["status"] == "stay_done"
    )
    assert api_client.post(reverse("api:mobilitygrant-report", args=[pk]), {"report": "Bien."}).json()[
        "status"
    ] == ("report_received")
    api_client.force_authenticate(coordinator_a)
    assert api_client.post(reverse("api:mobilitygrant-pay", args=[pk]), {}).json()["status"] == "paid"


@pytest.mark.parametrize("rows", [1, 4])
def test_api_grant_list_query_count_is_constant(
    api_client, inca_staff, session, rows, django_assert_num_queries
):
    MobilityGrantFactory.create_batch(rows, session=session)
    api_client.force_authenticate(inca_staff)

    # the page of grants with session, pole, applicant and lab joined
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:mobilitygrant-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_api_session_list_query_count_is_constant(api_client, pole_a, rows, django_assert_num_queries):
    for number in range(rows):
        MobilitySessionFactory(canceropole=pole_a, number=number + 1)

    # the page of sessions with their poles
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:mobilitysession-list"))

    assert len(response.json()["results"]) == rows
