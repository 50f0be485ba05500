"""Fault 5.2: with the broker unreachable, accepting a value answered 500 although the transition had
committed, and no rollup or e-mail ever followed. Now the request answers normally, the rollup and the
e-mail wait in the outbox, and they happen once the broker is back (the periodic re-dispatch)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from common import outbox
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    ValueStatus,
)
from portal.celery import app
from tests.celery_helpers import _drop_connection_pools, broker_url, running_worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def _national_accepted():
    return IndicatorRollup.objects.filter(level="national", basis="accepted", year=2024).first()


def test_accept_with_the_broker_down_answers_200_and_the_rollup_follows_once_it_is_back(
    api_client, pole_a, coordinator_a, director_a, inca_staff, monkeypatch
):
    real_broker = broker_url()
    value = IndicatorValue.objects.create(
        contract=CopContract.objects.create(canceropole=pole_a),
        indicator=IndicatorDefinition.objects.get(code="M2_EVENTS"),
        year=2024,
        value=Decimal(7),
        status=ValueStatus.APPROVED,
    )
    api_client.force_authenticate(inca_staff)
    with monkeypatch.context() as down:
        # Celery reads CELERY_BROKER_URL from the environment before its configuration.
        down.setenv("CELERY_BROKER_URL", UNREACHABLE_BROKER)
        saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
        app.conf.update(task_always_eager=False, broker_url=UNREACHABLE_BROKER)
        _drop_connection_pools()
        outbox.resume_broker()
        try:
            response = api_client.post(reverse("api:indicatorvalue-accept", args=[value.pk]))
        finally:
            app.conf.update(saved)
            _drop_connection_pools()
            outbox.resume_broker()

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert _national_accepted() is None
    assert sorted(outbox.pending_messages().values_list("task_name", flat=True)) == [
        "common.email_send",
        "common.email_send",
        "cop_contracts.indicator_rollup",
    ]
    assert mail.outbox == []

    with running_worker(url=real_broker):
        dispatched = outbox.dispatch_pending(older_than=timedelta(0))  # what the beat task runs every minute
        assert dispatched == 3
        assert wait_until(lambda: _national_accepted() is not None and len(mail.outbox) == 2)

    rollup = _national_accepted()
    assert (rollup.value, rollup.poles_reporting) == (Decimal(7), 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator_a.email, director_a.email])
    assert outbox.pending_messages().count() == 0
