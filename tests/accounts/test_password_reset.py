"""Password reset: the same answer, with the same work, for a known and an unknown address; throttled."""

import re
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services, tasks

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody@test.canceropoles.fr"


@pytest.fixture
def queued(monkeypatch):
    """The reset e-mails queued for the worker, not sent: (keyword arguments of each task)."""
    calls = []
    monkeypatch.setattr(tasks.password_reset_send_task, "delay", lambda **kwargs: calls.append(kwargs))
    return calls


def _ask(client, email: str, ip: str = "192.0.2.10"):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)
    return response, [q["sql"] for q in queries.captured_queries]


def test_reset_answers_a_known_and_an_unknown_address_alike_and_defers_the_lookup(client, researcher, queued):
    known, known_queries = _ask(client, researcher.email)
    unknown, unknown_queries = _ask(client, UNKNOWN)

    assert (known.status_code, known["Location"]) == (302, reverse("accounts:password_reset_done"))
    assert (unknown.status_code, unknown["Location"]) == (302, reverse("accounts:password_reset_done"))
    assert known.content == unknown.content
    # The request itself reads no table: the account lookup happens in the worker.
    assert known_queries == unknown_queries == []
    assert queued == [
        {"email": researcher.email, "domain": "testserver", "use_https": False, "language": "fr"},
        {"email": UNKNOWN, "domain": "testserver", "use_https": False, "language": "fr"},
    ]
    assert mail.outbox == []


def test_reset_task_sends_a_french_link_to_a_known_address(researcher):
    tasks.password_reset_send_task(
        email=researcher.email, domain="portail.example.org", use_https=True, language="fr"
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [researcher.email]
    assert message.subject == "Réinitialisation du mot de passe sur portail.example.org"
    assert re.search(r"https://portail\.example\.org/account/password/reset/[^/\s]+/[^/\s]+/", message.body)


def test_reset_task_sends_nothing_for_an_unknown_or_inactive_address(researcher):
    researcher.is_active = False
    researcher.save(update_fields=["is_active"])

    sent = [
        services.password_reset_send(email=email, domain="testserver", use_https=False, language="fr")
        for email in (UNKNOWN, researcher.email)
    ]

    assert sent == [0, 0]
    assert mail.outbox == []


def test_reset_is_throttled_per_address_and_queues_nothing_more(client, researcher, queued):
    answers = [_ask(client, researcher.email)[0].status_code for _ in range(6)]

    assert answers == [302, 302, 302, 302, 302, 429]
    assert len(queued) == 5
    last = _ask(client, researcher.email)[0]
    assert last.status_code == 429
    assert "<h1>Trop de demandes</h1>" in unescape(last.content.decode())


def test_reset_is_throttled_per_client_address_whatever_the_e_mail(client, queued):
    answers = [_ask(client, f"person{n}@test.canceropoles.fr")[0].status_code for n in range(21)]
    other_address = _ask(client, "person0@test.canceropoles.fr", ip="198.51.100.7")[0]

    assert answers == [302] * 20 + [429]
    assert other_address.status_code == 302
    assert len(queued) == 21
