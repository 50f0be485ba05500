"""One e-mail per recipient per act (common.notifications.email_digest)."""

import pytest
from django.core import mail
from django.db import transaction

from common.models import OutboxMessage
from common.notifications import email_digest

pytestmark = pytest.mark.django_db


def test_email_digest_sends_one_message_per_recipient_listing_every_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), email_digest() as digest:
        for code in ("M1_TEAMS", "M2_EVENTS", "M3_LEVERAGE"):
            digest.add(
                recipients=["directrice@example.org", "inca@example.org"],
                subject="COP GSO : valeurs soumises",
                intro="Trois valeurs à approuver :",
                line=f"{code} 2024",
            )
        assert mail.outbox == []

    assert sorted(message.to[0] for message in mail.outbox) == ["directrice@example.org", "inca@example.org"]
    assert [len(message.to) for message in mail.outbox] == [1, 1]
    assert mail.outbox[0].subject == "COP GSO : valeurs soumises"
    assert (
        mail.outbox[0].body
        == "Trois valeurs à approuver :\n\n- M1_TEAMS 2024\n- M2_EVENTS 2024\n- M3_LEVERAGE 2024"
    )


def test_email_digest_keeps_one_message_per_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), email_digest() as digest:
        digest.add(recipients=["inca@example.org"], subject="COP GSO", line="a")
        digest.add(recipients=["inca@example.org"], subject="COP CLARA", line="b")
        digest.add(recipients=["inca@example.org"], subject="COP GSO", line="c")

    assert [(m.subject, m.body) for m in mail.outbox] == [("COP GSO", "- a\n- c"), ("COP CLARA", "- b")]


def test_nested_digests_send_once_from_the_outermost(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), email_digest() as outer:
        for line in ("a", "b"):
            with email_digest() as inner:
                assert inner is outer
                inner.add(recipients=["d@example.org"], subject="S", line=line)
        assert OutboxMessage.objects.count() == 0  # nothing written before the act ends

    assert [(m.to, m.body) for m in mail.outbox] == [(["d@example.org"], "- a\n- b")]


def _failing_act():
    with email_digest() as digest:
        digest.add(recipients=["d@example.org"], subject="S", line="a")
        raise RuntimeError("the service failed")


@transaction.atomic
def _act_failing_after_its_digest():
    with email_digest() as digest:
        digest.add(recipients=["d@example.org"], subject="S", line="a")
    raise RuntimeError("a later step failed")


def test_email_digest_sends_nothing_when_the_act_fails(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _failing_act()

    assert callbacks == []
    assert mail.outbox == []
    assert OutboxMessage.objects.count() == 0


def test_email_digest_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _act_failing_after_its_digest()

    assert callbacks == []
    assert mail.outbox == []
    assert OutboxMessage.objects.count() == 0


def test_email_digest_ignores_blank_and_repeated_recipients(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), email_digest() as digest:
        digest.add(recipients=["d@example.org", "", "d@example.org"], subject="S", line="a")

    assert [(m.to, m.body) for m in mail.outbox] == [(["d@example.org"], "- a")]


def test_email_digest_memo_computes_once_per_act():
    calls = []

    with email_digest() as digest:
        for _ in range(3):
            digest.memo("directors", lambda: calls.append(1) or ["d@example.org"])

    assert calls == [1]
