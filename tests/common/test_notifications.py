"""E-mail after commit, with tasks run in-process (the embedded default: no broker)."""

import pytest
from django.core import mail
from django.db import transaction

from common.notifications import email_after_commit
from common.tasks import email_send_task

pytestmark = pytest.mark.django_db


def test_email_after_commit_sends_one_mail_when_the_transaction_commits(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_after_commit(
            subject="Candidature soumise",
            body="Votre candidature a été soumise.",
            recipients=["chercheuse@example.org", "coordination@example.org"],
        )
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Candidature soumise"
    assert message.body == "Votre candidature a été soumise."
    assert message.to == ["chercheuse@example.org", "coordination@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_email_after_commit_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_after_commit(subject="Jamais", body="Jamais envoyé.", recipients=["x@example.org"])
                raise RuntimeError("the service failed after scheduling")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []


def test_email_after_commit_takes_a_copy_of_the_recipients(django_capture_on_commit_callbacks):
    recipients = ["first@example.org"]

    with django_capture_on_commit_callbacks(execute=True):
        email_after_commit(subject="Rappel", body="Rappel.", recipients=recipients)
        recipients.append("late@example.org")

    assert mail.outbox[0].to == ["first@example.org"]


def test_email_send_task_is_registered_with_late_ack_and_retries():
    assert email_send_task.name == "common.email_send"
    assert email_send_task.acks_late is True
    assert email_send_task.reject_on_worker_lost is True
    assert email_send_task.max_retries == 5
    assert email_send_task.retry_backoff is True
