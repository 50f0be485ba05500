"""The money services: allocations, commitments, the awards drawn on a call's envelopes, disbursements,
and the budget they add up to. Every refusal leaves the rows as they were."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.errors import TransitionError
from funding import selectors, services
from funding.models import (
    Allocation,
    Commitment,
    CommitmentKind,
    Disbursement,
    DisbursementStatus,
    Earmark,
    Funder,
    FunderKind,
)
from tests.calls.factories import CallFactory
from tests.funding.factories import (
    AllocationFactory,
    CommitmentFactory,
    MobilityGrantFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError, field: str) -> list[str]:
    return error.message_dict[field]


# Funders and allocations


def test_funder_create_registers_a_new_organisation_as_funder(coordinator_a):
    funder = services.funder_create(kind=FunderKind.FOUNDATION, name="  Fondation ARC ", by=coordinator_a)

    assert funder.kind == FunderKind.FOUNDATION
    assert funder.organisation.name == "Fondation ARC"
    assert funder.organisation.kind == "association"


def test_funder_create_twice_for_one_organisation_is_refused(coordinator_a, region_funder):
    with pytest.raises(ValidationError) as error:
        services.funder_create(kind=FunderKind.REGION, name="région occitanie", by=coordinator_a)

    assert _messages(error.value, "name") == ["Région Occitanie is already a funder."]
    assert Funder.objects.count() == 1


def test_funder_create_with_a_malformed_siret_names_the_field_and_creates_nothing(coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.funder_create(kind=FunderKind.INDUSTRY, name="Pharma SA", siret="123", by=coordinator_a)

    assert "siret" in error.value.message_dict
    assert Funder.objects.count() == 0


def test_allocation_create_reads_french_amounts(coordinator_a, pole_a, region_funder):
    allocation = services.allocation_create(
        funder=region_funder,
        canceropole=pole_a,
        year="2026",
        amount="120 000,50",
        purpose="Émergence régionale",
        earmark=Earmark.EMERGENCE,
        by=coordinator_a,
    )

    assert allocation.amount == Decimal("120000.50")
    assert allocation.year == 2026
    assert allocation.created_by == coordinator_a


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter an amount in euros."),
        ("abc", "Enter an amount in euros."),
        ("NaN", "Enter an amount in euros."),
        ("-5", "Enter an amount greater than 0."),
        ("0", "Enter an amount greater than 0."),
        ("10.001", "Enter an amount to the cent at most."),
        ("1e12", "Enter an amount below 10 billion euros."),
    ],
)
def test_allocation_create_with_a_bad_amount_names_it(coordinator_a, pole_a, region_funder, amount, message):
    with pytest.raises(ValidationError) as error:
        services.allocation_create(
            funder=region_funder, canceropole=pole_a, year=2026, amount=amount, purpose="x", by=coordinator_a
        )

    assert _messages(error.value, "amount") == [message]
    assert Allocation.objects.count() == 0


def test_allocation_update_below_what_is_committed_is_refused(coordinator_a, allocation_a):
    CommitmentFactory(allocation=allocation_a, amount=Decimal("60000"))

    with pytest.raises(TransitionError) as error:
        services.allocation_update(allocation=allocation_a, amount="50000", purpose="x", by=coordinator_a)

    assert _messages(error.value, "amount") == [
        "60,000.00 € are already committed from this allocation: it cannot be less."
    ]
    allocation_a.refresh_from_db()
    assert allocation_a.amount == Decimal("100000.00")


def test_allocation_delete_with_commitments_is_refused(coordinator_a, allocation_a):
    CommitmentFactory(allocation=allocation_a)

    with pytest.raises(TransitionError):
        services.allocation_delete(allocation=allocation_a, by=coordinator_a)

    assert Allocation.objects.filter(pk=allocation_a.pk).exists()


# Commitments


def test_commitment_create_within_the_allocation(coordinator_a, allocation_a):
    commitment = services.commitment_create(
        allocation=allocation_a,
        kind=CommitmentKind.EVENT,
        amount="3000",
        label="Journées annuelles",
        by=coordinator_a,
    )

    assert commitment.amount == Decimal("3000.00")
    assert commitment.committed_on is not None
    assert services.committed_on_allocation(allocation_a.pk) == Decimal("3000.00")


def test_commitment_create_beyond_the_allocation_is_refused_and_changes_nothing(coordinator_a, allocation_a):
    CommitmentFactory(allocation=allocation_a, amount=Decimal("99000"))

    with pytest.raises(TransitionError) as error:
        services.commitment_create(
            allocation=allocation_a, kind=CommitmentKind.OTHER, amount="1000.01", label="x", by=coordinator_a
        )

    assert list(error.value.message_dict) == ["amount"]
    assert "remain on this allocation" in _messages(error.value, "amount")[0]
    assert Commitment.objects.count() == 1


def test_commitment_create_for_a_project_of_another_pole_is_refused(coordinator_a, allocation_a, pole_b):
    project = ProjectFactory(canceropole=pole_b)

    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            allocation=allocation_a,
            kind=CommitmentKind.PROJECT,
            project=project,
            amount="1000",
            by=coordinator_a,
        )

    assert _messages(error.value, "project") == ["The project belongs to another pole than the allocation."]
    assert Commitment.objects.count() == 0


def test_commitment_create_outside_the_allocations_earmark_is_refused(coordinator_a, pole_a, region_funder):
    allocation = AllocationFactory(funder=region_funder, canceropole=pole_a, earmark=Earmark.MOBILITY)

    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            allocation=allocation,
            kind=CommitmentKind.EVENT,
            label="Séminaire",
            amount="1000",
            by=coordinator_a,
        )

    assert _messages(error.value, "allocation") == ["This allocation is earmarked for “Mobility grants”."]
    assert Commitment.objects.count() == 0


def test_commitment_create_of_a_mobility_grant_needs_the_grant(coordinator_a, allocation_a):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            allocation=allocation_a, kind=CommitmentKind.MOBILITY, amount="1000", by=coordinator_a
        )

    assert _messages(error.value, "mobility_grant") == ["Choose the mobility grant."]


def test_envelopes_of_a_call_stay_within_the_calls_envelope(coordinator_a, pole_a, region_funder, inca):
    call = CallFactory(canceropole=pole_a, envelope=Decimal("100000"))
    inca_allocation = AllocationFactory(funder=inca, canceropole=pole_a, amount=Decimal("500000"))
    region_allocation = AllocationFactory(funder=region_funder, canceropole=pole_a, amount=Decimal("500000"))
    services.commitment_create(
        allocation=inca_allocation, kind=CommitmentKind.ENVELOPE, call=call, amount="60000", by=coordinator_a
    )

    with pytest.raises(TransitionError) as error:
        services.commitment_create(
            allocation=region_allocation,
            kind=CommitmentKind.ENVELOPE,
            call=call,
            amount="40000.01",
            by=coordinator_a,
        )

    assert "of the call's envelope of" in _messages(error.value, "amount")[0]
    assert Commitment.objects.filter(call=call).count() == 1


def test_commitment_update_below_what_is_paid_is_refused(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a, amount=Decimal("5000"))
    services.disbursement_schedule(
        commitment=commitment, amount="3000", scheduled_on="2026-03-01", by=coordinator_a
    )

    with pytest.raises(TransitionError):
        services.commitment_update(commitment=commitment, amount="2999.99", by=coordinator_a)

    commitment.refresh_from_db()
    assert commitment.amount == Decimal("5000.00")


def test_commitment_update_within_the_allocation(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a, amount=Decimal("5000"))
    CommitmentFactory(allocation=allocation_a, amount=Decimal("90000"))

    updated = services.commitment_update(
        commitment=commitment, amount="10000", label="Autre", by=coordinator_a
    )

    assert updated.amount == Decimal("10000.00")
    assert updated.label == "Autre"
    with pytest.raises(TransitionError):
        services.commitment_update(commitment=commitment, amount="10000.01", by=coordinator_a)


def test_commitment_cancel_with_a_payment_made_is_refused(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a)
    payment = services.disbursement_schedule(
        commitment=commitment, amount="500", scheduled_on=date(2026, 3, 1), by=coordinator_a
    )
    services.disbursement_pay(disbursement=payment, paid_on="2026-03-02", by=coordinator_a)

    with pytest.raises(TransitionError):
        services.commitment_cancel(commitment=commitment, by=coordinator_a)

    assert Commitment.objects.filter(pk=commitment.pk).exists()
    assert Disbursement.objects.count() == 1


def test_commitment_cancel_releases_it_with_its_scheduled_payments(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a)
    services.disbursement_schedule(
        commitment=commitment, amount="500", scheduled_on="2026-03-01", by=coordinator_a
    )

    services.commitment_cancel(commitment=commitment, by=coordinator_a)

    assert Commitment.objects.count() == 0
    assert Disbursement.objects.count() == 0


# Awards on a call's envelopes


@pytest.fixture
def cofunded_call(coordinator_a, pole_a, region_funder, inca):
    """A GSO call of 100 k€: 60 k€ from INCa's allocation and 40 k€ from the region's."""
    call = CallFactory(canceropole=pole_a, envelope=Decimal("100000"))
    for funder, amount in ((inca, "60000"), (region_funder, "40000")):
        allocation = AllocationFactory(funder=funder, canceropole=pole_a, amount=Decimal("200000"))
        services.commitment_create(
            allocation=allocation, kind=CommitmentKind.ENVELOPE, call=call, amount=amount, by=coordinator_a
        )
    return call


def test_award_is_shared_between_the_envelopes_in_proportion(coordinator_a, cofunded_call):
    project = ProjectFactory(call=cofunded_call)

    awards = services.award_commitments_set(
        project=project, call=cofunded_call, amount="25000", by=coordinator_a
    )

    assert sorted((a.allocation.funder.kind, a.amount) for a in awards) == [
        (FunderKind.INCA, Decimal("15000.00")),
        (FunderKind.REGION, Decimal("10000.00")),
    ]
    assert {a.kind for a in awards} == {CommitmentKind.AWARD}


def test_award_split_keeps_every_cent(coordinator_a, cofunded_call):
    project = ProjectFactory(call=cofunded_call)

    awards = services.award_commitments_set(
        project=project, call=cofunded_call, amount="333.33", by=coordinator_a
    )

    assert sum(a.amount for a in awards) == Decimal("333.33")


def test_award_changed_updates_its_shares(coordinator_a, cofunded_call):
    project = ProjectFactory(call=cofunded_call)
    services.award_commitments_set(project=project, call=cofunded_call, amount="25000", by=coordinator_a)

    services.award_commitments_set(project=project, call=cofunded_call, amount="10000", by=coordinator_a)

    assert sorted(Commitment.objects.filter(project=project).values_list("amount", flat=True)) == [
        Decimal("4000.00"),
        Decimal("6000.00"),
    ]


def test_award_fills_the_other_envelope_when_one_is_full(coordinator_a, cofunded_call):
    first = ProjectFactory(call=cofunded_call)
    services.award_commitments_set(project=first, call=cofunded_call, amount="90000", by=coordinator_a)
    second = ProjectFactory(call=cofunded_call)

    awards = services.award_commitments_set(
        project=second, call=cofunded_call, amount="10000", by=coordinator_a
    )

    assert sum(a.amount for a in awards) == Decimal("10000.00")
    envelopes = Commitment.objects.filter(call=cofunded_call)
    for envelope in envelopes:
        assert services.awarded_on_envelope(envelope.pk) == envelope.amount


def test_award_beyond_the_envelopes_is_refused_on_the_amount_awarded(coordinator_a, cofunded_call):
    first = ProjectFactory(call=cofunded_call)
    services.award_commitments_set(project=first, call=cofunded_call, amount="95000", by=coordinator_a)
    second = ProjectFactory(call=cofunded_call)

    with pytest.raises(TransitionError) as error:
        services.award_commitments_set(project=second, call=cofunded_call, amount="5000.01", by=coordinator_a)

    assert list(error.value.message_dict) == ["amount_awarded"]
    assert Commitment.objects.filter(project=second).count() == 0


def test_award_on_a_call_without_envelopes_draws_nothing(coordinator_a, pole_a):
    call = CallFactory(canceropole=pole_a)
    project = ProjectFactory(call=call)

    assert services.award_commitments_set(project=project, call=call, amount="20000", by=coordinator_a) == []
    assert Commitment.objects.count() == 0


def test_award_removed_goes_back_to_its_envelopes(coordinator_a, cofunded_call):
    project = ProjectFactory(call=cofunded_call)
    services.award_commitments_set(project=project, call=cofunded_call, amount="25000", by=coordinator_a)

    assert services.award_commitments_remove(project=project) == 2

    assert Commitment.objects.filter(kind=CommitmentKind.AWARD).count() == 0


def test_award_with_a_payment_cannot_be_removed(coordinator_a, cofunded_call):
    project = ProjectFactory(call=cofunded_call)
    awards = services.award_commitments_set(
        project=project, call=cofunded_call, amount="25000", by=coordinator_a
    )
    services.disbursement_schedule(
        commitment=awards[0], amount="100", scheduled_on="2026-05-01", by=coordinator_a
    )

    with pytest.raises(TransitionError):
        services.award_commitments_remove(project=project)

    assert Commitment.objects.filter(project=project).count() == 2


def test_award_cannot_be_changed_outside_its_decision(coordinator_a, cofunded_call):
    project = ProjectFactory(call=cofunded_call)
    award = services.award_commitments_set(
        project=project, call=cofunded_call, amount="25000", by=coordinator_a
    )[0]

    with pytest.raises(TransitionError):
        services.commitment_update(commitment=award, amount="1", by=coordinator_a)
    with pytest.raises(TransitionError):
        services.commitment_cancel(commitment=award, by=coordinator_a)

    award.refresh_from_db()
    assert award.amount == Decimal("15000.00")


def test_envelope_cannot_be_paid_directly(coordinator_a, cofunded_call):
    envelope = Commitment.objects.filter(call=cofunded_call).first()

    with pytest.raises(TransitionError):
        services.disbursement_schedule(
            commitment=envelope, amount="1", scheduled_on="2026-01-01", by=coordinator_a
        )

    assert Disbursement.objects.count() == 0


# Disbursements


def test_disbursements_within_the_commitment(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a, amount=Decimal("1000"))
    first = services.disbursement_schedule(
        commitment=commitment, amount="600", scheduled_on="2026-02-01", by=coordinator_a
    )

    with pytest.raises(TransitionError) as error:
        services.disbursement_schedule(
            commitment=commitment, amount="400.01", scheduled_on="2026-03-01", by=coordinator_a
        )

    assert "to pay on this commitment" in _messages(error.value, "amount")[0]
    services.disbursement_cancel(disbursement=first, by=coordinator_a)
    second = services.disbursement_schedule(
        commitment=commitment, amount="1000", scheduled_on="2026-03-01", by=coordinator_a
    )
    assert second.amount == Decimal("1000.00")


def test_disbursement_paid_once_only(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a)
    payment = services.disbursement_schedule(
        commitment=commitment, amount="10", scheduled_on="2026-02-01", by=coordinator_a
    )

    paid = services.disbursement_pay(
        disbursement=payment, paid_on="2026-02-03", reference="VIR-1", by=coordinator_a
    )

    assert (paid.status, paid.paid_on, paid.reference) == (DisbursementStatus.PAID, date(2026, 2, 3), "VIR-1")
    with pytest.raises(TransitionError):
        services.disbursement_pay(disbursement=payment, by=coordinator_a)
    with pytest.raises(TransitionError):
        services.disbursement_cancel(disbursement=payment, by=coordinator_a)


def test_disbursement_with_a_bad_date_names_the_field(coordinator_a, allocation_a):
    commitment = CommitmentFactory(allocation=allocation_a)

    with pytest.raises(ValidationError) as error:
        services.disbursement_schedule(
            commitment=commitment, amount="10", scheduled_on="31/02/2026", by=coordinator_a
        )

    assert _messages(error.value, "scheduled_on") == ["Enter a date as YYYY-MM-DD."]
    assert Disbursement.objects.count() == 0


def test_commitment_pay_balance_pays_what_remains(coordinator_a, pole_a, region_funder):
    allocation = AllocationFactory(funder=region_funder, canceropole=pole_a, earmark=Earmark.MOBILITY)
    grant = MobilityGrantFactory()
    commitment = services.commitment_create(
        allocation=allocation,
        kind=CommitmentKind.MOBILITY,
        mobility_grant=grant,
        amount="2000",
        by=coordinator_a,
    )
    services.disbursement_schedule(
        commitment=commitment, amount="500", scheduled_on="2026-02-01", by=coordinator_a
    )

    services.commitment_pay_balance(commitment=commitment, paid_on="2026-06-01", by=coordinator_a)

    assert sorted(Disbursement.objects.filter(commitment=commitment).values_list("status", "amount")) == [
        (DisbursementStatus.PAID, Decimal("500.00")),
        (DisbursementStatus.PAID, Decimal("1500.00")),
    ]


# The budget


def test_pole_budget_adds_up_by_funder(coordinator_a, pole_a, cofunded_call, django_assert_num_queries):
    project = ProjectFactory(call=cofunded_call)
    awards = services.award_commitments_set(
        project=project, call=cofunded_call, amount="25000", by=coordinator_a
    )
    inca_award = next(a for a in awards if a.allocation.funder.kind == FunderKind.INCA)
    payment = services.disbursement_schedule(
        commitment=inca_award, amount="15000", scheduled_on="2026-02-01", by=coordinator_a
    )
    services.disbursement_pay(disbursement=payment, by=coordinator_a)
    region_allocation = Allocation.objects.get(funder__kind=FunderKind.REGION)
    services.commitment_create(
        allocation=region_allocation,
        kind=CommitmentKind.EVENT,
        label="Journées",
        amount="5000",
        by=coordinator_a,
    )

    # the allocations with their funders; their commitments; their disbursements
    with django_assert_num_queries(3):
        budget = selectors.pole_budget(canceropole=pole_a, year=2026)

    assert (budget.allocated, budget.committed, budget.paid, budget.available) == (
        Decimal("400000.00"),
        Decimal("105000.00"),
        Decimal("15000.00"),
        Decimal("295000.00"),
    )
    by_kind = {line.funder.kind: line for line in budget.funders}
    assert (by_kind[FunderKind.INCA].committed, by_kind[FunderKind.INCA].paid) == (
        Decimal("60000.00"),
        Decimal("15000.00"),
    )
    assert (by_kind[FunderKind.REGION].committed, by_kind[FunderKind.REGION].paid) == (
        Decimal("45000.00"),
        Decimal("0"),
    )
    envelope_line = by_kind[FunderKind.INCA].allocations[0].commitments[0]
    assert (envelope_line.awarded, envelope_line.total_paid) == (Decimal("15000.00"), Decimal("15000.00"))


# Events


def test_commitment_for_an_event_of_the_pole(coordinator_a, allocation_a):
    from tests.events.factories import EventFactory

    event = EventFactory(canceropole=allocation_a.canceropole)

    commitment = services.commitment_create(
        allocation=allocation_a, kind=CommitmentKind.EVENT, event=event, amount="1500", by=coordinator_a
    )

    assert (commitment.event, commitment.label) == (event, "")


def test_commitment_for_an_event_of_another_pole_is_refused(coordinator_a, allocation_a, pole_b):
    from tests.events.factories import EventFactory

    event = EventFactory(canceropole=pole_b)

    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            allocation=allocation_a, kind=CommitmentKind.EVENT, event=event, amount="1500", by=coordinator_a
        )

    assert _messages(error.value, "event") == ["The event belongs to another pole than the allocation."]
    assert Commitment.objects.count() == 0


def test_commitment_for_an_event_names_it_or_a_label(coordinator_a, allocation_a):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            allocation=allocation_a, kind=CommitmentKind.EVENT, amount="1500", by=coordinator_a
        )

    assert _messages(error.value, "event") == ["Choose the event, or say what this commitment pays for."]
