"""Two-factor authentication (TOTP and recovery codes): required of INCa staff, directors and administrators,
available to everyone; the admin behind the same login."""

from html import unescape

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.second_factor import ENROLMENT_PENDING
from tests.factories import UserFactory
from tests.second_factor import TEST_SECRET, enrol, totp_code

pytestmark = pytest.mark.django_db

ENROL_URL = "/account/2fa/totp/activate/"
CODE_URL = "/account/2fa/authenticate/"


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@test.canceropoles.fr", is_staff=True, is_superuser=True)


def _login(client, user, password):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": password})


@pytest.mark.parametrize("persona", ["inca_staff", "director_a", "admin_user"])
def test_account_that_must_enrol_reaches_only_the_enrolment_after_logging_in(
    client, persona, request, settings
):
    user = request.getfixturevalue(persona)

    response = _login(client, user, settings.DEMO_PASSWORD)

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:my_space"))
    assert client.session[SESSION_KEY] == str(user.pk)
    for path in [reverse("accounts:my_space"), reverse("home"), "/cop/", "/admin/"]:
        blocked = client.get(path)
        assert (blocked.status_code, blocked["Location"]) == (302, ENROL_URL), path
    api = client.get("/api/v1/canceropoles/")
    assert api.status_code == 403
    assert api.json()["detail"] == (
        "Votre compte doit activer la double authentification avant de pouvoir utiliser l'API."
    )
    page = client.get(ENROL_URL)
    assert page.status_code == 200
    assert "doit utiliser un second facteur" in unescape(page.content.decode())


@pytest.mark.parametrize("persona", ["coordinator_a", "researcher"])
def test_account_that_may_enrol_is_not_forced_to(client, persona, request, settings):
    user = request.getfixturevalue(persona)

    _login(client, user, settings.DEMO_PASSWORD)
    response = client.get(reverse("accounts:my_space"))

    assert response.status_code == 200
    assert ENROLMENT_PENDING not in client.session
    assert "La double authentification est désactivée" in unescape(response.content.decode())


def test_enrolment_with_a_code_of_the_key_shown_activates_totp_and_shows_recovery_codes(
    client, inca_staff, settings
):
    _login(client, inca_staff, settings.DEMO_PASSWORD)
    page = client.get(ENROL_URL)
    secret = page.context["form"].secret
    assert f'<code class="totp-secret" id="totp-secret">{secret}</code>' in page.content.decode()

    response = client.post(ENROL_URL, {"code": totp_code(secret)})

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_view_recovery_codes"))
    assert Authenticator.objects.get(user=inca_staff, type=Authenticator.Type.TOTP).data["secret"] == secret
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert len(codes.context["unused_codes"]) == 10
    assert ENROLMENT_PENDING not in client.session
    assert client.get(reverse("accounts:my_space")).status_code == 200


def test_enrolment_with_a_wrong_code_activates_nothing(client, inca_staff, settings):
    _login(client, inca_staff, settings.DEMO_PASSWORD)
    secret = client.get(ENROL_URL).context["form"].secret
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL_URL, {"code": wrong})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert Authenticator.objects.filter(user=inca_staff).count() == 0
    assert client.get(reverse("accounts:my_space"))["Location"] == ENROL_URL


def test_enrolled_account_needs_a_code_after_the_password(client, director_a, settings):
    enrol(director_a)

    response = _login(client, director_a, settings.DEMO_PASSWORD)

    assert (response.status_code, response["Location"]) == (302, CODE_URL)
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts:my_space")).status_code == 302
    logged_in = client.post(CODE_URL, {"code": totp_code(TEST_SECRET)})
    assert (logged_in.status_code, logged_in["Location"]) == (302, reverse("accounts:my_space"))
    assert client.session[SESSION_KEY] == str(director_a.pk)
    assert client.get(reverse("accounts:my_space")).status_code == 200


def test_wrong_code_opens_no_session(client, director_a, settings):
    enrol(director_a)
    _login(client, director_a, settings.DEMO_PASSWORD)
    wrong = f"{(int(totp_code(TEST_SECRET)) + 500_000) % 1_000_000:06d}"

    response = client.post(CODE_URL, {"code": wrong})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert SESSION_KEY not in client.session


def test_recovery_code_logs_in_once(client, director_a, settings):
    recovery_code = enrol(director_a)[0]
    _login(client, director_a, settings.DEMO_PASSWORD)

    first = client.post(CODE_URL, {"code": recovery_code})
    client.post(reverse("accounts:logout"))
    _login(client, director_a, settings.DEMO_PASSWORD)
    second = client.post(CODE_URL, {"code": recovery_code})

    assert first.status_code == 302
    assert second.status_code == 200
    assert SESSION_KEY not in client.session


def test_code_after_the_password_keeps_the_next_page(client, director_a, settings):
    enrol(director_a)
    client.post(
        f"{reverse('accounts:login')}?next=/cop/",
        {"username": director_a.email, "password": settings.DEMO_PASSWORD},
    )

    response = client.post(CODE_URL, {"code": totp_code(TEST_SECRET)})

    assert response["Location"] == "/cop/"


def test_required_account_cannot_turn_its_second_factor_off(client, director_a, settings):
    enrol(director_a)
    _login(client, director_a, settings.DEMO_PASSWORD)
    client.post(CODE_URL, {"code": totp_code(TEST_SECRET)})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=director_a, type=Authenticator.Type.TOTP).count() == 1


def test_other_account_can_turn_its_second_factor_off(client, researcher, settings):
    enrol(researcher)
    _login(client, researcher, settings.DEMO_PASSWORD)
    client.post(CODE_URL, {"code": totp_code(TEST_SECRET)})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=researcher).count() == 0


def test_admin_login_sends_to_the_portal_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/account/login/?next=/admin/", 302),
    ]


def test_admin_needs_a_second_factor_entered_in_the_session(client, admin_user, settings):
    enrol(admin_user)
    client.force_login(admin_user)

    without_code = client.get("/admin/", follow=True)

    assert without_code.redirect_chain[-1] == ("/account/2fa/reauthenticate/?next=%2Fadmin%2F", 302)
    client.post("/account/2fa/reauthenticate/?next=/admin/", {"code": totp_code(TEST_SECRET)})
    assert client.get("/admin/").status_code == 200


def test_admin_opens_after_password_and_code(client, admin_user, settings):
    enrol(admin_user)
    _login(client, admin_user, settings.DEMO_PASSWORD)
    client.post(CODE_URL, {"code": totp_code(TEST_SECRET)})

    response = client.get("/admin/")

    assert response.status_code == 200


def test_admin_refuses_a_signed_in_account_that_is_not_staff(client, researcher):
    client.force_login(researcher)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
