"""Races on PostgreSQL, 20 threads each with its own connection, released together: commitments against
one allocation, awards against a call's envelopes, disbursements against one commitment. Whatever the
interleaving, the sums stay within their limit and every refusal is the service's own."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from common.errors import TransitionError
from funding import services
from funding.models import Commitment, CommitmentKind, Disbursement, DisbursementStatus
from tests.calls.factories import CallFactory
from tests.conftest import require
from tests.factories import UserFactory
from tests.funding.factories import (
    AllocationFactory,
    CommitmentFactory,
    FunderFactory,
    ProjectFactory,
    inca_funder,
)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def run_in_threads(work, count: int = THREADS) -> list:
    """Run ``work(i)`` in ``count`` threads released together; returns each result or exception."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # collected and asserted by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _outcomes(results) -> tuple[list, list]:
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, TransitionError)]
    assert unexpected == []
    return [r for r in results if not isinstance(r, Exception)], [
        r for r in results if isinstance(r, TransitionError)
    ]


def test_twenty_concurrent_commitments_never_exceed_the_allocation(pole_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    by = UserFactory()
    # Room for 7 commitments of 7,000 € (49,000 €) and not an 8th: 13 of the 20 must be refused.
    allocation = AllocationFactory(funder=FunderFactory(), canceropole=pole_a, amount=Decimal("50000"))

    def commit(i):
        return services.commitment_create(
            allocation=allocation, kind=CommitmentKind.OTHER, label=f"Dépense {i}", amount="7000", by=by
        )

    accepted, refused = _outcomes(run_in_threads(commit))

    assert (len(accepted), len(refused)) == (7, 13)
    assert services.committed_on_allocation(allocation.pk) == Decimal("49000.00")
    assert Commitment.objects.filter(allocation=allocation).count() == 7


def test_twenty_concurrent_commitments_of_mixed_sizes_fill_the_allocation_exactly_at_most(pole_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    by = UserFactory()
    allocation = AllocationFactory(funder=FunderFactory(), canceropole=pole_a, amount=Decimal("10000"))
    amounts = [Decimal(1000 + 137 * i) for i in range(THREADS)]

    def commit(i):
        return services.commitment_create(
            allocation=allocation, kind=CommitmentKind.OTHER, label=f"Dépense {i}", amount=amounts[i], by=by
        )

    results = run_in_threads(commit)
    accepted, refused = _outcomes(results)

    total = sum(c.amount for c in accepted)
    room = Decimal("10000") - total
    assert room >= 0
    assert services.committed_on_allocation(allocation.pk) == total
    # Room only shrinks: every refused amount was larger than the room left at the end.
    refused_amounts = [amounts[i] for i, result in enumerate(results) if isinstance(result, TransitionError)]
    assert len(refused_amounts) == len(refused) > 0
    assert all(amount > room for amount in refused_amounts)


def test_twenty_concurrent_awards_never_exceed_the_calls_envelopes(pole_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    by = UserFactory()
    call = CallFactory(canceropole=pole_a, envelope=Decimal("100000"))
    for funder, amount in ((inca_funder(), "60000"), (FunderFactory(), "40000")):
        allocation = AllocationFactory(funder=funder, canceropole=pole_a, amount=Decimal("200000"))
        services.commitment_create(
            allocation=allocation, kind=CommitmentKind.ENVELOPE, call=call, amount=amount, by=by
        )
    projects = [ProjectFactory(call=call) for _ in range(THREADS)]

    def award(i):
        # The decision's own lock: the call's row first (calls.services.application_decide).
        from django.db import transaction

        from calls.models import Call

        with transaction.atomic():
            locked = Call.objects.select_for_update().get(pk=call.pk)
            return services.award_commitments_set(project=projects[i], call=locked, amount="15000", by=by)

    accepted, refused = _outcomes(run_in_threads(award))

    assert (len(accepted), len(refused)) == (6, 14)
    for envelope in Commitment.objects.filter(call=call, kind=CommitmentKind.ENVELOPE):
        assert services.awarded_on_envelope(envelope.pk) <= envelope.amount
    assert sum(
        Commitment.objects.filter(kind=CommitmentKind.AWARD).values_list("amount", flat=True)
    ) == Decimal("90000.00")


def test_twenty_concurrent_disbursements_never_exceed_the_commitment(pole_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    by = UserFactory()
    allocation = AllocationFactory(funder=FunderFactory(), canceropole=pole_a, amount=Decimal("50000"))
    commitment = CommitmentFactory(allocation=allocation, amount=Decimal("10000"))

    def pay(i):
        payment = services.disbursement_schedule(
            commitment=commitment, amount="1500", scheduled_on="2026-03-01", by=by
        )
        return services.disbursement_pay(disbursement=payment, paid_on="2026-03-02", by=by)

    accepted, refused = _outcomes(run_in_threads(pay))

    assert (len(accepted), len(refused)) == (6, 14)
    assert services.disbursed_on_commitment(commitment.pk) == Decimal("9000.00")
    assert Disbursement.objects.filter(commitment=commitment, status=DisbursementStatus.PAID).count() == 6


def test_concurrent_allocation_cut_and_commitments_never_leave_it_overcommitted(pole_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    by = UserFactory()
    allocation = AllocationFactory(funder=FunderFactory(), canceropole=pole_a, amount=Decimal("20000"))

    def work(i):
        if i == 0:
            return services.allocation_update(allocation=allocation, amount="5000", purpose="Réduite", by=by)
        return services.commitment_create(
            allocation=allocation, kind=CommitmentKind.OTHER, label=f"Dépense {i}", amount="1000", by=by
        )

    _outcomes(run_in_threads(work))

    allocation.refresh_from_db()
    assert services.committed_on_allocation(allocation.pk) <= allocation.amount
