"""The Content Security Policy in a real browser: the pages work under it, and the suite notices a
violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import csp_violations, login

pytestmark = pytest.mark.browser

STRICT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"


@pytest.mark.csp_violations_expected
def test_page_fixture_collects_the_violations_of_inline_style_and_script(page, live_server):
    page.route(
        f"{live_server.url}/csp-probe",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": STRICT_POLICY},
            body='<p style="color: red">x</p><script>document.title = "ran"</script>',
        ),
    )

    page.goto("/csp-probe")

    expect(page).not_to_have_title("ran")
    page.wait_for_timeout(200)
    violations = csp_violations(page)
    assert len([v for v in violations if v.startswith("CSP violation: style-src-attr")]) == 1
    assert len([v for v in violations if v.startswith("CSP violation: script-src-elem")]) == 1


def test_api_documentation_renders_under_the_policy(page):
    page.goto("/api/docs/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation de l'API")
    expect(page.get_by_text("/api/v1/canceropoles/", exact=True)).to_be_visible()


def test_pages_of_an_inca_account_show_no_violation(page, live_server, inca_staff, pole_a):
    login(page, live_server, inca_staff)

    for path in [
        "/",
        f"/poles/{pole_a.code}/",
        "/account/",
        "/account/2fa/",
        "/account/2fa/recovery-codes/",
        "/account/password/change/",
        "/cop/dashboard/",
        "/cop/review/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'"), path
        expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_anonymous_pages_show_no_violation(page):
    for path in ["/", "/account/login/", "/account/password/reset/", "/cop/dashboard/"]:
        response = page.goto(path)

        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
