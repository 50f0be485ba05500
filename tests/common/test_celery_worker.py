"""E-mail through a real worker on the Redis broker: dispatched after commit, delivered by the worker."""

import time

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.db import transaction

from common.models import OutboxMessage
from common.notifications import email_after_commit
from common.tasks import email_send_task
from portal.celery import app
from tests.celery_helpers import broker_url, running_worker, wait_until

pytestmark = [pytest.mark.django_db, pytest.mark.celery_worker]


@pytest.fixture
def task_runs():
    """(task name, ran eagerly?) of every task that starts during the test."""
    runs = []

    def record(sender, task, **kwargs):
        runs.append((task.name, bool(task.request.is_eager)))

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


def test_email_send_task_is_delivered_by_the_worker(celery_worker, task_runs, settings):
    email_send_task.delay(
        subject="Nouvel appel ouvert",
        body="L'appel GSO-EMERGENCE-2026 est ouvert.",
        recipients=["a@example.org"],
    )

    assert wait_until(lambda: len(mail.outbox) == 1)
    assert task_runs == [("common.email_send", False)]
    message = mail.outbox[0]
    assert message.subject == "Nouvel appel ouvert"
    assert message.body == "L'appel GSO-EMERGENCE-2026 est ouvert."
    assert message.to == ["a@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.django_db(transaction=True)
def test_email_after_commit_goes_through_the_worker_once_committed(celery_worker):
    # transaction=True: the worker fixture closes the test thread's connection when it starts, which an
    # open test transaction would not survive; and the outbox row must be committed anyway.
    with transaction.atomic():
        email_after_commit(subject="Valeur acceptée", body="INCa a accepté.", recipients=["b@example.org"])
        assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 1
        time.sleep(0.3)
        assert mail.outbox == []  # nothing leaves before the commit

    assert wait_until(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["b@example.org"]
    assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 0


def test_running_worker_puts_eager_mode_and_broker_back():
    url = broker_url()
    before = (app.conf.task_always_eager, app.conf.broker_url)

    with running_worker(url=url):
        assert app.conf.task_always_eager is False
        assert app.conf.broker_url == url

    assert (app.conf.task_always_eager, app.conf.broker_url) == before
    assert app.conf.task_always_eager is True
