"""Two-factor authentication in a real browser: forced enrolment of an INCa account with the key shown on the
page, a login with a code from it, then a login with a recovery code; under the Content Security Policy."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import (
    EMAIL_LABEL,
    LOGIN_BUTTON,
    LOGIN_PATH,
    PASSWORD_LABEL,
    SECOND_FACTOR_PATH,
    enter_second_factor,
)
from tests.second_factor import totp_code

pytestmark = pytest.mark.browser


def _password_step(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    main = page.get_by_role("main")
    main.get_by_label(EMAIL_LABEL).fill(email)
    main.get_by_label(PASSWORD_LABEL).fill(settings.DEMO_PASSWORD)
    with page.expect_navigation():
        main.get_by_role("button", name=LOGIN_BUTTON).click()


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()


def test_inca_staff_enrols_then_logs_in_with_a_code_and_with_a_recovery_code(page, live_server, inca_staff):
    # First login: the account must enrol, and every page leads back to the enrolment.
    _password_step(page, live_server, inca_staff.email)
    expect(page).to_have_url(f"{live_server.url}/account/2fa/totp/activate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("alert")).to_contain_text("il doit utiliser un second facteur")
    expect(page.get_by_role("img", name="QR code contenant la clé ci-dessous")).to_be_visible()
    page.goto("/cop/review/")
    expect(page).to_have_url(f"{live_server.url}/account/2fa/totp/activate/")
    page.screenshot(path=settings.BASE_DIR / "test-results" / "second_factor_enrol.png", full_page=True)

    # The key shown on the page, typed into an authenticator app: its current code activates the factor.
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_role("main").get_by_label("Code de l'authentificateur").fill(totp_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    codes = page.get_by_role("list", name="Codes de secours inutilisés").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text().strip()
    page.get_by_role("link", name="Retour à mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_text("La double authentification est activée")).to_be_visible()
    _log_out(page)

    # Second login: password, then the code the app shows now.
    _password_step(page, live_server, inca_staff.email)
    expect(page).to_have_url(f"{live_server.url}{SECOND_FACTOR_PATH}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    page.screenshot(path=settings.BASE_DIR / "test-results" / "second_factor_code.png", full_page=True)
    enter_second_factor(page, totp_code(secret))
    expect(page).to_have_url(f"{live_server.url}/account/")
    page.goto("/cop/review/")
    expect(page).to_have_url(f"{live_server.url}/cop/review/")
    _log_out(page)

    # Third login: the phone is lost, a recovery code stands in for the app's code, once.
    _password_step(page, live_server, inca_staff.email)
    enter_second_factor(page, recovery_code)
    expect(page).to_have_url(f"{live_server.url}/account/")
    page.goto("/account/2fa/")
    expect(page.get_by_text("9 codes sur 10 restent inutilisés.")).to_be_visible()
    _log_out(page)
    _password_step(page, live_server, inca_staff.email)
    enter_second_factor(page, recovery_code)
    expect(page).to_have_url(f"{live_server.url}{SECOND_FACTOR_PATH}")
    expect(page.locator(".errorlist")).to_be_visible()
