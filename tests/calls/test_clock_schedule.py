"""The calls follow the clock on a static beat schedule: calls.follow_clock runs every minute, survives a
lost worker (acks_late, rejected back to the queue) and is safe to run twice."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from calls.models import CallStatus, CallTransition
from calls.tasks import calls_follow_clock_task
from portal.celery import app
from tests.calls.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_calls_follow_the_clock_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["calls-follow-clock"]

    assert (entry["task"], entry["schedule"]) == ("calls.follow_clock", 60.0)
    assert app.tasks[entry["task"]].name == calls_follow_clock_task.name  # registered with the worker


def test_the_clock_task_is_acknowledged_late_and_requeued_when_its_worker_is_lost():
    task = app.tasks["calls.follow_clock"]

    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)


def test_the_clock_task_run_twice_moves_each_call_once(pole_a):
    closing = CallFactory(
        canceropole=pole_a,
        opens_at=timezone.now() - timedelta(days=3),
        deadline=timezone.now() - timedelta(minutes=1),
    )
    opening = CallFactory(
        canceropole=pole_a, status=CallStatus.PUBLISHED, opens_at=timezone.now() - timedelta(minutes=1)
    )
    records = CallTransition.objects.count()

    first = calls_follow_clock_task.delay().get()
    second = calls_follow_clock_task.delay().get()

    closing.refresh_from_db()
    opening.refresh_from_db()
    assert (first, second) == (2, 0)
    assert (closing.status, opening.status) == (CallStatus.CLOSED, CallStatus.OPEN)
    assert CallTransition.objects.count() == records + 2
    assert list(
        CallTransition.objects.filter(comment="clock")
        .order_by("call_id")
        .values_list("call_id", "from_status", "to_status", "by")
    ) == [
        (closing.pk, CallStatus.OPEN, CallStatus.CLOSED, None),
        (opening.pk, CallStatus.PUBLISHED, CallStatus.OPEN, None),
    ]
