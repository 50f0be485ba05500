"""The durable outbox (common.outbox): a task is recorded with the change that calls for it, dispatched
after commit, and kept for the periodic re-dispatch when the broker is unreachable."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from common import outbox
from common.models import OutboxMessage
from common.tasks import email_send_task, outbox_dispatch_pending_task
from portal.celery import app
from tests.celery_helpers import _drop_connection_pools

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
EMAIL = {"subject": "Rappel", "body": "Corps", "recipients": ["a@example.org"]}


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks go to a broker nobody listens on (instead of running in-process), as when Redis is down."""
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE_BROKER)
    app.conf.update(task_always_eager=False, broker_url=UNREACHABLE_BROKER)
    _drop_connection_pools()
    outbox.resume_broker()
    yield
    app.conf.update(saved)
    _drop_connection_pools()
    outbox.resume_broker()


def _age(message: OutboxMessage, seconds: int) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_task_after_commit_records_the_task_and_runs_it_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.task_after_commit("common.email_send", **EMAIL)
        assert (message.task_name, message.kwargs, message.dispatched_at) == (
            "common.email_send",
            EMAIL,
            None,
        )
        assert mail.outbox == []

    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert message.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Rappel"]


@transaction.atomic
def _failing_service():
    outbox.task_after_commit("common.email_send", **EMAIL)
    raise RuntimeError("the service failed")


def test_task_after_commit_leaves_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _failing_service()

    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.usefixtures("broker_down")
def test_dispatch_with_the_broker_down_keeps_the_message_pending_without_raising(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.task_after_commit("common.email_send", **EMAIL)

    message.refresh_from_db()
    assert message.dispatched_at is None
    assert message.attempts == 1
    assert "OperationalError" in message.last_error
    assert mail.outbox == []


@pytest.mark.usefixtures("broker_down")
def test_after_a_broker_failure_the_next_dispatches_do_not_wait_for_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.task_after_commit("common.email_send", **EMAIL)
        second = outbox.task_after_commit("common.email_send", **EMAIL)

    assert list(OutboxMessage.objects.order_by("id").values_list("attempts", flat=True)) == [1, 0]
    assert {first.pk, second.pk} == set(outbox.pending_messages().values_list("pk", flat=True))


def test_dispatch_pending_sends_what_the_broker_missed_once_it_is_back(broker_down):
    with transaction.atomic():
        message = outbox.task_after_commit("common.email_send", **EMAIL)
    # the after-commit dispatch ran at once (autocommit outside the test's atomic block is emulated by
    # the test transaction: run it by hand)
    outbox.dispatch(message_ids=[message.pk])
    assert outbox.pending_messages().count() == 1

    app.conf.update(task_always_eager=True)  # the broker is back (tasks run in-process in the suite)
    _age(message, 60)
    dispatched = outbox_dispatch_pending_task.apply().get()

    assert dispatched == 1
    assert outbox.pending_messages().count() == 0
    assert [m.subject for m in mail.outbox] == ["Rappel"]


def test_dispatch_pending_leaves_young_messages_to_their_own_dispatch():
    message = OutboxMessage.objects.create(task_name="common.email_send", kwargs=EMAIL)

    assert outbox.dispatch_pending() == 0
    _age(message, 60)
    assert outbox.dispatch_pending() == 1
    assert outbox.dispatch_pending() == 0
    assert len(mail.outbox) == 1


def test_dispatch_skips_a_message_already_dispatched():
    message = OutboxMessage.objects.create(
        task_name="common.email_send", kwargs=EMAIL, dispatched_at=timezone.now()
    )

    assert outbox.dispatch(message_ids=[message.pk]) == 0
    assert mail.outbox == []


def test_purge_dispatched_deletes_only_old_dispatched_messages():
    now = timezone.now()
    old = OutboxMessage.objects.create(task_name="t", dispatched_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name="t", dispatched_at=now - timedelta(days=1))
    pending = OutboxMessage.objects.create(task_name="t")

    assert outbox.purge_dispatched() == 1

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_outbox_redispatch_runs_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-dispatch-pending"]

    assert entry == {"task": "common.outbox_dispatch_pending", "schedule": 60.0}
    assert outbox_dispatch_pending_task.acks_late is True
    assert outbox_dispatch_pending_task.reject_on_worker_lost is True


def test_unacknowledged_messages_are_redelivered_within_minutes():
    # A worker killed mid-task never acknowledges its message (acks_late); Redis hands it to another
    # worker once the visibility timeout passes: minutes, not Redis' default hour.
    options = app.conf.broker_transport_options

    assert options["visibility_timeout"] == 300
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert email_send_task.acks_late is True
