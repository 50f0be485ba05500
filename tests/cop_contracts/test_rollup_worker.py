"""Rollups through a real Celery worker on the Redis broker (DESIGN §2): accepting a value is enough.

The acceptance commits, its on-commit hook queues ``cop_contracts.indicator_rollup`` on the broker, and
the worker thread (its own database connection, hence committed rows and ``transactional_db``) updates
the national rollup. The test makes no other call.
"""

from decimal import Decimal

import pytest
from celery.signals import task_prerun

from cop_contracts import services
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    ValueStatus,
)
from tests.celery_helpers import celery_worker, wait_until  # noqa: F401  (celery_worker: fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


@pytest.fixture
def task_runs():
    """(task name, ran eagerly?) of every task that starts during the test."""
    runs = []

    def record(sender, task, **kwargs):
        runs.append((task.name, bool(task.request.is_eager)))

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


def _national_accepted() -> tuple | None:
    row = IndicatorRollup.objects.filter(
        indicator__code="M3_EMERGENCE_FUNDED", year=2025, level="national", basis="accepted"
    ).first()
    return None if row is None else (row.value, row.poles_reporting)


@pytest.mark.usefixtures("celery_worker")
def test_accepting_a_value_updates_the_national_rollup_through_the_worker(
    pole_a, pole_b, inca_staff, task_runs
):
    funded = IndicatorDefinition.objects.get(code="M3_EMERGENCE_FUNDED")
    IndicatorValue.objects.create(
        contract=CopContract.objects.create(canceropole=pole_b),
        indicator=funded,
        year=2025,
        value=Decimal(3),
        status=ValueStatus.ACCEPTED,
    )
    approved = IndicatorValue.objects.create(
        contract=CopContract.objects.create(canceropole=pole_a),
        indicator=funded,
        year=2025,
        value=Decimal(4),
        status=ValueStatus.APPROVED,
    )
    assert not IndicatorRollup.objects.exists()

    # Autocommit (transactional_db): the service's own transaction commits when it returns.
    services.indicator_value_accept(value=approved, by=inca_staff, comment="Conforme.")

    assert wait_until(lambda: _national_accepted() == (Decimal(7), 2)), _national_accepted()
    assert ("cop_contracts.indicator_rollup", False) in task_runs
    assert IndicatorRollup.objects.get(
        indicator=funded, year=2025, level="pole", scope=str(pole_a.pk), basis="accepted"
    ).value == Decimal(4)
