"""Which entries of the national indicator catalogue the funding and project data compute.

Each computation declares the entry it measures where it registers (funding.computations,
projects.followup.computations: ``register(name, indicator=code)``); cop_contracts applies those
declarations whenever it loads the catalogue. This module names the two apps' declarations for their
data migration, seed_demo and the tests.
"""

from django.apps import apps as global_apps

from cop_contracts.reference import apply_declared_indicators
from cop_contracts.registry import declared_indicators

APPS = ("funding", "projects")


def computed_indicators() -> dict[str, str]:
    """``{catalogue code: computation name}`` of the entries the funding and project data compute."""
    return {d.code: d.computation for app in APPS for d in declared_indicators(app_label=app)}


def link_computed_indicators(*, apps=global_apps) -> None:
    """Mark the catalogue entries the funding and project computations measure as computed. Idempotent."""
    for app_label in APPS:
        apply_declared_indicators(apps=apps, app_label=app_label)
