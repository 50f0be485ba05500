"""The accessibility helpers fail on what they must catch, and pass a clean page."""

import pytest

from tests.browser.axe import assert_accessible, assert_no_page_scroll

pytestmark = pytest.mark.browser

CLEAN = (
    '<!doctype html><html lang="fr"><head><title>Essai</title></head>'
    "<body><main><h1>Essai</h1><p>Texte.</p></main></body></html>"
)


def test_assert_accessible_passes_a_clean_page(page):
    page.set_content(CLEAN)

    assert_accessible(page)


def test_assert_accessible_fails_listing_a_critical_violation(page):
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>Essai</title></head>'
        '<body><main><h1>Essai</h1><img src="data:," id="no-alt"></main></body></html>'
    )

    with pytest.raises(AssertionError, match=r"image-alt \(critical\)[\s\S]*#no-alt"):
        assert_accessible(page)


def test_assert_no_page_scroll_fails_on_a_wide_block_and_passes_a_table_region(page):
    page.set_viewport_size({"width": 390, "height": 800})
    wide = '<div id="wide" style="width:900px">x</div>'
    region = (
        '<div role="region" tabindex="0" aria-label="t" style="overflow-x:auto">'
        '<div style="width:900px">x</div></div>'
    )

    page.set_content(f"<!doctype html><html><body>{region}</body></html>")
    assert_no_page_scroll(page)
    page.set_content(f"<!doctype html><html><body>{wide}</body></html>")
    with pytest.raises(AssertionError, match=r"div#wide"):
        assert_no_page_scroll(page)
