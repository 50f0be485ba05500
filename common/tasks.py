"""Celery adapters of the shared kernel: sending e-mail out of the request, and the outbox's re-dispatch."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(
    name="common.email_send",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def email_send_task(*, subject: str, body: str, recipients: list[str]) -> None:
    """Send one plain-text e-mail from ``DEFAULT_FROM_EMAIL``.

    A refused or dropped SMTP connection is retried with exponential back-off (5 times at most).
    Not idempotent by nature: a retry after a partial failure may send the message twice, which is
    better than not sending it.
    """
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))


@shared_task(name="common.outbox_dispatch_pending", acks_late=True, reject_on_worker_lost=True)
def outbox_dispatch_pending_task() -> int:
    """Dispatch the outbox messages whose after-commit dispatch failed (broker down); every minute.

    Idempotent: a message is dispatched once, under a row lock; dispatched ones older than a week go.
    """
    from common import outbox

    outbox.purge_dispatched()
    return outbox.dispatch_pending()
