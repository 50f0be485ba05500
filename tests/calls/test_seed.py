"""seed_demo's calls: an Émergence 2026 call per pole with the real ceilings, applications in every
state, reviewers with one declared conflict, past calls consistent with the COP demo figures; and the
COP indicators computed from them: for the 7 poles, the registered computations equal counts made by hand
from the seeded rows, and they feed the COP rollups."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from accounts.models import Membership
from calls.models import (
    Application,
    ApplicationStatus,
    AssignmentStatus,
    Call,
    CallStatus,
    Decision,
    ReviewAssignment,
)
from canceropoles.models import Canceropole
from cop_contracts import rollups
from cop_contracts import services as cop_services
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
)
from cop_contracts.registry import get_computation
from projects.models import Project
from tests.factories import MembershipFactory, UserFactory

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


# Émergence, Émergence SHS, high-risk and cross-border calls: what the catalogue calls "Émergence".
EMERGENCE = {"emergence", "emergence_shs", "high_risk", "cross_border"}
# Passed screening, whatever became of the application in review (withdrawn ones are not counted).
SCREENED_ELIGIBLE = {"eligible", "under_review", "selected", "waiting_list", "rejected"}
COMPUTED_FROM_CALLS = {
    "M3_EMERGENCE_FUNDED": "calls_emergence_funded",
    "M3_EMERGENCE_AMOUNT": "calls_emergence_amount",
    "M3_EMERGENCE_SUCCESS_RATE": "calls_emergence_success_rate",
}


def hand_counts(pole: Canceropole, year: int) -> dict:
    """The Émergence figures of one pole and year, counted in Python from every seeded row."""
    decisions = {d.application_id: d for d in Decision.objects.all()}
    applications = [
        a
        for a in Application.objects.select_related("call")
        if a.call.canceropole_id == pole.pk and a.call.year == year and a.call.kind in EMERGENCE
    ]
    funded = [
        decisions[a.pk]
        for a in applications
        if a.pk in decisions
        and decisions[a.pk].outcome == "funded"
        and decisions[a.pk].published_at is not None
    ]
    return {
        "received": sum(1 for a in applications if a.status != "draft" and a.submitted_at is not None),
        "funded": len(funded),
        "amount": sum((d.amount_awarded for d in funded), Decimal(0)),
        "eligible": sum(1 for a in applications if a.status in SCREENED_ELIGIBLE),
    }


def test_the_emergence_catalogue_entries_are_computed_from_the_calls(seeded):
    stored = dict(
        IndicatorDefinition.objects.filter(
            code__in=[*COMPUTED_FROM_CALLS, "M3_APPLICATIONS_SUPPORTED"]
        ).values_list("code", "source")
    )

    assert stored == {**dict.fromkeys(COMPUTED_FROM_CALLS, "computed"), "M3_APPLICATIONS_SUPPORTED": "manual"}
    assert (
        dict(
            IndicatorDefinition.objects.filter(code__in=COMPUTED_FROM_CALLS).values_list(
                "code", "computation"
            )
        )
        == COMPUTED_FROM_CALLS
    )


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_computed_emergence_indicators_equal_hand_counts_for_the_seven_poles(seeded, year):
    def compute(name, pole):
        return get_computation(name)(canceropole=pole, year=year)

    for pole in Canceropole.objects.order_by("code"):
        expected = hand_counts(pole, year)
        rate = compute("calls_emergence_success_rate", pole)

        assert compute("calls_applications_received", pole).value == expected["received"], pole.code
        assert compute("calls_emergence_funded", pole).value == expected["funded"], pole.code
        assert compute("calls_emergence_amount", pole).value == expected["amount"], pole.code
        assert (rate.numerator, rate.denominator) == (expected["funded"], expected["eligible"]), pole.code
        assert rate.value == (Decimal(100) * expected["funded"] / expected["eligible"]).quantize(
            Decimal("0.0001")
        ), pole.code


def test_seeded_emergence_figures_are_not_trivial(seeded):
    totals = Counter()
    for pole in Canceropole.objects.all():
        for year in (2023, 2024, 2025, 2026):
            totals.update(hand_counts(pole, year))

    assert 0 < totals["funded"] < totals["eligible"] < totals["received"]
    assert totals["amount"] > 0


def test_computed_emergence_indicators_feed_the_cop_rollups(seeded):
    inca = UserFactory(is_inca_staff=True)
    indicators = {code: IndicatorDefinition.objects.get(code=code) for code in COMPUTED_FROM_CALLS}
    year = 2026
    expected = Counter()
    for contract in CopContract.objects.select_related("canceropole"):
        pole = contract.canceropole
        coordinator = MembershipFactory(canceropole=pole, role=Membership.Role.COORDINATOR).user
        director = MembershipFactory(canceropole=pole, role=Membership.Role.DIRECTOR).user
        expected.update(hand_counts(pole, year))
        for indicator in indicators.values():
            value = cop_services.indicator_value_compute(
                contract=contract, indicator=indicator, year=year, by=coordinator
            )
            value = cop_services.indicator_value_submit(value=value, by=coordinator)
            value = cop_services.indicator_value_approve(value=value, by=director)
            cop_services.indicator_value_accept(value=value, by=inca)
    for indicator in indicators.values():
        rollups.indicator_rollup(indicator_id=indicator.pk, year=year)

    def national(code):
        return IndicatorRollup.objects.get(
            indicator=indicators[code], year=year, level=RollupLevel.NATIONAL, basis=RollupBasis.ACCEPTED
        )

    assert (national("M3_EMERGENCE_FUNDED").value, national("M3_EMERGENCE_FUNDED").poles_reporting) == (
        expected["funded"],
        7,
    )
    assert national("M3_EMERGENCE_AMOUNT").value == expected["amount"]
    rate = national("M3_EMERGENCE_SUCCESS_RATE")
    assert (rate.numerator, rate.denominator) == (expected["funded"], expected["eligible"])
    assert rate.value == (Decimal(100) * expected["funded"] / expected["eligible"]).quantize(
        Decimal("0.0001")
    )
