"""Celery adapters of cop_contracts: primitive ids in, one service call."""

from celery import shared_task

from cop_contracts import rollups


@shared_task(name="cop_contracts.indicator_rollup", acks_late=True, reject_on_worker_lost=True)
def indicator_rollup_task(*, indicator_id: int, year: int) -> None:
    # Idempotent: recomputes every level of (indicator, year) from the values, whatever ran before.
    rollups.indicator_rollup(indicator_id=indicator_id, year=year)


@shared_task(name="cop_contracts.rollup_all", acks_late=True, reject_on_worker_lost=True)
def rollup_all_task() -> None:
    rollups.rollup_all()


@shared_task(name="cop_contracts.compute_indicators", acks_late=True, reject_on_worker_lost=True)
def compute_indicators_task(*, year: int | None = None) -> int:
    """Fill the computed indicators of the year (default: the current one) in every contract, as drafts.

    Idempotent: a value whose figures did not change is not written again; values under review or
    accepted are left as they are.
    """
    from cop_contracts.services import indicator_values_compute_all

    return len(indicator_values_compute_all(year=year).computed)
