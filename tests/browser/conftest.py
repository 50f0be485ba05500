"""Browser tests: Playwright for Python (sync API) driving Debian's Chromium against a live test server.

- ``browser``: one headless Chromium for the whole session, at ``$CHROMIUM_PATH`` (default
  ``/usr/bin/chromium``). Playwright's own browser downloads are never used. Without Chromium the
  tests are skipped, or fail under ``CI=true``.
- ``page``: a fresh browser context per test (no cookies, no storage) with the ``en-US`` locale on
  purpose: the portal must still answer in French until the visitor switches language.
- ``login(page, live_server, user)``: signs in through the real login form.

The live server runs in a thread on pytest-django's transactional database: rows a test creates are
committed, so the server sees them, and the database is flushed afterwards. Mark every browser test
``@pytest.mark.browser``. When a test fails, a full-page screenshot is saved under ``test-results/``.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import require

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
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{request.node.name}.png", full_page=True)
    context.close()


def login(page: Page, live_server, user, *, password: str | None = None) -> None:
    """Sign ``user`` (a User or an e-mail address) in through the login form, then land on "my space".

    The password defaults to ``settings.DEMO_PASSWORD``: the one of the test personas and of the
    accounts ``seed_demo`` creates.
    """
    email = getattr(user, "email", user)
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    main = page.get_by_role("main")
    main.get_by_label(EMAIL_LABEL).fill(email)
    main.get_by_label(PASSWORD_LABEL).fill(password or settings.DEMO_PASSWORD)
    with page.expect_navigation():
        main.get_by_role("button", name=LOGIN_BUTTON).click()
    if page.url.startswith(f"{live_server.url}{LOGIN_PATH}"):
        errors = page.locator(".form-errors").all_inner_texts()
        raise AssertionError(f"Login as {email} failed: {' '.join(errors) or 'still on the login page'}")
