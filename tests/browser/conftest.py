"""Browser tests: Playwright for Python (sync API) driving Debian's Chromium against a live test server.

- ``browser``: one headless Chromium for the whole session, at ``$CHROMIUM_PATH`` (default
  ``/usr/bin/chromium``). Playwright's own browser downloads are never used. Without Chromium the
  tests are skipped, or fail under ``CI=true``.
- ``page``: a fresh browser context per test (no cookies, no storage) with the ``en-US`` locale on
  purpose: the portal must still answer in French until the visitor switches language.
- ``login(page, live_server, user)``: signs in through the real login form, then enters the code of the
  account's authenticator app when it has one (computed from its key, as the app would).

Every page runs under the portal's Content Security Policy, and a test fails when the browser reports any
violation of it (the ``page`` fixture listens to the console and to ``securitypolicyviolation`` events).

The live server runs in a thread on pytest-django's transactional database: rows a test creates are
committed, so the server sees them, and the database is flushed afterwards. Mark every browser test
``@pytest.mark.browser``. When a test fails, a full-page screenshot is saved under ``test-results/``.
"""

import os
import re
from pathlib import Path

import pytest
import rules
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

from accounts.models import User
from tests.conftest import require
from tests.second_factor import enrol, secret_of, totp_code

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-results"

LOGIN_PATH = "/account/login/"
# Django's forms end labels with a colon (" :" in French).
EMAIL_LABEL = re.compile(r"^(Adresse e-mail|E-mail address)\s*:?$")
PASSWORD_LABEL = re.compile(r"^(Mot de passe|Password)\s*:?$")
LOGIN_BUTTON = re.compile(r"^(Se connecter|Log in)$")
SECOND_FACTOR_PATH = "/account/2fa/authenticate/"
CODE_LABEL = re.compile(r"^Code\s*:?$")

# Reports every CSP violation of the page to the console, in a form the fixture recognises; Chromium also
# logs its own "Refused to …" message, which the fixture catches as well.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const element = event.target instanceof Element ? ` on ${event.target.outerHTML.slice(0, 120)}` : "";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}${element}`);
});
"""


_watched_pages: list[Page] = []


def csp_violations(page: Page) -> list[str]:
    """The CSP violations the browser reported on this page so far."""
    return page._csp_violations


def watch_csp(page: Page) -> None:
    """Collect the CSP violations of ``page``; the test fails at its end if there are any."""
    if hasattr(page, "_csp_violations"):
        return
    _watched_pages.append(page)
    page._csp_violations = []
    page.context.add_init_script(CSP_LISTENER)

    def on_console(message):
        text = message.text
        if text.startswith("CSP violation:") or "Content Security Policy" in text:
            page._csp_violations.append(text)

    page.on("console", on_console)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the ``page`` fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    available = os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)
    require(available, f"Chromium (CHROMIUM_PATH={CHROMIUM_PATH})")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, request) -> Page:
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    watch_csp(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    """Fails a browser test on any CSP violation reported in a page it used (the ``page`` fixture's, and
    every page that went through ``login``)."""
    _watched_pages.clear()
    yield
    violations = [text for page in _watched_pages for text in csp_violations(page)]
    _watched_pages.clear()
    if violations and not request.node.get_closest_marker("csp_violations_expected"):
        pytest.fail("Content Security Policy violations:\n" + "\n".join(violations), pytrace=False)


def login(page: Page, live_server, user, *, password: str | None = None) -> None:
    """Sign ``user`` (a User or an e-mail address) in through the login form, then land on "my space".

    The password defaults to ``settings.DEMO_PASSWORD``: the one of the test personas and of the
    accounts ``seed_demo`` creates. An account that must have a second factor and has none is enrolled
    first (tests.second_factor.enrol); the code is then computed from the account's key.
    """
    email = getattr(user, "email", user)
    account = User.objects.get(email=email.lower())
    if rules.test_rule("accounts.second_factor_required", account) and not is_mfa_enabled(account):
        # INCa staff, directors and administrators have a second factor: give the persona one.
        enrol(account)
    watch_csp(page)
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    main = page.get_by_role("main")
    main.get_by_label(EMAIL_LABEL).fill(email)
    main.get_by_label(PASSWORD_LABEL).fill(password or settings.DEMO_PASSWORD)
    with page.expect_navigation():
        main.get_by_role("button", name=LOGIN_BUTTON).click()
    if page.url.startswith(f"{live_server.url}{LOGIN_PATH}"):
        errors = page.locator(".form-errors").all_inner_texts()
        raise AssertionError(f"Login as {email} failed: {' '.join(errors) or 'still on the login page'}")
    if page.url.startswith(f"{live_server.url}{SECOND_FACTOR_PATH}"):
        enter_second_factor(page, totp_code(secret_of(account)))


def enter_second_factor(page: Page, code: str) -> None:
    """Fill the second step of the login with ``code`` (from the app, or a recovery code) and submit it."""
    main = page.get_by_role("main")
    main.get_by_label(CODE_LABEL).fill(code)
    with page.expect_navigation():
        main.get_by_role("button", name=LOGIN_BUTTON).click()
