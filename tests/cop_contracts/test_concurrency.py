"""Faults 5.1 and 5.5, on PostgreSQL with real concurrent requests (threads, committed rows).

5.1: INCa's bulk review across poles at the same time as a pole's "submit the year" used to deadlock
(the locking query also locked the contract and indicator rows, in different orders). Now only the
value rows are locked, in primary-key order: 20 concurrent runs, 0 errors.
5.5: twenty first saves of one empty cell at once used to give 500s (IntegrityError): now the later saves
update what the first created.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    ValueStatus,
    ValueTransition,
)
from tests.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)

RUNS = 20
HTMX = {"HTTP_HX_REQUEST": "true"}
REVIEW = "/cop/review/bulk/"
SUBMIT_2025 = "/cop/GSO/2023/submit/2025/"


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _concurrently(*requests) -> list[str]:
    """Run each ``request()`` in its own thread, started together; the errors (exceptions, 5xx)."""
    barrier = threading.Barrier(len(requests))
    errors: list[str] = []

    def run(request):
        try:
            barrier.wait(timeout=10)
            response = request()
            if response.status_code >= 500:
                errors.append(f"HTTP {response.status_code}")
        except Exception as error:  # a deadlock or an integrity error reaches the test as an exception
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_bulk_review_and_submit_year_at_once_never_deadlock(pole_a, pole_b, coordinator_a, inca_staff):
    # Values to review are created in the reverse order of the indicator codes, so that the bulk review
    # (value order) and the year's submission (code order) meet the shared indicators in opposite orders.
    definitions = list(IndicatorDefinition.objects.filter(unit="count").order_by("-code")[:10])
    contract_a = CopContract.objects.create(canceropole=pole_a)
    contract_b = CopContract.objects.create(canceropole=pole_b)
    reviewer, submitter = _client(inca_staff), _client(coordinator_a)
    for run in range(RUNS):
        IndicatorValue.objects.all().delete()
        approved = [
            IndicatorValue.objects.create(
                contract=contract,
                indicator=definition,
                year=2024,
                value=Decimal(1),
                status=ValueStatus.APPROVED,
            )
            for definition in definitions
            for contract in (contract_b, contract_a)
        ]
        for definition in definitions:
            IndicatorValue.objects.create(
                contract=contract_a,
                indicator=definition,
                year=2025,
                value=Decimal(2),
                status=ValueStatus.DRAFT,
            )
        ids = [value.pk for value in approved]
        errors = _concurrently(
            lambda ids=ids: reviewer.post(REVIEW, {"action": "accept", "values": ids}),
            lambda: submitter.post(SUBMIT_2025),
        )
        assert errors == [], run
        assert IndicatorValue.objects.filter(status=ValueStatus.ACCEPTED).count() == len(approved), run
        assert IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).count() == len(definitions), run


def test_twenty_first_saves_of_one_empty_cell_at_once_give_no_server_error(pole_a, coordinator_a):
    contract = CopContract.objects.create(canceropole=pole_a)
    url = reverse("cop_contracts:cell", args=["GSO", 2023, "M2_EVENTS", 2024])
    clients = [_client(coordinator_a) for _ in range(RUNS)]

    errors = _concurrently(
        *[lambda c=c, n=n: c.post(url, {"value": str(n)}, **HTMX) for n, c in enumerate(clients)]
    )

    assert errors == []
    value = IndicatorValue.objects.get(contract=contract)
    assert value.status == ValueStatus.DRAFT
    assert ValueTransition.objects.filter(value=value).count() == 1
