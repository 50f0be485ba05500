"""Computations that measure a catalogue entry say so when they register (cop_contracts.registry), and the
catalogue follows: loading it (migrations, seed_demo, the tests after a flush) makes those entries computed
and creates the entries the apps add, without cop_contracts importing any app."""

import pytest

from cop_contracts import registry
from cop_contracts.models import IndicatorDefinition, Source
from cop_contracts.reference import apply_declared_indicators, load_indicator_catalogue
from cop_contracts.registry import Computed, declared_indicators, register

pytestmark = pytest.mark.django_db

# The entries the activity apps compute, and the apps declaring them.
DECLARED = {
    "M2_EVENTS": ("events_held", "events"),
    "M2_PARTICIPANTS": ("event_participants", "events"),
    "M2_WORKING_GROUPS": ("working_groups_active", "events"),
    "M3_TRAININGS": ("trainings_held", "events"),
    "M2_EVENT_OUTSIDE_SHARE": ("event_participants_outside_share", "events"),
    "M3_EVENT_YOUNG_SHARE": ("event_young_researcher_share", "events"),
    "M3_EMERGENCE_FUNDED": ("calls_emergence_funded", "calls"),
    "M3_EMERGENCE_AMOUNT": ("calls_emergence_amount", "calls"),
    "M3_EMERGENCE_SUCCESS_RATE": ("calls_emergence_success_rate", "calls"),
    "M1_COFUNDING_RATIO": ("funding_cofunding_leverage", "funding"),
    "M3_LEVERAGE": ("projects_followon_leverage", "projects"),
    "M3_MOBILITY_GRANTS": ("projects_mobility_grants_awarded", "projects"),
    "M4_PUBLICATIONS": ("projects_publications", "projects"),
}
ADDED = {"M2_EVENT_OUTSIDE_SHARE", "M3_EVENT_YOUNG_SHARE"}


@pytest.fixture
def own_registry(monkeypatch):
    """A copy of the registry, so that a test's registrations do not outlive it."""
    monkeypatch.setattr(registry, "_computations", dict(registry._computations))
    monkeypatch.setattr(registry, "_indicators", dict(registry._indicators))


def _nothing(*, canceropole, year):
    return Computed()


def test_the_apps_declare_the_entries_they_compute():
    declared = {d.code: (d.computation, d.app_label) for d in declared_indicators()}

    assert declared == DECLARED
    assert {d.code for d in declared_indicators() if d.definition is not None} == ADDED
    assert [d.code for d in declared_indicators(app_label="calls")] == [
        "M3_EMERGENCE_AMOUNT",
        "M3_EMERGENCE_FUNDED",
        "M3_EMERGENCE_SUCCESS_RATE",
    ]


def test_the_migrated_catalogue_holds_every_declared_entry_as_computed():
    stored = {
        code: (computation, source)
        for code, computation, source in IndicatorDefinition.objects.filter(code__in=DECLARED).values_list(
            "code", "computation", "source"
        )
    }

    assert stored == {code: (computation, Source.COMPUTED) for code, (computation, _) in DECLARED.items()}


def test_loading_the_catalogue_puts_the_declared_entries_back():
    IndicatorDefinition.objects.filter(code__in=DECLARED).exclude(code__in=ADDED).update(
        source=Source.MANUAL, computation=""
    )
    IndicatorDefinition.objects.filter(code__in=ADDED).delete()

    load_indicator_catalogue()

    assert set(
        IndicatorDefinition.objects.filter(code__in=DECLARED, source=Source.COMPUTED).values_list(
            "code", flat=True
        )
    ) == set(DECLARED)
    young = IndicatorDefinition.objects.get(code="M3_EVENT_YOUNG_SHARE")
    assert (young.unit, young.aggregation, young.mission.number, young.official) == (
        "percent",
        "ratio",
        3,
        False,
    )


def test_loading_the_reference_catalogue_alone_leaves_the_entries_entered_by_hand():
    """What the catalogue's first data migration does: the apps' own migrations apply theirs after it."""
    load_indicator_catalogue(declared=False)

    assert IndicatorDefinition.objects.get(code="M3_EMERGENCE_FUNDED").source == Source.MANUAL
    assert IndicatorDefinition.objects.get(code="M2_EVENTS").source == Source.MANUAL


def test_applying_one_app_s_declarations_leaves_the_others_alone():
    IndicatorDefinition.objects.filter(code__in=DECLARED).exclude(code__in=ADDED).update(
        source=Source.MANUAL, computation=""
    )

    apply_declared_indicators(app_label="calls")

    assert set(IndicatorDefinition.objects.filter(source=Source.COMPUTED).values_list("code", flat=True)) == {
        "M1_TEAMS",
        *ADDED,
        "M3_EMERGENCE_AMOUNT",
        "M3_EMERGENCE_FUNDED",
        "M3_EMERGENCE_SUCCESS_RATE",
    }


@pytest.mark.usefixtures("own_registry")
def test_two_computations_cannot_claim_one_entry():
    with pytest.raises(
        ValueError, match="M3_EMERGENCE_FUNDED is already computed by 'calls_emergence_funded'"
    ):
        register("another_count", indicator="M3_EMERGENCE_FUNDED")(_nothing)

    assert "another_count" not in registry.registered_names()


@pytest.mark.usefixtures("own_registry")
def test_a_definition_needs_the_entry_it_defines():
    with pytest.raises(ValueError, match="names no indicator"):
        register("orphan", definition={"name_en": "Orphan"})


@pytest.mark.usefixtures("own_registry")
def test_a_declared_entry_the_catalogue_lacks_is_not_invented():
    register("nowhere_count", indicator="M9_NOWHERE")(_nothing)

    load_indicator_catalogue()

    assert not IndicatorDefinition.objects.filter(code="M9_NOWHERE").exists()
