"""Mobility grants, a rolling scheme: apply in an open session under the ceiling → approve (committed on
an allocation) or refuse → stay done → report received → paid (the commitment paid). Every step is
recorded; a step from the wrong status is refused and changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import TransitionError
from funding.models import Commitment, CommitmentKind, Disbursement, DisbursementStatus, Earmark
from funding.services import committed_on_allocation
from projects.mobility import services
from projects.models import MobilityGrant, MobilityStatus
from tests.factories import OrganisationFactory
from tests.funding.factories import (
    AllocationFactory,
    FunderFactory,
    MobilityGrantFactory,
    MobilitySessionFactory,
)
from tests.funding.fixtures import _english  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(pole_a):
    return MobilitySessionFactory(canceropole=pole_a)


@pytest.fixture
def region_funder(db):
    return FunderFactory()


@pytest.fixture
def mobility_allocation(pole_a, region_funder, session):
    return AllocationFactory(
        funder=region_funder,
        canceropole=pole_a,
        year=session.year,
        amount=Decimal("5000"),
        earmark=Earmark.MOBILITY,
    )


def _apply(session, researcher, **overrides):
    today = timezone.localdate()
    fields = {
        "session": session,
        "applicant": researcher,
        "home_lab": OrganisationFactory(),
        "host_institution": "Karolinska Institutet",
        "host_city": "Stockholm",
        "host_country": "se",
        "purpose": "Analyse de données en cellule unique.",
        "start_date": today + timedelta(days=30),
        "end_date": today + timedelta(days=60),
        "amount_requested": "2 000",
    }
    fields.update(overrides)
    return services.mobility_apply(**fields)


def test_apply_records_the_application(
    session, researcher, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant = _apply(session, researcher)

    assert (grant.status, grant.host_country, grant.amount_requested, grant.canceropole_id) == (
        MobilityStatus.APPLIED,
        "SE",
        Decimal("2000.00"),
        session.canceropole_id,
    )
    assert list(grant.transitions.values_list("from_status", "to_status", "by")) == [
        ("", MobilityStatus.APPLIED, researcher.pk)
    ]
    assert [m.to for m in mail.outbox] == [[coordinator_a.email]]


def test_apply_above_the_ceiling_is_refused(session, researcher):
    with pytest.raises(ValidationError) as error:
        _apply(session, researcher, amount_requested="2500.01")

    assert error.value.message_dict == {"amount_requested": ["The ceiling of this scheme is 2,500.00 €."]}
    assert MobilityGrant.objects.count() == 0


def test_apply_names_every_bad_field(session, researcher):
    with pytest.raises(ValidationError) as error:
        _apply(session, researcher, host_institution=" ", host_country="Suède", purpose="", home_lab=None)

    assert sorted(error.value.message_dict) == ["home_lab", "host_country", "host_institution", "purpose"]


def test_apply_for_a_stay_already_over_is_refused(session, researcher):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as error:
        _apply(session, researcher, start_date=today - timedelta(days=9), end_date=today - timedelta(days=1))

    assert list(error.value.message_dict) == ["end_date"]


def test_apply_in_a_closed_session_is_refused(pole_a, researcher):
    today = timezone.localdate()
    closed = MobilitySessionFactory(
        canceropole=pole_a, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )

    with pytest.raises(TransitionError) as error:
        _apply(closed, researcher)

    assert list(error.value.message_dict) == ["session"]
    assert MobilityGrant.objects.count() == 0


def test_apply_twice_in_a_session_is_refused(session, researcher):
    _apply(session, researcher)

    with pytest.raises(ValidationError) as error:
        _apply(session, researcher)

    assert error.value.message_dict == {"session": ["You already have an application in this session."]}
    assert MobilityGrant.objects.count() == 1


def test_full_path_commits_then_pays_the_grant(
    session, mobility_allocation, researcher, coordinator_a, django_capture_on_commit_callbacks
):
    grant = _apply(session, researcher, start_date=timezone.localdate(), end_date=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        services.mobility_approve(grant=grant, amount="1800", by=coordinator_a, comment="Accord du bureau")
    commitment = Commitment.objects.get(mobility_grant=grant)
    assert (commitment.kind, commitment.amount, commitment.allocation_id) == (
        CommitmentKind.MOBILITY,
        Decimal("1800.00"),
        mobility_allocation.pk,
    )
    assert mail.outbox[-1].to == [researcher.email]

    services.mobility_stay_done(grant=grant, by=researcher)
    services.mobility_report_submit(grant=grant, report="Séjour fructueux.", by=researcher)
    services.mobility_pay(grant=grant, by=coordinator_a)

    grant.refresh_from_db()
    assert (grant.status, grant.amount_approved, grant.paid_on) == (
        MobilityStatus.PAID,
        Decimal("1800.00"),
        timezone.localdate(),
    )
    assert list(Disbursement.objects.values_list("commitment", "amount", "status")) == [
        (commitment.pk, Decimal("1800.00"), DisbursementStatus.PAID)
    ]
    assert list(grant.transitions.values_list("to_status", flat=True)) == [
        MobilityStatus.APPLIED,
        MobilityStatus.APPROVED,
        MobilityStatus.STAY_DONE,
        MobilityStatus.REPORT_RECEIVED,
        MobilityStatus.PAID,
    ]


def test_approve_without_room_on_any_allocation_is_refused_and_changes_nothing(
    session, mobility_allocation, researcher, coordinator_a
):
    mobility_allocation.amount = Decimal("1000")
    mobility_allocation.save()
    grant = _apply(session, researcher)

    with pytest.raises(TransitionError) as error:
        services.mobility_approve(grant=grant, by=coordinator_a)

    assert list(error.value.message_dict) == ["allocation"]
    grant.refresh_from_db()
    assert grant.status == MobilityStatus.APPLIED
    assert Commitment.objects.count() == 0
    assert grant.transitions.count() == 1


def test_approve_prefers_the_mobility_allocation_over_an_unearmarked_one(
    session, mobility_allocation, pole_a, region_funder, researcher, coordinator_a
):
    AllocationFactory(funder=region_funder, canceropole=pole_a, year=session.year, amount=Decimal("90000"))
    grant = _apply(session, researcher)

    services.mobility_approve(grant=grant, by=coordinator_a)

    assert committed_on_allocation(mobility_allocation.pk) == Decimal("2000.00")


def test_refuse_then_approve_is_refused(session, mobility_allocation, researcher, coordinator_a):
    grant = _apply(session, researcher)
    services.mobility_refuse(grant=grant, by=coordinator_a, comment="Hors thématique")

    with pytest.raises(TransitionError):
        services.mobility_approve(grant=grant, by=coordinator_a)

    grant.refresh_from_db()
    assert grant.status == MobilityStatus.REFUSED
    assert Commitment.objects.count() == 0


def test_stay_done_before_it_ends_is_refused(session, mobility_allocation, researcher, coordinator_a):
    grant = _apply(session, researcher)
    services.mobility_approve(grant=grant, by=coordinator_a)

    with pytest.raises(ValidationError) as error:
        services.mobility_stay_done(grant=grant, by=researcher)

    assert list(error.value.message_dict) == ["end_date"]
    grant.refresh_from_db()
    assert grant.status == MobilityStatus.APPROVED


def test_pay_before_the_report_is_refused(session, mobility_allocation, researcher, coordinator_a):
    grant = MobilityGrantFactory(session=session, applicant=researcher)
    services.mobility_approve(grant=grant, by=coordinator_a)

    with pytest.raises(TransitionError):
        services.mobility_pay(grant=grant, by=coordinator_a)

    assert Disbursement.objects.count() == 0


def test_withdraw_an_approved_grant_releases_its_commitment(
    session, mobility_allocation, researcher, coordinator_a
):
    grant = _apply(session, researcher)
    services.mobility_approve(grant=grant, by=coordinator_a)

    services.mobility_withdraw(grant=grant, by=researcher)

    grant.refresh_from_db()
    assert grant.status == MobilityStatus.WITHDRAWN
    assert committed_on_allocation(mobility_allocation.pk) == Decimal("0")


def test_session_create_twice_is_refused(coordinator_a, pole_a):
    services.mobility_session_create(
        canceropole=pole_a,
        year=2027,
        number=1,
        opens_on="2027-01-05",
        closes_on="2027-03-31",
        by=coordinator_a,
    )

    with pytest.raises(ValidationError) as error:
        services.mobility_session_create(
            canceropole=pole_a,
            year=2027,
            number=1,
            opens_on="2027-01-05",
            closes_on="2027-03-31",
            by=coordinator_a,
        )

    assert list(error.value.message_dict) == ["number"]
