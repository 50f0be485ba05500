"""Budget pages and forms per persona (DESIGN §5: a pole's money is its staff's; INCa reads all and
records INCa's allocations), denied writes changing nothing, downloads, constant queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding import services
from funding.models import Allocation, Commitment, CommitmentKind, Disbursement, DisbursementStatus
from tests.funding.factories import AllocationFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def budget_url(pole, year=2026):
    return reverse("funding:budget", args=[pole.code, year])


@pytest.fixture
def commitment_a(allocation_a):
    return CommitmentFactory(allocation=allocation_a, amount=Decimal("3000"), label="Journées annuelles")


# Reading the budget


def test_budget_asks_a_visitor_to_log_in(client, pole_a):
    response = client.get(budget_url(pole_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["researcher", "coordinator_b", "director_b"])
def test_budget_of_another_pole_is_absent(client, pole_a, allocation_a, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(budget_url(pole_a)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "director_a"])
def test_budget_shows_the_pole_staff_its_money_and_forms(client, pole_a, commitment_a, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(budget_url(pole_a))

    assert response.status_code == 200
    budget = response.context["budget"]
    assert (budget.allocated, budget.committed, budget.available) == (
        Decimal("100000.00"),
        Decimal("3000.00"),
        Decimal("97000.00"),
    )
    assert response.context["may_manage"] is True
    assert b'id="commitment-form"' in response.content


def test_budget_is_read_only_for_inca_but_for_inca_allocations(client, inca_staff, pole_a, commitment_a):
    client.force_login(inca_staff)

    response = client.get(budget_url(pole_a))

    assert response.status_code == 200
    assert response.context["may_manage"] is False
    assert b'id="commitment-form"' not in response.content
    assert b'id="allocation-form"' in response.content
    assert b"Marquer" not in response.content


def test_budget_current_year_redirects(client, coordinator_a, pole_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("funding:pole", args=[pole_a.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("funding:budget", args=[pole_a.code, 2026])[:-5])


@pytest.mark.parametrize("rows", [1, 3])
def test_budget_page_query_count_is_constant(
    client, coordinator_a, pole_a, region_funder, rows, django_assert_num_queries
):
    for i in range(rows):
        allocation = AllocationFactory(funder=region_funder, canceropole=pole_a, purpose=f"Allocation {i}")
        commitment = CommitmentFactory(allocation=allocation)
        services.disbursement_schedule(
            commitment=commitment, amount="10", scheduled_on="2026-03-01", by=coordinator_a
        )
    client.force_login(coordinator_a)

    # session; user; memberships; the pole; the budget's allocations, commitments and disbursements;
    # the budget's years; the funders, calls, projects and events of the forms' lists
    with django_assert_num_queries(12):
        response = client.get(budget_url(pole_a))

    assert response.status_code == 200
    assert len(response.context["budget"].allocations) == rows


def test_budget_downloads_its_commitments(client, coordinator_a, pole_a, commitment_a):
    client.force_login(coordinator_a)

    csv_response = client.get(budget_url(pole_a), {"format": "csv"})
    xlsx_response = client.get(budget_url(pole_a), {"format": "xlsx"})

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Région Occitanie"
    assert rows[1][4] == "Journées annuelles"
    assert rows[1][7] == "3000"
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet.cell(row=2, column=8).value == 3000


def test_budget_download_of_another_pole_is_absent(client, coordinator_b, pole_a, commitment_a):
    client.force_login(coordinator_b)

    assert client.get(budget_url(pole_a), {"format": "csv"}).status_code == 404


# Recording


def _allocation_post(funder, **overrides):
    data = {
        "allocation-funder": funder.pk,
        "allocation-amount": "20 000",
        "allocation-purpose": "Co-financement",
        "allocation-earmark": "",
        "allocation-reference": "",
    }
    data.update(overrides)
    return data


def test_coordinator_records_a_regional_allocation(client, coordinator_a, pole_a, region_funder):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("funding:allocation_add", args=[pole_a.code, 2026]), _allocation_post(region_funder)
    )

    assert response.status_code == 302
    assert Allocation.objects.get().amount == Decimal("20000.00")


@pytest.mark.parametrize(
    ("persona", "funder", "code"), [("coordinator_a", "inca", 403), ("inca_staff", "region_funder", 403)]
)
def test_allocation_outside_ones_remit_is_forbidden_and_changes_nothing(
    client, pole_a, persona, funder, code, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("funding:allocation_add", args=[pole_a.code, 2026]),
        _allocation_post(request.getfixturevalue(funder)),
    )

    assert response.status_code == code
    assert Allocation.objects.count() == 0


def test_inca_records_the_inca_allocation(client, inca_staff, pole_a, inca):
    client.force_login(inca_staff)

    response = client.post(
        reverse("funding:allocation_add", args=[pole_a.code, 2026]), _allocation_post(inca)
    )

    assert response.status_code == 302
    assert Allocation.objects.get().funder == inca


def test_allocation_with_a_bad_amount_comes_back_with_the_message(
    client, coordinator_a, pole_a, region_funder
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("funding:allocation_add", args=[pole_a.code, 2026]),
        _allocation_post(region_funder, **{"allocation-amount": "-3"}),
    )

    assert response.status_code == 400
    assert list(response.context["allocation_form"].errors) == ["amount"]
    assert Allocation.objects.count() == 0


def test_commitment_beyond_the_allocation_comes_back_400_and_changes_nothing(
    client, coordinator_a, pole_a, allocation_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("funding:commitment_add", args=[pole_a.code, 2026]),
        {
            "commitment-allocation": allocation_a.pk,
            "commitment-kind": "other",
            "commitment-amount": "100000,01",
            "commitment-label": "Trop",
        },
    )

    assert response.status_code == 400
    assert list(response.context["commitment_form"].errors) == ["amount"]
    assert Commitment.objects.count() == 0


def test_commitment_by_the_coordinator_is_recorded(client, coordinator_a, pole_a, allocation_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("funding:commitment_add", args=[pole_a.code, 2026]),
        {
            "commitment-allocation": allocation_a.pk,
            "commitment-kind": "event",
            "commitment-amount": "2500",
            "commitment-label": "Séminaire",
        },
    )

    assert response.status_code == 302
    assert Commitment.objects.get().amount == Decimal("2500.00")


@pytest.mark.parametrize(
    ("persona", "code"), [("inca_staff", 403), ("coordinator_b", 404), ("researcher", 404)]
)
def test_commitment_by_others_is_refused_and_changes_nothing(
    client, pole_a, allocation_a, persona, code, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("funding:commitment_add", args=[pole_a.code, 2026]),
        {
            "commitment-allocation": allocation_a.pk,
            "commitment-kind": "other",
            "commitment-amount": "1",
            "commitment-label": "x",
        },
    )

    assert response.status_code == code
    assert Commitment.objects.count() == 0


def test_payment_scheduled_then_paid_by_the_pole(client, coordinator_a, commitment_a):
    client.force_login(coordinator_a)

    client.post(
        reverse("funding:disbursement_add", args=[commitment_a.pk]),
        {
            f"payment-{commitment_a.pk}-amount": "1000",
            f"payment-{commitment_a.pk}-scheduled_on": "2026-05-01",
        },
    )
    payment = Disbursement.objects.get()
    response = client.post(reverse("funding:disbursement_pay", args=[payment.pk]))

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.PAID


def test_payment_beyond_the_commitment_comes_back_400(client, coordinator_a, commitment_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("funding:disbursement_add", args=[commitment_a.pk]),
        {
            f"payment-{commitment_a.pk}-amount": "3000,01",
            f"payment-{commitment_a.pk}-scheduled_on": "2026-05-01",
        },
    )

    assert response.status_code == 400
    assert Disbursement.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "code"), [("inca_staff", 403), ("coordinator_b", 404), ("researcher", 404)]
)
def test_payment_steps_by_others_are_refused_and_change_nothing(
    client, coordinator_a, commitment_a, persona, code, request
):
    payment = services.disbursement_schedule(
        commitment=commitment_a, amount="10", scheduled_on="2026-03-01", by=coordinator_a
    )
    client.force_login(request.getfixturevalue(persona))

    pay = client.post(reverse("funding:disbursement_pay", args=[payment.pk]))
    cancel = client.post(reverse("funding:disbursement_cancel", args=[payment.pk]))
    schedule = client.post(
        reverse("funding:disbursement_add", args=[commitment_a.pk]),
        {f"payment-{commitment_a.pk}-amount": "1", f"payment-{commitment_a.pk}-scheduled_on": "2026-05-01"},
    )
    release = client.post(reverse("funding:commitment_cancel", args=[commitment_a.pk]))

    assert (pay.status_code, cancel.status_code, schedule.status_code, release.status_code) == (code,) * 4
    payment.refresh_from_db()
    assert (payment.status, payment.history.count()) == (DisbursementStatus.SCHEDULED, 1)
    assert Disbursement.objects.count() == 1
    assert Commitment.objects.filter(pk=commitment_a.pk).exists()


def test_commitment_released_by_the_pole(client, coordinator_a, commitment_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("funding:commitment_cancel", args=[commitment_a.pk]))

    assert response.status_code == 302
    assert Commitment.objects.count() == 0


def test_funder_registered_from_the_budget(client, coordinator_a, pole_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("funding:funder_add", args=[pole_a.code, 2026]),
        {"funder-name": "Fondation ARC", "funder-kind": "foundation", "funder-siret": ""},
    )

    assert response.status_code == 302


def test_funder_registration_by_a_researcher_is_absent(client, researcher, pole_a):
    client.force_login(researcher)

    response = client.post(
        reverse("funding:funder_add", args=[pole_a.code, 2026]),
        {"funder-name": "Fondation ARC", "funder-kind": "foundation"},
    )

    assert response.status_code == 404


# The public grants page


@pytest.mark.parametrize("rows", [1, 3])
def test_grants_page_query_count_is_constant(client, pole_a, coordinator_a, rows, django_assert_num_queries):
    from django.core.cache import cache
    from django.utils import timezone

    from tests.funding.factories import ProjectFactory

    cache.clear()
    for _ in range(rows):
        project = ProjectFactory(canceropole=pole_a, published_at=timezone.now())
        services.commitment_create(
            allocation=AllocationFactory(canceropole=pole_a),
            kind=CommitmentKind.PROJECT,
            project=project,
            amount="100",
            by=coordinator_a,
        )

    # the cache stamp (three aggregates); the package: published projects, awarded mobility grants (none
    # here, so their commitments are not read), the projects' commitments
    with django_assert_num_queries(6):
        response = client.get(reverse("funding:grants"))

    assert response.context["count"] == rows


def test_allocation_form_offers_each_reader_the_funders_they_record(
    client, inca_staff, coordinator_a, pole_a, inca, region_funder
):
    client.force_login(inca_staff)
    inca_choices = dict(client.get(budget_url(pole_a)).context["allocation_form"].fields["funder"].choices)
    client.force_login(coordinator_a)
    pole_choices = dict(client.get(budget_url(pole_a)).context["allocation_form"].fields["funder"].choices)

    assert set(inca_choices) == {"", inca.pk}
    assert set(pole_choices) == {"", region_funder.pk}
