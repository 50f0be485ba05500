"""The demo's money and follow-up: INCa's 5.5 M€ a year split across the 7 poles, co-funding, envelopes
and awards within their limits, mobility grants in every state, the computed COP indicators equal to
counts made by hand from the rows, feeding the rollups, and a 360Giving package with co-funded grants."""

from collections import defaultdict
from decimal import Decimal
from io import StringIO

import jsonschema
import pytest
from django.core.management import call_command
from django.db import transaction

from canceropoles.models import Canceropole
from cop_contracts import services as cop_services
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorRollup, RollupBasis, RollupLevel
from cop_contracts.registry import get_computation
from funding import giving
from funding.models import Allocation, Commitment, CommitmentKind, Disbursement, FunderKind
from funding.reference import computed_indicators
from projects.models import MobilityGrant, MobilityStatus, Outcome, OutcomeKind, ProgressReport, Project
from tests.funding.test_giving import PACKAGE

pytestmark = pytest.mark.django_db

EMERGENCE_KINDS = {"emergence", "emergence_shs", "high_risk", "cross_border"}
AWARDED = {"approved", "stay_done", "report_received", "paid"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def poles(demo):
    return list(Canceropole.objects.order_by("code"))


def test_inca_allocates_5_5_million_a_year_across_the_7_poles(poles):
    for year in (2023, 2024, 2025, 2026):
        inca = Allocation.objects.filter(funder__kind=FunderKind.INCA, year=year)
        assert inca.count() == 7
        assert sum(a.amount for a in inca) == Decimal("5500000.00")


def test_every_pole_has_co_funding_from_its_region(poles):
    for pole in poles:
        kinds = set(
            Allocation.objects.filter(canceropole=pole, year=2026).values_list("funder__kind", flat=True)
        )
        assert {FunderKind.INCA, FunderKind.REGION} <= kinds
    charities = Allocation.objects.filter(
        funder__kind__in=[FunderKind.PATIENT_ASSOCIATION, FunderKind.FOUNDATION]
    )
    assert charities.values("canceropole").distinct().count() == 5


def test_no_limit_is_exceeded_in_the_demo(poles):
    for allocation in Allocation.objects.all():
        top = Commitment.objects.filter(allocation=allocation, parent__isnull=True)
        assert sum(c.amount for c in top) <= allocation.amount
    for commitment in Commitment.objects.all():
        awards = sum(c.amount for c in commitment.awards.all())
        live = sum(d.amount for d in commitment.disbursements.exclude(status="cancelled"))
        assert awards <= commitment.amount
        assert live <= commitment.amount


def test_calls_have_cofunded_envelopes_and_their_projects_draw_on_them(poles):
    for pole in poles:
        for project in Project.objects.filter(
            canceropole=pole, call__year__in=[2024, 2025], published_at__isnull=False
        ):
            awards = Commitment.objects.filter(project=project, kind=CommitmentKind.AWARD)
            assert sum(a.amount for a in awards) == project.amount_awarded
            assert {a.allocation.funder.kind for a in awards} == {FunderKind.INCA, FunderKind.REGION}


def test_mobility_grants_in_every_state_with_their_money(poles):
    assert set(MobilityGrant.objects.values_list("status", flat=True)) == set(MobilityStatus.values)
    for grant in MobilityGrant.objects.filter(status=MobilityStatus.PAID):
        paid = Disbursement.objects.filter(commitment__mobility_grant=grant, status="paid")
        assert sum(d.amount for d in paid) == grant.amount_approved
    for grant in MobilityGrant.objects.filter(status__in=["applied", "refused", "withdrawn"]):
        assert not Commitment.objects.filter(mobility_grant=grant).exists()


def test_projects_have_outcomes_and_reports_some_overdue(poles):
    assert set(Outcome.objects.values_list("kind", flat=True)) >= {
        OutcomeKind.PUBLICATION,
        OutcomeKind.FOLLOW_ON_FUNDING,
        OutcomeKind.PATENT,
        OutcomeKind.CLINICAL_TRIAL,
    }
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {"due", "submitted", "accepted"}
    from django.utils import timezone

    overdue = ProgressReport.objects.filter(status="due", due_on__lt=timezone.localdate())
    assert overdue.values("project__canceropole").distinct().count() == 7


# Computed indicators, against counts made by hand from the rows


def _hand_cofunding(pole, year):
    inca = others = Decimal(0)
    for allocation in Allocation.objects.filter(canceropole=pole, year=year).select_related("funder"):
        if allocation.funder.kind == FunderKind.INCA:
            inca += allocation.amount
        else:
            others += allocation.amount
    return (others / inca).quantize(Decimal("0.0001")) if inca else None


def _hand_followon(pole, year):
    granted, follow_on = Decimal(0), Decimal(0)
    for project in Project.objects.filter(canceropole=pole).select_related("call"):
        if not (project.call and project.call.kind in EMERGENCE_KINDS and project.call.year == year):
            continue
        if project.published_at is None or project.status == "cancelled":
            continue
        granted += project.amount_awarded
        for outcome in project.outcomes.all():
            if outcome.kind == "follow_on" and year <= outcome.year <= year + 3:
                follow_on += outcome.amount
    return (follow_on / granted).quantize(Decimal("0.0001")) if granted else None


def _hand_publications(pole, year):
    keys = set()
    for outcome in Outcome.objects.filter(project__canceropole=pole).select_related("project"):
        if outcome.kind == "publication" and outcome.year == year and outcome.project.status != "cancelled":
            keys.add(("doi", outcome.doi.lower()) if outcome.doi else ("hal", outcome.hal_id.lower()))
    return Decimal(len(keys))


def _hand_mobility(pole, year):
    return Decimal(
        sum(
            1
            for g in MobilityGrant.objects.filter(canceropole=pole)
            if g.session.year == year and g.status in AWARDED
        )
    )


HAND = {
    "funding_cofunding_leverage": _hand_cofunding,
    "projects_followon_leverage": _hand_followon,
    "projects_publications": _hand_publications,
    "projects_mobility_grants_awarded": _hand_mobility,
}


@pytest.mark.parametrize("computation", sorted(HAND))
def test_computed_indicators_equal_hand_counts_for_the_7_poles(poles, computation):
    compute = get_computation(computation)
    figures = {}
    for pole in poles:
        for year in (2023, 2024, 2025, 2026):
            computed = compute(canceropole=pole, year=year).value
            assert computed == HAND[computation](pole, year), (pole.code, year)
            figures[(pole.code, year)] = computed
    # The demo gives every indicator something to count.
    assert any(value for value in figures.values())


def test_hand_counts_of_the_demo_are_the_expected_figures(poles):
    gso = Canceropole.objects.get(code="GSO")

    # 2026: INCa 850,000; region 400,000 + Ligue 40,000 + Toulouse Métropole 50,000 = 490,000.
    assert get_computation("funding_cofunding_leverage")(canceropole=gso, year=2026).value == Decimal(
        "0.5765"
    )
    # 2026 sessions of GSO: one paid, one report received, one stay done, one approved.
    assert get_computation("projects_mobility_grants_awarded")(canceropole=gso, year=2026).value == Decimal(4)


def test_catalogue_names_the_computations(demo):
    assert sorted(computed_indicators()) == [
        "M1_COFUNDING_RATIO",
        "M3_LEVERAGE",
        "M3_MOBILITY_GRANTS",
        "M4_PUBLICATIONS",
    ]
    for code, computation in computed_indicators().items():
        indicator = IndicatorDefinition.objects.get(code=code)
        assert (indicator.source, indicator.computation) == ("computed", computation)


def test_computed_values_feed_the_national_rollup_as_a_ratio_of_sums(
    poles, django_capture_on_commit_callbacks
):
    from accounts.models import User
    from tests.factories import UserFactory

    indicator = IndicatorDefinition.objects.get(code="M1_COFUNDING_RATIO")
    inca = User.objects.filter(is_inca_staff=True).first()
    # Four eyes: the coordinators submit, the directors approve, INCa accepts (the services check no role).
    coordinator, director = UserFactory(), UserFactory()
    sums = defaultdict(Decimal)
    with transaction.atomic(), django_capture_on_commit_callbacks(execute=True):
        for pole in poles:
            contract = CopContract.objects.get(canceropole=pole, first_year=2023)
            value = cop_services.indicator_value_compute(
                contract=contract, indicator=indicator, year=2026, by=coordinator
            )
            cop_services.indicator_value_submit(value=value, by=coordinator)
            cop_services.indicator_value_approve(value=value, by=director)
            cop_services.indicator_value_accept(value=value, by=inca)
            sums["num"] += value.numerator
            sums["den"] += value.denominator
    with transaction.atomic():
        rollup = IndicatorRollup.objects.get(
            indicator=indicator, year=2026, level=RollupLevel.NATIONAL, basis=RollupBasis.ACCEPTED
        )
        assert rollup.value == (sums["num"] / sums["den"]).quantize(Decimal("0.0001"))
        assert rollup.poles_reporting == 7
        transaction.set_rollback(True)


def test_demo_grants_package_has_the_required_fields_and_cofunded_grants(poles):
    data = giving.package()

    jsonschema.validate(data, PACKAGE)
    cofunded = [g for g in data["grants"] if len(g["fundingOrganization"]) >= 2]
    assert len(cofunded) == Project.objects.filter(call__isnull=False, published_at__isnull=False).count()
    assert {f["name"] for f in cofunded[0]["fundingOrganization"]} >= {"Institut national du cancer"}


def test_demo_grants_package_validates_against_the_360giving_schema(poles):
    from tests.conftest import require
    from tests.funding.test_giving import PACKAGE_URL, REFERENCE

    require(REFERENCE.is_dir(), f"the 360Giving schemas in {REFERENCE}")
    import json

    import referencing
    from referencing.jsonschema import DRAFT202012

    grant_schema = json.loads((REFERENCE / "360-giving-schema.json").read_text(encoding="utf-8"))
    package_schema = json.loads((REFERENCE / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant_schema)
    registry = referencing.Registry().with_resources([(PACKAGE_URL, resource)])
    validator = jsonschema.Draft202012Validator(
        package_schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    assert [error.message for error in validator.iter_errors(giving.package())] == []


def test_demo_funding_rows_pass_model_validation(poles):
    from django.apps import apps

    invalid = {}
    for label in ("funding", "projects"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for row in model.objects.all():
                try:
                    row.full_clean()
                except Exception as error:  # collected with the row it came from
                    invalid[f"{model._meta.label} {row.pk}"] = str(error)

    assert invalid == {}
