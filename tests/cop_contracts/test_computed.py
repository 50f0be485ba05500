"""Computed indicators (issue §4.6): on a schedule and on demand by INCa, and a system check that fails
when a computed indicator names no registered computation (it used to be a 500 when computed)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from cop_contracts import checks, services
from cop_contracts.models import IndicatorDefinition, IndicatorValue, Source, ValueStatus, ValueTransition
from cop_contracts.tasks import compute_indicators_task
from tests.cop_contracts.factories import CopContractFactory, IndicatorValueFactory, indicator
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TEAMS = "M1_TEAMS"  # computed: labs with an RNSR number of the pole's people


@pytest.fixture(autouse=True)
def _teams_is_the_only_computed_indicator():
    """Activity apps register computations of their own: these tests are about the mechanism, on M1_TEAMS."""
    IndicatorDefinition.objects.exclude(code=TEAMS).filter(source=Source.COMPUTED).update(
        source=Source.MANUAL, computation=""
    )


@pytest.fixture
def teams_of_pole_a(pole_a):
    for rnsr in ("200918479K", "200018479A"):
        person = PersonFactory(lab=OrganisationFactory(kind="lab", rnsr=rnsr))
        person.canceropoles.add(pole_a)


def test_computed_indicators_run_every_night():
    assert (
        settings.CELERY_BEAT_SCHEDULE["nightly-computed-indicators"]["task"]
        == "cop_contracts.compute_indicators"
    )
    assert compute_indicators_task.acks_late is True


@pytest.mark.usefixtures("teams_of_pole_a")
def test_scheduled_run_fills_computed_drafts_of_every_contract_recorded_as_made_by_the_portal(
    contract_a, contract_b
):
    computed = compute_indicators_task.apply(kwargs={"year": 2025}).get()

    assert computed == 2
    values = {v.contract_id: v for v in IndicatorValue.objects.filter(indicator__code=TEAMS, year=2025)}
    assert (values[contract_a.pk].value, values[contract_b.pk].value) == (Decimal(2), Decimal(0))
    assert {v.source for v in values.values()} == {Source.COMPUTED}
    assert list(ValueTransition.objects.values_list("by", "to_status")) == [(None, "draft")] * 2


def test_scheduled_run_leaves_values_under_review_or_accepted_alone(contract_a):
    accepted = IndicatorValueFactory(
        contract=contract_a,
        indicator=indicator(TEAMS),
        year=2025,
        value=Decimal(9),
        status=ValueStatus.ACCEPTED,
    )

    report = services.indicator_values_compute_all(year=2025)

    assert report.computed == []
    assert [(pole, code) for pole, code, _reason in report.skipped] == [("GSO", TEAMS)]
    accepted.refresh_from_db()
    assert accepted.value == Decimal(9)


@pytest.mark.usefixtures("teams_of_pole_a")
def test_inca_computes_on_demand_through_the_api(api_client, inca_staff, contract_a, contract_b):
    api_client.force_authenticate(inca_staff)

    response = api_client.post(
        reverse("api:indicatorvalue-compute"), {"indicator": TEAMS, "year": 2024, "canceropole": "GSO"}
    )

    assert response.status_code == 200
    value = IndicatorValue.objects.get()
    assert response.json() == {"computed": [value.pk], "skipped": []}
    assert (value.contract_id, value.value, value.transitions.get().by) == (
        contract_a.pk,
        Decimal(2),
        inca_staff,
    )


@pytest.mark.parametrize("persona", ["director_a", "coordinator_a", "researcher"])
def test_computing_on_demand_is_inca_s_only_and_changes_nothing(request, api_client, contract_a, persona):
    api_client.force_authenticate(request.getfixturevalue(persona))

    response = api_client.post(reverse("api:indicatorvalue-compute"), {"year": 2024})

    assert response.status_code == 403
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"), [({"year": 2031}, "year"), ({"year": 2024, "indicator": "M2_EVENTS"}, "indicator")]
)
def test_computing_on_demand_with_bad_input_is_a_400_naming_the_field(api_client, inca_staff, payload, field):
    api_client.force_authenticate(inca_staff)

    response = api_client.post(reverse("api:indicatorvalue-compute"), payload)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_an_unregistered_computation_is_skipped_with_the_reason_not_a_500(api_client, inca_staff, contract_a):
    IndicatorDefinition.objects.filter(code=TEAMS).update(computation="nowhere")
    api_client.force_authenticate(inca_staff)

    response = api_client.post(reverse("api:indicatorvalue-compute"), {"year": 2024})

    assert response.status_code == 200
    assert response.json()["skipped"] == [
        {"canceropole": "GSO", "indicator": TEAMS, "reason": "No computation named “nowhere” is registered."}
    ]


def test_system_check_passes_with_the_catalogue_as_shipped():
    assert checks.catalogue_computations_are_registered() == []
    assert checks.stored_computations_are_registered(databases=["default"]) == []


def test_system_check_fails_when_a_computed_indicator_names_no_registered_computation(monkeypatch):
    IndicatorDefinition.objects.filter(code=TEAMS).update(computation="nowhere")
    monkeypatch.setitem(checks.CATALOGUE_RULES, "M2_EVENTS", {"source": "computed", "computation": "missing"})

    in_code = checks.catalogue_computations_are_registered()
    stored = checks.stored_computations_are_registered(databases=["default"])

    assert [(e.id, e.msg) for e in in_code] == [
        (
            "cop_contracts.E001",
            "The computed indicator M2_EVENTS names the computation 'missing', which is not registered.",
        )
    ]
    assert [(e.id, e.msg) for e in stored] == [
        (
            "cop_contracts.E001",
            "The computed indicator M1_TEAMS names the computation 'nowhere', which is not registered.",
        )
    ]


def test_the_admin_refuses_a_computed_indicator_without_a_registered_computation():
    definition = indicator(TEAMS)
    definition.computation = "nowhere"

    with pytest.raises(ValidationError) as excinfo:
        definition.full_clean()

    assert list(excinfo.value.message_dict) == ["computation"]


def test_contracts_outside_the_year_are_not_computed(pole_a):
    CopContractFactory(canceropole=pole_a, first_year=2028, last_year=2032)

    assert services.indicator_values_compute_all(year=2025).computed == []
