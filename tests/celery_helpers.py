"""A real Celery worker on the Redis broker, for the tests that must cross it (DESIGN §2: tasks are
dispatched after commit and run in a worker).

The suite runs tasks eagerly (tests/settings.py). ``running_worker`` switches that off, points the
portal's Celery app at the broker, empties the default queue and starts a worker thread (solo pool);
on exit it stops the worker and puts eager mode and the broker URL back, whatever happened.

Use it through the ``celery_worker`` fixture: import it in the test directory's ``conftest.py``
(``from tests.celery_helpers import celery_worker  # noqa: F401``), mark the test
``@pytest.mark.celery_worker``. The test is skipped when ``CELERY_BROKER_URL`` is unset (a failure
under ``CI=true``). The worker thread has its own database connection: a task that reads rows the test
wrote needs ``transactional_db`` (committed rows), not ``db``.

Two test runs sharing one broker database at the same time would take each other's messages: give each
run its own Redis database.
"""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app
from tests.conftest import require

WAIT_SECONDS = 10.0


def broker_url() -> str:
    """The broker of this run, or skip (fail under CI=true) when there is none."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(url), "Redis broker (CELERY_BROKER_URL)")
    return url


def wait_until(condition: Callable[[], bool], *, timeout: float = WAIT_SECONDS) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _drop_connection_pools() -> None:
    # The app caches its broker connection and producer pools on first use; after the broker URL
    # changes, the next dispatch must open new ones (the same reset Celery does after a fork).
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def running_worker(*, url: str) -> Iterator[object]:
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url=url)
    _drop_connection_pools()
    try:
        with app.connection_for_write() as connection:
            # Messages left by an interrupted run would be delivered to this test.
            connection.default_channel.queue_purge(app.conf.task_default_queue)
        with start_worker(
            app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=WAIT_SECONDS
        ) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        _drop_connection_pools()


@pytest.fixture
def celery_worker():
    """A worker consuming the broker of ``CELERY_BROKER_URL`` for the duration of the test."""
    with running_worker(url=broker_url()) as worker:
        yield worker
