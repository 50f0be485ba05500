"""A durable outbox between the database and the Celery broker.

A service that needs background work (a rollup, an e-mail) calls ``task_after_commit(name, **kwargs)``
inside its transaction: that writes an ``OutboxMessage`` row in the same transaction, and after commit
tries to hand the task to Celery. So:

- a rolled-back transaction leaves no message and runs no task;
- a committed one always leaves a message: if the broker is unreachable at that moment, the request
  still answers normally, the message stays pending, and ``outbox_dispatch_pending`` (a periodic task,
  every minute) dispatches it once the broker answers again.

A message may be dispatched twice in rare races (a dispatch that succeeded but could not be marked);
tasks sent through the outbox are idempotent, which makes that harmless. When tasks run eagerly (no
broker configured), "dispatching" runs the task in-process.
"""

import logging
import time
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from common.models import OutboxMessage

logger = logging.getLogger(__name__)

# After the broker refused a dispatch, later dispatches in this process wait this long before trying it
# again, so that one request with many messages does not wait for the broker once per message.
BROKER_PAUSE_SECONDS = 30.0
# The periodic re-dispatch leaves alone messages younger than this: their own after-commit dispatch is
# probably in flight.
PENDING_GRACE = timedelta(seconds=30)
# Messages re-dispatched per run of the periodic task; the next run takes the rest.
PENDING_BATCH = 500

_broker_paused_until = 0.0


def _broker_paused() -> bool:
    return time.monotonic() < _broker_paused_until


def _pause_broker() -> None:
    global _broker_paused_until
    _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS


def resume_broker() -> None:
    """Forget an earlier broker failure: the next dispatch tries the broker at once."""
    global _broker_paused_until
    _broker_paused_until = 0.0


def _task(name: str):
    tasks = current_app.tasks
    if name not in tasks:
        current_app.loader.import_default_modules()
    return tasks[name]


def task_after_commit(task_name: str, /, **kwargs) -> OutboxMessage:
    """Record the task ``task_name(**kwargs)`` in the outbox now; dispatch it once the transaction commits.

    ``kwargs`` must be JSON-serialisable (ids, strings, numbers). Outside a transaction the message is
    written and dispatched at once.
    Side effects: one OutboxMessage row; after commit, the task goes to the broker (or runs in-process
    when tasks run eagerly).
    """
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs)
    message_id = message.pk
    transaction.on_commit(lambda: dispatch(message_ids=[message_id]))
    return message


def _dispatch_one(message: OutboxMessage) -> bool:
    try:
        # A savepoint: a task run eagerly that fails on the database must not break this transaction.
        with transaction.atomic():
            _task(message.task_name).apply_async(kwargs=message.kwargs)
    except Exception as error:
        logger.warning("Outbox message %s (%s) not dispatched: %r", message.pk, message.task_name, error)
        if not current_app.conf.task_always_eager:
            _pause_broker()
        message.attempts += 1
        message.last_error = repr(error)[:2000]
        message.save(update_fields=["attempts", "last_error"])
        return False
    message.attempts += 1
    message.dispatched_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "dispatched_at", "last_error"])
    return True


def dispatch(*, message_ids: list[int]) -> int:
    """Dispatch the pending messages among ``message_ids``; return how many were dispatched.

    Each message is taken under a row lock that skips rows another process holds, so that the
    after-commit dispatch and the periodic one never send the same message at once. Never raises: a
    message that cannot be dispatched stays pending, with its error, for the periodic re-dispatch.
    """
    dispatched = 0
    for message_id in message_ids:
        if _broker_paused() and not current_app.conf.task_always_eager:
            break
        try:
            with transaction.atomic():
                message = (
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(pk=message_id, dispatched_at__isnull=True)
                    .first()
                )
                if message is not None and _dispatch_one(message):
                    dispatched += 1
        except Exception:  # the database itself failed: the periodic run will try again
            logger.exception("Outbox message %s: dispatch failed", message_id)
    return dispatched


def dispatch_pending(*, older_than: timedelta = PENDING_GRACE, limit: int = PENDING_BATCH) -> int:
    """Dispatch the messages still pending ``older_than`` after they were written (the periodic job)."""
    resume_broker()
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return dispatch(message_ids=ids)


def purge_dispatched(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete the messages dispatched more than ``older_than`` ago; return how many."""
    deleted, _by_model = OutboxMessage.objects.filter(
        dispatched_at__isnull=False, dispatched_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


def pending_messages():
    return OutboxMessage.objects.filter(dispatched_at__isnull=True)
