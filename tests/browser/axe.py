"""Accessibility checks for browser tests: axe-core (bundled by ``axe-playwright-python``) and page width.

``assert_accessible(page)`` runs axe-core on the page as it stands and fails with the list of serious and
critical violations (rule, impact, help, the offending elements). Minor and moderate findings are
reported by axe but do not fail the test: the portal's bar is "no serious or critical violation".

``assert_no_page_scroll(page)`` fails when the page itself scrolls sideways: wide tables must sit in
their own scroll region (``<div class="table-scroll" tabindex="0" role="region" aria-label=…>``), so
only that region scrolls on a phone.

Both work on the page the test has navigated to; call them at each width the test checks::

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/cop/dashboard/")
    assert_accessible(page)
    assert_no_page_scroll(page)
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

FAILING_IMPACTS = ("serious", "critical")
_AXE = Axe()


def axe_violations(page: Page, *, context: str | None = None, impacts=FAILING_IMPACTS) -> list[dict]:
    """The axe-core violations of ``page`` (or of the ``context`` selector) whose impact is in ``impacts``."""
    results = _AXE.run(page, context=context, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"][:10]:
            target = ", ".join(str(t) for t in node["target"])
            lines.append(f"    {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(page: Page, *, context: str | None = None) -> None:
    """Fail listing every serious or critical axe-core violation of ``page`` (at its current size)."""
    violations = axe_violations(page, context=context)
    if violations:
        size = page.viewport_size or {}
        raise AssertionError(
            f"{len(violations)} serious or critical accessibility violation(s) on {page.url} "
            f"at {size.get('width')}x{size.get('height')}:\n{format_violations(violations)}"
        )


def page_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it does not scroll sideways)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def assert_no_page_scroll(page: Page) -> None:
    """Fail when the page scrolls horizontally; naming the widest elements that stick out of the viewport."""
    overflow = page_overflow(page)
    if overflow > 0:
        culprits = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const out = [];
                for (const el of document.body.querySelectorAll('*')) {
                    const box = el.getBoundingClientRect();
                    if (box.right <= width + 1) continue;
                    const positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
                    // Inside a table region only absolutely positioned elements can push the page.
                    if (el.closest('[role=region][tabindex]') && !positioned) continue;
                    const cls = typeof el.className === 'string' && el.className
                        ? '.' + el.className.split(' ').join('.') : '';
                    const id = el.id ? '#' + el.id : '';
                    const how = positioned ? ' (positioned)' : '';
                    out.push(`${el.tagName.toLowerCase()}${id}${cls}${how} right=${Math.round(box.right)}`);
                }
                return out.slice(0, 10);
            }"""
        )
        raise AssertionError(
            f"{page.url} scrolls sideways by {overflow}px at width {page.viewport_size['width']}; "
            f"elements past the edge outside a table region: {culprits}"
        )
