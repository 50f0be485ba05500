"""A funded decision on a call creates the project and its award on the call's envelopes in one
transaction (calls.services.application_decide → funding.services.award_commitments_set)."""

from decimal import Decimal

import pytest

from calls import services as call_services
from calls.models import ApplicationStatus, Decision, Outcome
from common.errors import TransitionError
from funding import services
from funding.models import Commitment, CommitmentKind, FunderKind
from projects.models import Project
from tests.calls.factories import ApplicationFactory, CallFactory, complete
from tests.funding.factories import AllocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(coordinator_a, pole_a, region_funder, inca):
    """A call of 100 k€ whose envelope is recorded for 60 k€ (INCa) + 20 k€ (region) so far."""
    call = CallFactory(canceropole=pole_a, envelope=Decimal("100000"))
    for funder, amount in ((inca, "60000"), (region_funder, "20000")):
        allocation = AllocationFactory(funder=funder, canceropole=pole_a, amount=Decimal("300000"))
        services.commitment_create(
            allocation=allocation, kind=CommitmentKind.ENVELOPE, call=call, amount=amount, by=coordinator_a
        )
    return call


def _eligible(call):
    application = complete(ApplicationFactory(call=call))
    application.status = ApplicationStatus.ELIGIBLE
    application.save(update_fields=["status"])
    return application


def test_funded_decision_creates_the_project_and_its_cofunded_award(coordinator_a, call):
    application = _eligible(call)

    call_services.application_decide(
        application=application, by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="20000"
    )

    project = Project.objects.get(application=application)
    awards = Commitment.objects.filter(project=project, kind=CommitmentKind.AWARD)
    assert sorted((a.allocation.funder.kind, a.amount) for a in awards) == [
        (FunderKind.INCA, Decimal("15000.00")),
        (FunderKind.REGION, Decimal("5000.00")),
    ]


def test_funded_decision_beyond_the_recorded_envelopes_is_refused_whole(coordinator_a, call):
    first = _eligible(call)
    call_services.application_decide(
        application=first, by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="25000"
    )
    # 55 k€ remain in the funders' envelopes, 75 k€ in the call's: the funders' figure decides.
    others = [_eligible(call) for _ in range(2)]
    call_services.application_decide(
        application=others[0], by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="25000"
    )
    call_services.application_decide(
        application=others[1], by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="25000"
    )
    last = _eligible(call)

    with pytest.raises(TransitionError) as error:
        call_services.application_decide(
            application=last, by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="5000.01"
        )

    assert list(error.value.message_dict) == ["amount_awarded"]
    assert not Decision.objects.filter(application=last).exists()
    assert not Project.objects.filter(application=last).exists()
    assert Commitment.objects.filter(kind=CommitmentKind.AWARD).count() == 6


def test_decision_changed_to_rejected_returns_the_award_to_the_envelopes(coordinator_a, call):
    application = _eligible(call)
    call_services.application_decide(
        application=application, by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="20000"
    )

    call_services.application_decide(application=application, by=coordinator_a, outcome=Outcome.REJECTED)

    assert Commitment.objects.filter(kind=CommitmentKind.AWARD).count() == 0
    assert not Project.objects.filter(application=application).exists()


def test_decision_amount_changed_changes_the_award(coordinator_a, call):
    application = _eligible(call)
    call_services.application_decide(
        application=application, by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="20000"
    )

    call_services.application_decide(
        application=application, by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="8000"
    )

    amounts = sorted(Commitment.objects.filter(kind=CommitmentKind.AWARD).values_list("amount", flat=True))
    assert amounts == [Decimal("2000.00"), Decimal("6000.00")]
