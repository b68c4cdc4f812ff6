import datetime

import pytest
from django.utils import timezone

from meetings import publication
from tests import factories

pytestmark = pytest.mark.django_db

PROTOCOL = "/norrbotten/arbetsutskott/2021-09-27/"


@pytest.fixture
def published(justerat):
    publication.publish(justerat, by=None)
    return justerat


@pytest.mark.parametrize("url", ["/norrbotten/flode.atom", "/norrbotten/arbetsutskott/flode.atom"])
def test_the_atom_feeds_list_published_protocols(client, published, url):
    response = client.get(url)

    xml = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f"http://testserver{PROTOCOL}" in xml
    assert "<title>Arbetsutskottet 2021-09-27</title>" in xml


def test_nothing_unpublished_is_in_the_feeds_or_the_sitemap(client, justerat, au):
    factories.meeting(au, datetime.date(2021, 10, 4), status="genomfort")

    for url in ("/norrbotten/flode.atom", "/norrbotten/arbetsutskott/flode.atom", "/sitemap.xml"):
        body = client.get(url).content.decode()
        assert "2021-09-27" not in body, url
        assert "2021-10-04" not in body, url


def test_the_sitemap_lists_organisations_and_protocols(client, published):
    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/norrbotten/</loc>" in xml
    assert f"<loc>http://testserver{PROTOCOL}</loc>" in xml


def test_the_calendar_lists_upcoming_meetings_without_their_agenda(client, au):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    m = factories.meeting(au, soon, place="Framnäs folkhögskola, Älvsbyn")
    from meetings import services

    services.add_item(m, section="beslut", title="Hemligt förslag")
    factories.meeting(au, soon + datetime.timedelta(days=7), status="installt")

    response = client.get("/norrbotten/arbetsutskott/sammantraden.ics")

    text = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.count("BEGIN:VEVENT") == 1
    assert f"DTSTART;TZID=Europe/Stockholm:{soon:%Y%m%d}T090000" in text
    assert "LOCATION:Framnäs folkhögskola\\, Älvsbyn" in text
    assert "Hemligt förslag" not in text
    assert text.endswith("END:VCALENDAR\r\n")


def test_feeds_of_what_does_not_exist_are_404(client, published):
    for url in ("/finns-inte/flode.atom", "/norrbotten/finns-inte/flode.atom",
                "/norrbotten/finns-inte/sammantraden.ics"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_addresses_and_ids_are_the_sites_own_whatever_the_host(client, published, settings):
    settings.SITE_URL = "https://protokoll.example.se"
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    for host in ("testserver", "other.example"):
        for url in ("/norrbotten/flode.atom", "/sitemap.xml", "/robots.txt",
                    "/norrbotten/arbetsutskott/sammantraden.ics", "/oparl/v1/system",
                    f"/oparl/v1/meeting/{published.pk}"):  # fmt: skip
            body = client.get(url, HTTP_HOST=host).content.decode()
            assert host not in body, (url, host)
        atom = client.get("/norrbotten/flode.atom", HTTP_HOST=host).content.decode()
        assert f"<id>https://protokoll.example.se{PROTOCOL}</id>" in atom
        assert 'href="https://protokoll.example.se/norrbotten/flode.atom"' in atom
        sitemap = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
        assert f"<loc>https://protokoll.example.se{PROTOCOL}</loc>" in sitemap


def test_robots_allows_the_archive_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()

    assert text.splitlines() == [
        "User-agent: *", "Disallow: /arbete/", "Disallow: /ledamot/", "Disallow: /justera/",
        "Disallow: /admin/", "Disallow: /konto/", "Disallow: /logga-in/", "Allow: /",
        "Sitemap: http://testserver/sitemap.xml",
    ]  # fmt: skip
