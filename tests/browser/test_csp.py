"""The site works under its own Content-Security-Policy: chromium, enforcing it,
reports no violation on the public pages or the secretary's agenda."""

import pytest
from django.urls import reverse

from meetings.actions import publication

pytestmark = pytest.mark.browser


@pytest.fixture
def published(live_server, justerat):
    publication.publish(justerat, by=None)  # sealing runs before the browser's loop
    return justerat


def test_no_page_breaks_the_content_security_policy(
    published, live_server, browser_page, secretary
):
    context = browser_page.context.browser.new_context(locale="sv-SE")  # CSP enforced
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    urls = [
        "/",
        "/norrbotten/",
        "/norrbotten/arbetsutskott/2021-09-27/",
        "/sok/?q=beslut",
        "/verifiera/",
        "/logga-in/",
    ]
    for url in urls:
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", url

    page.goto(f"{live_server.url}/logga-in/")
    page.fill("#id_username", "asa")
    page.fill("#id_password", "hemligt-lösenord-1")
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("workspace:meeting", args=[published.pk]))
    # Bootstrap's stylesheet applied (from 'self'): the buttons are styled.
    assert page.evaluate("getComputedStyle(document.querySelector('.btn')).borderRadius") != "0px"
    context.close()

    assert violations == []
