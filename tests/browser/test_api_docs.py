"""The API documentation page (/api/docs/) in a real browser: accessible at desktop and phone widths,
in the portal's layout with a way back to it, and without any script."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible, assert_no_page_scroll

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_api_docs_page_has_no_serious_or_critical_axe_violation(page, width):
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/api/docs/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation de l'API")
    assert_accessible(page)
    assert_no_page_scroll(page)


def test_api_docs_page_links_back_to_the_portal_and_to_the_schema(page, live_server):
    page.goto("/api/docs/")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("main").get_by_role("link", name="Retour au portail").first.click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_api_docs_page_documents_the_errors_of_an_operation(page):
    page.goto("/api/docs/")

    operation = page.locator(
        "article", has=page.get_by_role("heading", name="POST /api/v1/values/{id}/accept/")
    )
    statuses = operation.get_by_role("table", name="Réponses").get_by_role("rowheader").all_inner_texts()
    assert statuses == ["200", "400", "401", "403", "404", "415", "429"]
    assert page.locator("script:not([src])").count() == 0  # the layout's script files only, none inline
