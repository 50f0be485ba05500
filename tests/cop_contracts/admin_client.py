"""An administrator's client for the admin tests: signed in through the portal's login form with their
second factor, as the admin requires."""

from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.second_factor import enrol, secret_of, totp_code


def signed_in_admin(settings) -> Client:
    admin = UserFactory(email="admin@test.canceropoles.fr", is_staff=True, is_superuser=True)
    enrol(admin)
    client = Client()
    login = client.post(
        reverse("accounts:login"), {"username": admin.email, "password": settings.DEMO_PASSWORD}
    )
    assert login.status_code == 302
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret_of(admin))}).status_code == 302
    client.admin = admin
    return client
