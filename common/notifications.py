"""Notifications sent after the transaction that caused them commits."""

from django.db import transaction

from common.tasks import email_send_task


def email_after_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    """Schedule an e-mail for when the current transaction commits (at once outside a transaction).

    Side effects: after commit, queues ``common.email_send`` on the broker (or sends in-process when
    tasks run eagerly). Nothing is sent if the transaction rolls back.
    """
    message = {"subject": str(subject), "body": str(body), "recipients": list(recipients)}
    transaction.on_commit(lambda: email_send_task.delay(**message))
