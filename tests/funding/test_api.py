"""The funding API: scopes by persona (DESIGN §5: a pole's money is its staff's and INCa's; published
awards are public), writes with the rules of the pages, denied writes changing nothing, constant queries,
and the 360Giving package in the OpenAPI."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import Allocation, Commitment, CommitmentKind, Disbursement, DisbursementStatus
from tests.funding.factories import AllocationFactory, CommitmentFactory, FunderFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["results"])


@pytest.fixture
def money(pole_a, pole_b, region_funder, coordinator_a):
    """One allocation per pole, each with a commitment and a scheduled payment; pole A's project published."""
    a = AllocationFactory(funder=region_funder, canceropole=pole_a)
    b = AllocationFactory(funder=region_funder, canceropole=pole_b)
    project = ProjectFactory(canceropole=pole_a, published_at=timezone.now())
    public = services.commitment_create(
        allocation=a, kind=CommitmentKind.PROJECT, project=project, amount="5000", by=coordinator_a
    )
    private_a = CommitmentFactory(allocation=a)
    private_b = CommitmentFactory(allocation=b)
    payment_a = services.disbursement_schedule(
        commitment=private_a, amount="100", scheduled_on="2026-03-01", by=coordinator_a
    )
    payment_b = services.disbursement_schedule(
        commitment=private_b, amount="100", scheduled_on="2026-03-01", by=coordinator_a
    )
    return {
        "a": a,
        "b": b,
        "public": public,
        "private_a": private_a,
        "private_b": private_b,
        "payment_a": payment_a,
        "payment_b": payment_b,
    }


# Reads, per persona


@pytest.mark.parametrize("persona", ["anonymous", "researcher"])
def test_allocations_and_payments_are_hidden_from_the_public(api_client, money, persona, request):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        api_client.force_authenticate(user)

    assert _ids(api_client.get(reverse("api:allocation-list"))) == []
    assert _ids(api_client.get(reverse("api:disbursement-list"))) == []
    assert _ids(api_client.get(reverse("api:commitment-list"))) == [money["public"].pk]
    assert api_client.get(reverse("api:allocation-detail", args=[money["a"].pk])).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "director_a"])
def test_pole_staff_read_their_own_poles_money(api_client, money, persona, request):
    api_client.force_authenticate(request.getfixturevalue(persona))

    assert _ids(api_client.get(reverse("api:allocation-list"))) == [money["a"].pk]
    assert _ids(api_client.get(reverse("api:commitment-list"))) == sorted(
        [money["public"].pk, money["private_a"].pk]
    )
    assert _ids(api_client.get(reverse("api:disbursement-list"))) == [money["payment_a"].pk]
    assert api_client.get(reverse("api:allocation-detail", args=[money["b"].pk])).status_code == 404
    assert api_client.get(reverse("api:disbursement-detail", args=[money["payment_b"].pk])).status_code == 404


def test_inca_staff_read_every_pole(api_client, money, inca_staff):
    api_client.force_authenticate(inca_staff)

    assert _ids(api_client.get(reverse("api:allocation-list"))) == sorted([money["a"].pk, money["b"].pk])
    assert len(_ids(api_client.get(reverse("api:commitment-list")))) == 3
    assert len(_ids(api_client.get(reverse("api:disbursement-list")))) == 2


def test_allocation_reports_what_is_committed_paid_and_available(api_client, money, coordinator_a):
    api_client.force_authenticate(coordinator_a)

    body = api_client.get(reverse("api:allocation-detail", args=[money["a"].pk])).json()

    assert (body["amount"], body["committed"], body["paid"], body["available"]) == (
        "100000.00",
        "6000.00",
        "0.00",
        "94000.00",
    )


def test_allocations_filter_by_pole_and_year(api_client, money, inca_staff, pole_a):
    AllocationFactory(canceropole=pole_a, year=2025)
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse("api:allocation-list"), {"canceropole": "gso", "year": 2026})

    assert _ids(response) == [money["a"].pk]


# Writes


def _allocation_payload(funder, pole, **overrides):
    return {
        "funder": funder.pk,
        "canceropole": pole.code,
        "year": 2026,
        "amount": "10 000,50",
        "purpose": "Test",
    } | overrides


def test_coordinator_records_an_allocation_of_a_regional_funder(
    api_client, coordinator_a, pole_a, region_funder
):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(reverse("api:allocation-list"), _allocation_payload(region_funder, pole_a))

    assert response.status_code == 201
    assert response.json()["amount"] == "10000.50"
    assert Allocation.objects.get().created_by == coordinator_a


def test_coordinator_cannot_record_an_inca_allocation(api_client, coordinator_a, pole_a, inca):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(reverse("api:allocation-list"), _allocation_payload(inca, pole_a))

    assert response.status_code == 403
    assert Allocation.objects.count() == 0


def test_inca_records_inca_allocations_only(api_client, inca_staff, pole_a, inca, region_funder):
    api_client.force_authenticate(inca_staff)

    assert (
        api_client.post(reverse("api:allocation-list"), _allocation_payload(inca, pole_a)).status_code == 201
    )
    assert (
        api_client.post(
            reverse("api:allocation-list"), _allocation_payload(region_funder, pole_a)
        ).status_code
        == 403
    )
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize("persona", ["anonymous", "researcher", "coordinator_b"])
def test_allocation_for_pole_a_by_an_outsider_is_forbidden(
    api_client, pole_a, region_funder, persona, request
):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        api_client.force_authenticate(user)

    response = api_client.post(reverse("api:allocation-list"), _allocation_payload(region_funder, pole_a))

    assert response.status_code == 403
    assert Allocation.objects.count() == 0


def test_allocation_with_a_bad_amount_names_the_field(api_client, coordinator_a, pole_a, region_funder):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:allocation-list"), _allocation_payload(region_funder, pole_a, amount="beaucoup")
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount"]
    assert Allocation.objects.count() == 0


def test_commitment_beyond_the_allocation_answers_400_and_changes_nothing(api_client, coordinator_a, money):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:commitment-list"),
        {"allocation": money["a"].pk, "kind": "other", "label": "Trop", "amount": "94000.01"},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount"]
    assert Commitment.objects.filter(allocation=money["a"]).count() == 2


def test_commitment_by_pole_staff_is_recorded(api_client, director_a, money):
    api_client.force_authenticate(director_a)

    response = api_client.post(
        reverse("api:commitment-list"),
        {"allocation": money["a"].pk, "kind": "event", "label": "Journées", "amount": "4000"},
    )

    assert response.status_code == 201
    assert response.json()["funder_name"] == "Région Occitanie"


@pytest.mark.parametrize(
    ("persona", "code"), [("coordinator_b", 404), ("inca_staff", 403), ("researcher", 404)]
)
def test_commitment_on_pole_a_by_others_is_refused(api_client, money, persona, code, request):
    api_client.force_authenticate(request.getfixturevalue(persona))

    response = api_client.post(
        reverse("api:commitment-list"),
        {"allocation": money["a"].pk, "kind": "other", "label": "x", "amount": "1"},
    )

    assert response.status_code == code
    assert Commitment.objects.filter(allocation=money["a"]).count() == 2


def test_disbursement_scheduled_then_paid_by_the_pole(api_client, coordinator_a, money):
    api_client.force_authenticate(coordinator_a)

    created = api_client.post(
        reverse("api:disbursement-list"),
        {"commitment": money["private_a"].pk, "amount": "900", "scheduled_on": "2026-04-01"},
    )
    paid = api_client.post(
        reverse("api:disbursement-pay", args=[created.json()["id"]]), {"paid_on": "2026-04-02"}
    )

    assert created.status_code == 201
    assert paid.status_code == 200
    assert (paid.json()["status"], paid.json()["paid_on"]) == ("paid", "2026-04-02")


@pytest.mark.parametrize(
    ("persona", "code"), [("coordinator_b", 404), ("inca_staff", 403), ("anonymous", 403)]
)
def test_disbursement_paid_by_others_is_refused_and_unchanged(api_client, money, persona, code, request):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        api_client.force_authenticate(user)

    response = api_client.post(reverse("api:disbursement-pay", args=[money["payment_a"].pk]))

    assert response.status_code == code
    payment = Disbursement.objects.get(pk=money["payment_a"].pk)
    assert (payment.status, payment.paid_on, payment.history.count()) == (
        DisbursementStatus.SCHEDULED,
        None,
        1,
    )


def test_disbursement_on_a_public_commitment_by_a_researcher_is_forbidden(api_client, researcher, money):
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:disbursement-list"),
        {"commitment": money["public"].pk, "amount": "1", "scheduled_on": "2026-04-01"},
    )

    assert response.status_code == 403
    assert Disbursement.objects.filter(commitment=money["public"]).count() == 0


def test_funders_are_public_and_registered_by_pole_staff(
    api_client, coordinator_a, researcher, region_funder
):
    assert [f["name"] for f in api_client.get(reverse("api:funder-list")).json()["results"]] == [
        "Région Occitanie"
    ]

    api_client.force_authenticate(researcher)
    assert (
        api_client.post(reverse("api:funder-list"), {"name": "Fondation X", "kind": "foundation"}).status_code
        == 403
    )
    api_client.force_authenticate(coordinator_a)
    assert (
        api_client.post(reverse("api:funder-list"), {"name": "Fondation X", "kind": "foundation"}).status_code
        == 201
    )


# Query counts


@pytest.mark.parametrize("rows", [1, 4])
def test_allocation_list_query_count_is_constant(
    api_client, inca_staff, pole_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        allocation = AllocationFactory(canceropole=pole_a)
        CommitmentFactory(allocation=allocation)
    api_client.force_authenticate(inca_staff)

    # the page of allocations with funder, organisation and pole joined and the
    # committed and paid sums as subqueries
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:allocation-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_commitment_list_query_count_is_constant(
    api_client, coordinator_a, pole_a, rows, django_assert_num_queries
):
    allocation = AllocationFactory(canceropole=pole_a)
    CommitmentFactory.create_batch(rows, allocation=allocation)
    api_client.force_authenticate(coordinator_a)

    # the coordinator's memberships; the page with allocation, funder, pole, call, project joined
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:commitment-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_disbursement_list_query_count_is_constant(
    api_client, inca_staff, pole_a, rows, django_assert_num_queries
):
    commitment = CommitmentFactory(allocation=AllocationFactory(canceropole=pole_a), amount=Decimal("10000"))
    for _ in range(rows):
        services.disbursement_schedule(
            commitment=commitment, amount="10", scheduled_on="2026-01-01", by=inca_staff
        )
    api_client.force_authenticate(inca_staff)

    # the page of disbursements with commitment, allocation, funder and pole joined
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:disbursement-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_funder_list_query_count_is_constant(api_client, rows, django_assert_num_queries):
    FunderFactory.create_batch(rows)

    # the page of funders with their organisations
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:funder-list"))

    assert len(response.json()["results"]) == rows


# The 360Giving package in the API


def test_grants_package_is_public_and_in_the_openapi_schema(api_client, pole_a):
    ProjectFactory(canceropole=pole_a, published_at=timezone.now())

    response = api_client.get(reverse("api:grants-360giving"))
    csv_response = api_client.get(reverse("api:grants-360giving-csv"))
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()

    assert response.status_code == 200
    assert len(response.json()["grants"]) == 1
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "/api/v1/grants/360giving.json" in schema["paths"]
    assert "/api/v1/grants/360giving.csv" in schema["paths"]
    assert "/api/v1/allocations/" in schema["paths"]
