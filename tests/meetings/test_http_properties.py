"""Issue 32, HTTP: each header and compression property an independent check read,
over one published protocol (built once for the module)."""

import datetime
import gzip
import re

import brotli
import pytest
from django.utils import timezone
from django.utils.http import http_date

from tests import factories
from tests.conftest import published_world_fixtures
from tests.meetings.test_feeds import PROTOCOL

published_world_fixtures(globals())

FEED = "/norrbotten/flode.atom"


def test_static_files_have_the_security_headers_and_come_compressed(client, settings, tmp_path):
    """Each text file is served gzip- or Brotli-compressed as asked (the copies made
    once, in STATIC_ROOT), and the security headers are on static files too."""
    settings.STATIC_ROOT = tmp_path / "static"
    plain = (settings.BASE_DIR / "static" / "css" / "paragraf.css").read_bytes()

    br = client.get("/static/css/paragraf.css", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    gz = client.get("/static/css/paragraf.css", HTTP_ACCEPT_ENCODING="gzip")
    raw = client.get("/static/css/paragraf.css")

    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(br.streaming_content)) == plain
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gz.streaming_content)) == plain
    assert "Content-Encoding" not in raw
    for response in (br, raw):
        assert response["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "Accept-Encoding" in response["Vary"]


def test_the_favicon_is_served_at_the_root_and_named_by_every_page(client, published):
    icon = client.get("/favicon.ico")
    page = client.get("/").content.decode()

    assert icon.status_code == 200
    assert icon["Content-Type"] in ("image/vnd.microsoft.icon", "image/x-icon")
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert client.get("/static/favicon.svg").status_code == 200


def test_public_pages_have_a_meta_description_of_their_own(client, published):
    home = client.get("/").content.decode()
    protocol = client.get(PROTOCOL).content.decode()
    paragraph = client.get(f"{PROTOCOL}p1/").content.decode()

    description = re.compile(r'<meta name="description" content="([^"]+)">')
    assert description.search(home)[1].startswith("Offentliga organs justerade protokoll")
    assert description.search(protocol)[1] == (
        "Justerat protokoll från sammanträdet med Arbetsutskottet, Samordningsförbundet "
        "Norrbotten, den 27 september 2021: närvaro, paragrafer och beslut."
    )
    assert description.search(paragraph)[1].startswith("§ 1 ")


def test_the_atom_feed_is_compressed_and_answers_if_modified_since(client, published):
    first = client.get(FEED, HTTP_ACCEPT_ENCODING="br")
    last_modified = first["Last-Modified"]

    assert first.status_code == 200
    assert first["Content-Encoding"] == "br"
    assert b"<feed" in brotli.decompress(first.content)
    assert "public" in first["Cache-Control"]
    assert last_modified == http_date(published.justerat_at.timestamp())
    # A reader that has it gets a 304 and no body; one with an older copy, the feed.
    unchanged = client.get(FEED, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    older = http_date((published.justerat_at - datetime.timedelta(days=1)).timestamp())
    assert client.get(FEED, HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    assert client.get(FEED, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_the_calendar_is_compressed_and_its_dtstamp_is_the_last_change(client, au):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    meeting = factories.meeting(au, soon, place="Kansliet")
    factories.called(meeting)
    sent = meeting.kallelser.latest("created").created
    url = "/norrbotten/arbetsutskott/sammantraden.ics"

    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    text = gzip.decompress(first.content).decode()
    again = client.get(url).content.decode()

    assert first["Content-Encoding"] == "gzip"
    stamp = f"DTSTAMP:{sent.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    assert stamp in text and stamp in again  # the same on every fetch
    assert first["Last-Modified"] == http_date(sent.timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_logged_in_page_is_never_compressed(secretary_client, published):
    """BREACH: a page with a CSRF token or a person's own data stays uncompressed."""
    response = secretary_client.get("/arbete/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response.status_code == 200
    assert "Content-Encoding" not in response
