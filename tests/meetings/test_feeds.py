import datetime
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

PROTOCOL = "/norrbotten/arbetsutskott/2021-09-27/"


def test_nothing_unpublished_is_in_the_feeds_or_the_sitemap(client, justerat, au):
    factories.meeting(au, datetime.date(2021, 10, 4), status="genomfort")

    for url in (
        "/norrbotten/flode.atom",
        "/norrbotten/arbetsutskott/flode.atom",
        "/sitemap.xml",
        "/sitemap-protocols.xml",
        "/sitemap-paragraphs.xml",
    ):
        body = client.get(url).content.decode()
        assert "2021-09-27" not in body, url
        assert "2021-10-04" not in body, url


def _sitemaps(client, **headers) -> str:
    """The sitemap index and every sitemap it names, as one text."""
    index = client.get("/sitemap.xml", **headers).content.decode()
    texts = [index]
    for url in re.findall(r"<loc>([^<]+)</loc>", index):
        parts = urlsplit(url)
        texts.append(
            client.get(parts.path, dict(parse_qsl(parts.query)), **headers).content.decode()
        )
    return "\n".join(texts)


def test_the_calendar_lists_called_meetings_without_their_agenda(client, au):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    m = factories.meeting(au, soon, place="Framnäs folkhögskola, Älvsbyn")
    from meetings.actions import services

    services.add_item(m, section="beslut", title="Hemligt förslag")
    factories.called(m)
    factories.called(factories.meeting(au, soon + datetime.timedelta(days=7), status="installt"))
    # Planned, not called: the public knows nothing of it yet.
    factories.meeting(au, soon + datetime.timedelta(days=14), place="Kansliet")

    response = client.get("/norrbotten/arbetsutskott/sammantraden.ics")

    text = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.count("BEGIN:VEVENT") == 1
    assert f"DTSTART;TZID=Europe/Stockholm:{soon:%Y%m%d}T090000" in text
    assert "LOCATION:Framnäs folkhögskola\\, Älvsbyn" in text
    assert "SUMMARY:Arbetsutskottet\\, Samordningsförbundet Norrbotten" in text
    assert f"URL:http://testserver{m.get_absolute_url()}" in text.replace("\r\n ", "")
    assert "Hemligt förslag" not in text
    assert text.endswith("END:VCALENDAR\r\n")


def test_robots_allows_the_archive_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()

    assert text.splitlines() == [
        "User-agent: *",
        "Disallow: /arbete/",
        "Disallow: /ledamot/",
        "Disallow: /justera/",
        "Disallow: /admin/",
        "Disallow: /konto/",
        "Disallow: /logga-in/",
        "Allow: /",
        "Sitemap: http://testserver/sitemap.xml",
    ]
