"""Celery adapters of the calls: primitive ids in, one service call."""

from celery import shared_task

from calls import services


@shared_task(name="calls.follow_clock", acks_late=True, reject_on_worker_lost=True)
def calls_follow_clock_task() -> int:
    # Idempotent: opens and closes the calls whose opening or deadline passed, whatever ran before.
    return services.calls_follow_clock()
