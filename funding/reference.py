"""Which entries of the national indicator catalogue the funding and project data compute.

cop_contracts loads the catalogue from the reference data with hand-entered sources; this links the
entries that the portal now computes to their registered computations (funding.computations and
projects.followup.computations, projects.mobility). Idempotent; run by a data migration and by seed_demo
after it reloads the catalogue.
"""

from django.apps import apps as global_apps

COMPUTED_INDICATORS = {
    "M1_COFUNDING_RATIO": "funding_cofunding_leverage",
    "M3_LEVERAGE": "projects_followon_leverage",
    "M3_MOBILITY_GRANTS": "projects_mobility_grants_awarded",
    "M4_PUBLICATIONS": "projects_publications",
}


def link_computed_indicators(*, apps=global_apps) -> int:
    """Mark the catalogue entries above as computed, naming their computation. Returns how many changed."""
    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    changed = 0
    for code, computation in COMPUTED_INDICATORS.items():
        changed += (
            IndicatorDefinition.objects.filter(code=code)
            .exclude(source="computed", computation=computation)
            .update(source="computed", computation=computation)
        )
    return changed
