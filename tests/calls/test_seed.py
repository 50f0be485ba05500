"""seed_demo's calls: an Émergence 2026 call per pole with the real ceilings, applications in every
state, reviewers with one declared conflict, past calls consistent with the COP demo figures."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from calls.models import (
    Application,
    ApplicationStatus,
    AssignmentStatus,
    Call,
    CallStatus,
    Decision,
    ReviewAssignment,
)
from cop_contracts.models import IndicatorValue
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _counts():
    return (
        Call.objects.count(),
        Application.objects.count(),
        ReviewAssignment.objects.count(),
        Decision.objects.count(),
        Project.objects.count(),
    )


def test_an_emergence_2026_call_per_pole_with_the_real_ceilings(seeded):
    calls = {c.canceropole.code: c for c in Call.objects.filter(year=2026).select_related("canceropole")}

    assert sorted(calls) == ["CGO", "CLARA", "CNO", "EST", "GSO", "IDF", "PACA"]
    assert (calls["CNO"].max_amount, calls["CNO"].envelope) == (Decimal(20000), Decimal(200000))
    assert (calls["GSO"].max_amount, calls["GSO"].max_duration_months) == (Decimal(25000), 12)
    assert calls["GSO"].budget_caps["equipment"] == "0.2"
    assert calls["CLARA"].max_amount == Decimal(40000)
    assert calls["GSO"].status == CallStatus.IN_REVIEW
    assert calls["CLARA"].status == CallStatus.OPEN


def test_applications_in_every_state(seeded):
    statuses = set(Application.objects.values_list("status", flat=True))

    assert statuses == set(ApplicationStatus.values)


def test_reviewers_with_assignments_and_one_declared_conflict(seeded):
    assert ReviewAssignment.objects.filter(status=AssignmentStatus.CONFLICT).count() == 1
    assert ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED).count() == 12
    assert (
        ReviewAssignment.objects.filter(
            status=AssignmentStatus.ASSIGNED, reviewer__email="expert@demo.canceropoles.fr"
        ).count()
        == 1
    )


def test_past_calls_match_the_cop_demo_figures(seeded):
    for call in Call.objects.filter(year__in=[2023, 2024, 2025]).select_related("canceropole"):
        values = {
            v.indicator.code: v.value
            for v in IndicatorValue.objects.filter(
                contract__canceropole=call.canceropole, year=call.year
            ).select_related("indicator")
        }
        projects = Project.objects.filter(call=call)
        assert call.status == CallStatus.DECIDED
        assert projects.count() == values["M3_EMERGENCE_FUNDED"], call.reference
        assert projects.aggregate(total=Sum("amount_awarded"))["total"] == values["M3_EMERGENCE_AMOUNT"], (
            call.reference
        )
        assert projects.filter(published_at__isnull=True).count() == 0


def test_envelopes_are_never_overspent(seeded):
    for call in Call.objects.all():
        awarded = Decision.objects.filter(application__call=call, outcome="funded").aggregate(
            t=Sum("amount_awarded")
        )["t"]
        assert (awarded or 0) <= call.envelope, call.reference


def test_seed_demo_twice_adds_no_call_row(seeded):
    first = _counts()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first


def test_every_demo_call_row_passes_model_validation(seeded):
    invalid = {}
    for model in (Call, Application, Decision, Project):
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:
                invalid[f"{model.__name__} {row.pk}"] = error.message_dict

    assert invalid == {}
