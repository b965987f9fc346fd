"""Shared Playwright helpers: Debian chromium, loopback-only pages, and axe-core checks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE_CANDIDATES = [
    os.environ.get("AXE_CORE_JS", ""),
    str(Path.home() / ".cache" / "tellsafe-npm" / "node_modules" / "axe-core" / "axe.min.js"),
    str(Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"),
]
#: WCAG 2.1 A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Debian chromium at /usr/bin/chromium (apt-get install chromium)",
)


def axe_path() -> str:
    """The axe-core script (fails the test with how to install it when missing)."""
    found = next((path for path in AXE_CANDIDATES if path and Path(path).exists()), None)
    assert found, (
        "axe-core not found: npm install --prefix ~/.cache/tellsafe-npm axe-core@4 "
        "(or set AXE_CORE_JS)"
    )
    return found


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian chromium that cannot resolve anything but loopback."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def loopback_page(browser: Any, *, bypass_csp: bool = False) -> Iterator[Any]:
    """A page in a fresh context whose requests may reach loopback only.

    ``bypass_csp`` lets axe be injected as an inline script, which the pages' own
    Content-Security-Policy rightly refuses.
    """
    context = browser.new_context(bypass_csp=bypass_csp)
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
    assert outside == [], f"the page tried to reach beyond loopback: {outside}"


def axe_violations(page: Any) -> list[str]:
    """Run axe-core (WCAG 2.1 AA) on the current page; ``id: node count`` per violation."""
    page.add_script_tag(path=axe_path())
    result: list[str] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => v.id + ': ' + v.nodes.length + ' '
                + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '));
        }""",
        AXE_TAGS,
    )
    return result
