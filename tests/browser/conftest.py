"""Playwright (Python) driving Debian's chromium, headless, against live_server.

Never `playwright install`: the browser is the system's /usr/bin/chromium, which
.ci/run installs with apt.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser_page(live_server):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe here, so Django's async guard is lifted for it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        # bypass_csp: axe-core is injected as an inline script, which the site's own
        # CSP (tested separately) rightly forbids.
        context = browser.new_context(locale="sv-SE", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        # Under Playwright's greenlets the test body may have opened a connection of
        # its own (Django keeps connections per context); close it here, or
        # PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
