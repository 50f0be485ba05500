"""Logging in with an e-mail address, the personal space of each persona, logging out, password reset."""

import re
from html import unescape

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Oncologie-2027-rouge"


def _login(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def _role_heading(role: str, pole) -> str:
    with translation.override("fr"):
        return f"<h3>{Membership.Role(role).label} – {pole.name}</h3>"


def test_login_with_email_and_password_opens_my_space(client, researcher, settings):
    response = _login(client, researcher.email, settings.DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my_space")
    assert client.session[SESSION_KEY] == str(researcher.pk)


def test_login_with_email_in_other_case_works(client, researcher, settings):
    response = _login(client, researcher.email.upper(), settings.DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(researcher.pk)


def test_login_with_wrong_password_shows_the_form_error(client, researcher):
    response = _login(client, researcher.email, "not-the-password")

    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["__all__"]] == ["invalid_login"]
    assert unescape(form.non_field_errors()[0]) in unescape(response.content.decode())
    assert SESSION_KEY not in client.session


def test_login_of_deactivated_account_is_refused(client, researcher, settings):
    researcher.is_active = False
    researcher.save(update_fields=["is_active"])

    response = _login(client, researcher.email, settings.DEMO_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["__all__"][0].code == "invalid_login"
    assert SESSION_KEY not in client.session


def test_my_space_requires_login(client):
    response = client.get(reverse("accounts:my_space"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:my_space')}"


def test_my_space_of_director_shows_the_director_role_of_their_pole(client, director_a, pole_a, pole_b):
    client.force_login(director_a)

    response = client.get(reverse("accounts:my_space"))

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert _role_heading(Membership.Role.DIRECTOR, pole_a) in html
    assert _role_heading(Membership.Role.COORDINATOR, pole_a) not in html
    assert pole_b.name not in html
    with translation.override("fr"):
        assert f"<h3>{translation.gettext('INCa staff')}</h3>" not in html


def test_my_space_of_coordinator_shows_the_coordinator_role_of_their_pole(client, coordinator_a, pole_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("accounts:my_space"))

    html = unescape(response.content.decode())
    assert _role_heading(Membership.Role.COORDINATOR, pole_a) in html
    assert _role_heading(Membership.Role.DIRECTOR, pole_a) not in html


def test_my_space_of_inca_staff_shows_the_national_role(client, inca_staff):
    client.force_login(inca_staff)

    response = client.get(reverse("accounts:my_space"))

    html = unescape(response.content.decode())
    with translation.override("fr"):
        assert f"<h3>{translation.gettext('INCa staff')}</h3>" in html
    assert list(response.context["memberships"]) == []


def test_my_space_lists_every_role_of_a_user_with_several(client, coordinator_a, pole_b):
    Membership.objects.create(user=coordinator_a, canceropole=pole_b, role=Membership.Role.DIRECTOR)
    client.force_login(coordinator_a)

    response = client.get(reverse("accounts:my_space"))

    html = unescape(response.content.decode())
    assert _role_heading(Membership.Role.COORDINATOR, coordinator_a.pole) in html
    assert _role_heading(Membership.Role.DIRECTOR, pole_b) in html


def test_my_space_of_researcher_shows_no_pole_role(client, researcher):
    client.force_login(researcher)

    response = client.get(reverse("accounts:my_space"))

    assert response.status_code == 200
    assert list(response.context["memberships"]) == []
    html = unescape(response.content.decode())
    with translation.override("fr"):
        assert f"<h3>{translation.gettext('Researcher')}</h3>" in html
        assert f"<h3>{translation.gettext('INCa staff')}</h3>" not in html


def test_logout_by_get_is_refused_and_keeps_the_session(client, researcher):
    client.force_login(researcher)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(researcher.pk)


def test_logout_by_post_ends_the_session(client, researcher):
    client.force_login(researcher)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts:my_space")).status_code == 302


def test_password_reset_sends_one_mail_with_a_working_link(client, researcher):
    response = client.post(reverse("accounts:password_reset"), {"email": researcher.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [researcher.email]
    link = re.search(r"http://testserver(/account/password/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)

    set_password_page = client.get(link, follow=True)
    assert set_password_page.status_code == 200
    assert set_password_page.context["validlink"] is True
    done = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    researcher.refresh_from_db()
    assert researcher.check_password(NEW_PASSWORD)


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, researcher):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.canceropoles.fr"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize("poles", [1, 3])
def test_my_space_query_count_is_constant(client, researcher, poles, django_assert_num_queries):
    from canceropoles.models import Canceropole

    for pole in Canceropole.objects.order_by("code")[:poles]:
        Membership.objects.create(user=researcher, canceropole=pole, role=Membership.Role.COORDINATOR)
    client.force_login(researcher)

    # session; user; the user's pole roles; memberships with their poles; whether a second factor is set up;
    # the events card: the user's next registrations with their events
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:my_space"))

    assert len(response.context["memberships"]) == poles
