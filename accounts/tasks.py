"""Celery adapters of accounts."""

from smtplib import SMTPException

from celery import shared_task

from accounts import services


@shared_task(
    name="accounts.password_reset_send",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def password_reset_send_task(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Send the reset link of the account with this address, if any (a retry may send a second link)."""
    services.password_reset_send(email=email, domain=domain, use_https=use_https, language=language)
