"""Every write on COP contracts, indicator values and targets, one module per concern:

- ``values``: entering figures and each step of a value's approval;
- ``decisions``: which action needs which permission, and bulk decisions (all or none);
- ``targets``: the contracts' targets (the rollups follow);
- ``computed``: computed indicators, on a schedule and on demand;
- ``figures``: reading and checking figures (bounds, units, plausibility).

Pages, the API, the admin and tasks import them from here.
"""

from cop_contracts.services.computed import ComputeReport, indicator_values_compute_all
from cop_contracts.services.decisions import (
    DECISIONS,
    BulkDecisionError,
    decision_permitted,
    indicator_value_decide,
    indicator_values_decide,
)
from cop_contracts.services.targets import target_delete, target_set, target_validate
from cop_contracts.services.values import (
    check_year,
    indicator_value_accept,
    indicator_value_approve,
    indicator_value_compute,
    indicator_value_save,
    indicator_value_send_back,
    indicator_value_submit,
    indicator_value_unlock,
    indicator_values_submit_year,
    schedule_rollup,
)

__all__ = [
    "DECISIONS",
    "BulkDecisionError",
    "ComputeReport",
    "check_year",
    "decision_permitted",
    "indicator_value_accept",
    "indicator_value_approve",
    "indicator_value_compute",
    "indicator_value_decide",
    "indicator_value_save",
    "indicator_value_send_back",
    "indicator_value_submit",
    "indicator_value_unlock",
    "indicator_values_compute_all",
    "indicator_values_decide",
    "indicator_values_submit_year",
    "schedule_rollup",
    "target_delete",
    "target_set",
    "target_validate",
]
