"""Failed logins lock the account and the client address (django-axes) until the cool-off or an admin
unlock."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.second_factor import enrol, totp_code

pytestmark = pytest.mark.django_db

# 09:00 UTC is 10:00 in Paris (winter time): the lockout page speaks Paris time. Later than today, so
# the sessions opened at that time have not expired when the test reads them.
START = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


def _login(client, email: str, password: str, ip: str = "192.0.2.10"):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def _fail(client, email: str, times: int, ip: str = "192.0.2.10") -> list[int]:
    return [_login(client, email, "not-the-password", ip).status_code for _ in range(times)]


def test_settings_lock_after_five_failures_for_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_right_password_is_refused_after_the_failure_limit_with_the_time_to_retry(
    client, researcher, settings
):
    with time_machine.travel(START, tick=False):
        statuses = _fail(client, researcher.email, settings.AXES_FAILURE_LIMIT)

        response = _login(client, researcher.email, settings.DEMO_PASSWORD)

    # The failure that reaches the limit already answers with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    html = unescape(response.content.decode())
    assert "<h1>Connexion temporairement bloquée</h1>" in html
    assert "Réessayez après 10:15 (dans 15 minutes)." in html


def test_failures_below_the_limit_do_not_lock(client, researcher, settings):
    _fail(client, researcher.email, settings.AXES_FAILURE_LIMIT - 1)

    response = _login(client, researcher.email, settings.DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(researcher.pk)


def test_lock_ends_after_the_cool_off(client, researcher, settings):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, researcher.email, settings.AXES_FAILURE_LIMIT)
        traveller.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=30))
        assert _login(client, researcher.email, settings.DEMO_PASSWORD).status_code == 429
        # That refused attempt counts: the lock now ends one cool-off after it.
        traveller.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=30))
        assert _login(client, researcher.email, settings.DEMO_PASSWORD).status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))

        response = _login(client, researcher.email, settings.DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(researcher.pk)


def test_account_lock_holds_from_another_address_and_in_another_letter_case(client, researcher, settings):
    _fail(client, researcher.email.upper(), settings.AXES_FAILURE_LIMIT, ip="192.0.2.10")

    response = _login(Client(), researcher.email, settings.DEMO_PASSWORD, ip="198.51.100.7")

    assert response.status_code == 429


def test_address_lock_holds_for_every_account_and_spares_other_addresses(client, researcher, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"guess{n}@test.canceropoles.fr", "not-the-password", ip="192.0.2.66")

    from_same_address = _login(Client(), researcher.email, settings.DEMO_PASSWORD, ip="192.0.2.66")
    from_elsewhere = _login(Client(), researcher.email, settings.DEMO_PASSWORD, ip="198.51.100.7")

    assert from_same_address.status_code == 429
    assert from_elsewhere.status_code == 302


def test_success_before_the_limit_resets_the_count(client, researcher, settings):
    _fail(client, researcher.email, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, researcher.email, settings.DEMO_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    _fail(client, researcher.email, settings.AXES_FAILURE_LIMIT - 1)
    response = _login(client, researcher.email, settings.DEMO_PASSWORD)

    assert response.status_code == 302


def _admin_client(settings) -> Client:
    """An administrator signed in through the login form with their second factor, as the admin requires."""
    admin = UserFactory(email="admin@test.canceropoles.fr", is_staff=True, is_superuser=True)
    enrol(admin)
    admin_client = Client()
    assert _login(admin_client, admin.email, settings.DEMO_PASSWORD, ip="203.0.113.5").status_code == 302
    response = admin_client.post(reverse("mfa_authenticate"), {"code": totp_code(_secret(admin))})
    assert response.status_code == 302
    return admin_client


def _secret(user) -> str:
    from tests.second_factor import secret_of

    return secret_of(user)


def test_admin_unlocks_an_account_by_deleting_its_access_attempts(client, researcher, settings):
    _fail(client, researcher.email, settings.AXES_FAILURE_LIMIT)
    assert _login(client, researcher.email, settings.DEMO_PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username=researcher.email)
    admin_client = _admin_client(settings)

    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert AccessAttempt.objects.filter(username=researcher.email).count() == 0
    assert _login(client, researcher.email, settings.DEMO_PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(researcher.pk)
