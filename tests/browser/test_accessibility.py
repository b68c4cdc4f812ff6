"""Every kind of public page, opened in chromium and checked with axe-core (the npm
package's axe.min.js, as shipped inside axe-playwright-python): no violation of the
WCAG 2.1 A and AA rules."""

from pathlib import Path

import axe_playwright_python
import pytest

from meetings import publication

pytestmark = pytest.mark.browser

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
BASE = "/norrbotten/arbetsutskott/2021-09-27/"
PAGES = [
    "/", "/norrbotten/", "/norrbotten/anslagstavla/", "/norrbotten/arbetsutskott/",
    "/norrbotten/arbetsutskott/2021/", BASE, BASE + "p4/", "/verifiera/", "/logga-in/",
    "/sok/?q=tj%C3%A4nstek%C3%B6pet",
]  # fmt: skip


@pytest.fixture
def published(live_server, justerat):
    # Sealing (pyHanko) runs its own event loop: it must happen before the browser's.
    publication.publish(justerat, by=None)
    return justerat


def test_public_pages_have_no_accessibility_violations(published, live_server, browser_page):
    page = browser_page
    problems = {}

    for url in PAGES:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
            for v in result["violations"]
        ]
        if violations:
            problems[url] = violations
        assert result["passes"], url  # axe really ran

    assert problems == {}
