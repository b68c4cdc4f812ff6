"""The demo's public site crawled as a search engine and a citizen would: from the
front page, robots.txt and the sitemap, every internal link answers (no 404, no
500), and one page of each kind passes the Nu Html Checker (vnu) with no error."""

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = ("/arbete/", "/admin/", "/justera/", "/ledamot/", "/konto/", "/logga-", "/sprak/")
LINK = re.compile(r'(?:href|src)="([^"#]+)|<loc>([^<]+)</loc>|^Sitemap: (\S+)', re.M)


def _links(text: str, base: str) -> set[str]:
    found = set()
    for groups in LINK.findall(text):
        link = next(g for g in groups if g).replace("&amp;", "&")
        parts = urlsplit(urljoin(base, link))
        if parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver"):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


START = ("/", "/robots.txt", "/sitemap.xml")


# The demo is the same for every test of this package (each runs in a savepoint of
# the one seeding), so a crawl from the same start is made once for all (the restore
# drill compares its copy with this one too).
_CRAWLED: dict[tuple[str, ...], dict[str, tuple[int, str]]] = {}


def crawl(client, start=START) -> dict[str, tuple[int, str]]:
    """Each internal URL reached: its status and, for HTML, XML and text, its body."""
    if start not in _CRAWLED:
        _CRAWLED[start] = _crawl(client, start)
    return _CRAWLED[start]


def _crawl(client, start) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    todo = list(start)
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        kind = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode() if kind.startswith(("text/", "application/xml")) else ""
        seen[url] = (response.status_code, text)
        todo += sorted(u for u in _links(text, url) - set(seen) if not u.startswith(PRIVATE))
    return seen


def test_every_internal_link_of_the_demo_answers(client, seeded):
    seen = crawl(client)

    broken = {url: status for url, (status, _text) in seen.items() if status >= 400}
    assert broken == {}
    # Every page links the accessibility statement (DOS-lagen) and says whom to reach.
    pages = {url: text for url, (_s, text) in seen.items() if text.lstrip().startswith("<!DOCTYPE")}
    without = [url for url, text in pages.items() if "/tillganglighet/" not in text]
    assert without == []
    norralv = [url for url in pages if url.startswith("/norralv/")]
    assert all("kansliet@norralv.example" in pages[url] for url in norralv)
    kinds = {_kind(url) for url in seen}
    # The walk reached every kind of public page and file.
    assert {
        "accessibility",
        "protocol",
        "paragraph",
        "matter",
        "matters",
        "protocol_pdf",
        "extract",
        "bilaga",
        "handling",
        "year",
        "body",
        "organisation",
        "anslagstavla",
        "search",
        "verify",
        "feed",
        "body_feed",
        "calendar",
        "sitemap",
        "robots",
        "system",
    } <= kinds
    assert len(seen) > 150


def _kind(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "static"
    return match.url_name or "static"


def _vnu_jar() -> Path | None:
    for candidate in (os.environ.get("VNU_JAR"), ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def _vnu_errors(jar: Path, files: list[Path]) -> list[tuple]:
    """The Nu Html Checker's errors in `files`: (file, message, extract)."""
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [
        (Path(m["url"]).stem, m.get("message"), m.get("extract", "")[:80])
        for m in json.loads(result.stderr or '{"messages": []}')["messages"]
        if m["type"] == "error"
    ]


def test_one_page_of_each_kind_passes_the_nu_html_checker(client, seeded, tmp_path):
    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs vnu-jar (.ci/run) and sets VNU_JAR")
        pytest.skip("the Nu Html Checker is not installed: npm install vnu-jar, set VNU_JAR")
    pages = {}
    # A search with results, and the page of an address that is not there, besides
    # what the links reach.
    for url, (status, text) in sorted(crawl(client, (*START, "/sok/?q=budget")).items()):
        if status == 200 and text.lstrip().lower().startswith("<!doctype html"):
            kind = _kind(url)
            if kind == "protocol" and "protokoll.pdf" not in text:
                kind = "coming meeting"  # its agenda as the kallelse sent it
            if kind == "search" and "search-result" in text:
                kind = "search results"
            pages.setdefault(kind, (url, text))
    missing = client.get("/norralv/finns-inte/")
    assert missing.status_code == 404
    pages["not found"] = ("/norralv/finns-inte/", missing.content.decode())
    files = []
    for kind, (_url, text) in sorted(pages.items()):
        files.append(tmp_path / f"{kind}.html")
        files[-1].write_text(text, encoding="utf-8")

    assert _vnu_errors(jar, files) == []
    assert sorted(pages) == [
        "accessibility",
        "anslagstavla",
        "body",
        "coming meeting",
        "home",
        "matter",
        "matters",
        "not found",
        "organisation",
        "paragraph",
        "protocol",
        "search",
        "search results",
        "verify",
        "year",
    ]


# What the people of the demo see logged in (README's table), from their start pages:
# every page their links reach within their own part of the site, GET only.
LOGGED_IN = {
    "marialindqvist": ("/start/", "/ledamot/", "/justera/"),
    "karinholmstrom": ("/ledamot/",),
    "sekreterare": ("/arbete/", "/start/"),
}
NOT_FOLLOWED = re.compile(
    r"logga-ut|/sprak/|\.(pdf|ics|atom|zip|json|csv|txt|docx?|xlsx?|png|jpe?g)$|ladda-ner|"
    r"/admin/|\?"
)


def test_the_pages_members_justerare_and_the_secretary_see_pass_the_nu_html_checker(
    client, seeded, tmp_path
):
    """Issue 32: the logged-in pages too, one of each kind (by the URL's name), with
    no error from the Nu Html Checker."""
    from django.contrib.auth import get_user_model

    from tests.conftest import log_in_with_two_factor

    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs vnu-jar (.ci/run) and sets VNU_JAR")
        pytest.skip("the Nu Html Checker is not installed: npm install vnu-jar, set VNU_JAR")
    pages: dict[str, tuple[str, str]] = {}
    for username, start in LOGGED_IN.items():
        client.logout()
        log_in_with_two_factor(client, get_user_model().objects.get(username=username))
        seen: set[str] = set()
        todo = list(start)
        while todo and len(seen) < 400:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            text = response.content.decode() if not response.streaming else ""
            if response.status_code != 200 or not text.lstrip().lower().startswith("<!doctype"):
                continue
            view = resolve(urlsplit(url).path).view_name
            pages.setdefault(view, (f"{username}-{view.replace(':', '-')}", text))
            todo += sorted(
                u
                for u in _links(text, url) - seen
                if u.startswith(start) and not NOT_FOLLOWED.search(u)
            )
    files = []
    for _view, (name, text) in sorted(pages.items()):
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(text, encoding="utf-8")

    assert _vnu_errors(jar, files) == []
    # The walk reached the pages of each role: justering, member's meetings, workspace.
    reached = set(pages)
    assert {"start", "justering:protocol", "member:meetings", "member:meeting"} <= reached
    assert {"workspace:dashboard", "workspace:meeting", "workspace:legacy_uploads"} <= reached
    assert len(pages) >= 20, " ".join(sorted(pages))
