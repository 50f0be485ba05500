"""Notifications sent after the transaction that caused them commits: one e-mail per recipient per act.

``email_after_commit`` sends one message through the outbox (common.outbox): it leaves only once the
transaction commits, and still leaves if the broker was down at that moment.

``email_digest`` gathers the lines of one act (a year submitted, a bulk decision) so that each recipient
gets one message listing them, never one message per object::

    with email_digest() as digest:
        for value in values:
            ...
            digest.add(recipients=directors, subject=_("COP GSO: values submitted"), line=f"{code} {year}")

Digests nest: a service that opens one inside another's (submitting one value within "submit the year")
adds its lines to the outer digest, and only the outermost sends, when its block ends without an error.
An error inside the block sends nothing (the transaction it belongs to rolls back too). A caller that
catches an error inside the block and carries on must not have added lines for the failed work.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from common.outbox import task_after_commit

EMAIL_TASK = "common.email_send"


def email_after_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    """Schedule an e-mail for when the current transaction commits (at once outside a transaction).

    Side effects: an outbox message in the current transaction; after commit, ``common.email_send`` goes
    to the broker (or runs in-process when tasks run eagerly); if the broker is down, the outbox's
    periodic re-dispatch sends it later. Nothing is sent if the transaction rolls back.
    """
    task_after_commit(EMAIL_TASK, subject=str(subject), body=str(body), recipients=list(recipients))


@dataclass
class _Message:
    subject: str
    intro: str
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        listed = "\n".join(f"- {line}" for line in self.lines)
        return f"{self.intro}\n\n{listed}" if self.intro else listed


class EmailDigest:
    """The e-mails of one act: {(recipient, subject): lines}, sent as one message per recipient."""

    def __init__(self) -> None:
        self._messages: dict[tuple[str, str], _Message] = {}
        self._memo: dict = {}

    def memo(self, key, compute):
        """``compute()`` once per act for ``key``: recipients looked up once, however many objects."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def add(self, *, recipients: Iterable[str], subject: str, line: str, intro: str = "") -> None:
        """Add ``line`` to the message of each recipient under ``subject`` (created with ``intro``)."""
        subject, line = str(subject), str(line)
        for recipient in dict.fromkeys(recipients):
            if not recipient:
                continue
            message = self._messages.setdefault((recipient, subject), _Message(subject, str(intro)))
            message.lines.append(line)

    def messages(self) -> list[tuple[str, str, str]]:
        """(recipient, subject, body) of each message, in the order they were first added."""
        return [(recipient, m.subject, m.body) for (recipient, _subject), m in self._messages.items()]

    def send_after_commit(self) -> int:
        for recipient, subject, body in self.messages():
            email_after_commit(subject=subject, body=body, recipients=[recipient])
        sent = len(self._messages)
        self._messages = {}
        return sent


_current_digest: ContextVar[EmailDigest | None] = ContextVar("email_digest", default=None)


@contextmanager
def email_digest() -> Iterator[EmailDigest]:
    """The digest of the current act: the enclosing one if any, else a new one sent when the block ends.

    Side effects (outermost block only, when it ends without an error): one ``email_after_commit`` per
    recipient and subject.
    """
    outer = _current_digest.get()
    if outer is not None:
        yield outer
        return
    digest = EmailDigest()
    token = _current_digest.set(digest)
    try:
        yield digest
    finally:
        _current_digest.reset(token)
    digest.send_after_commit()
