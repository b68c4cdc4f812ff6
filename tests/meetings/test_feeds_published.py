"""Feeds, the sitemap and robots over one published protocol, built once for the
module (each test in a savepoint of its own). Cases that need rows of their own are
in test_feeds."""

import re

import pytest

from tests.conftest import published_world_fixtures
from tests.meetings.test_feeds import PROTOCOL, _sitemaps

published_world_fixtures(globals())


@pytest.mark.parametrize("url", ["/norrbotten/flode.atom", "/norrbotten/arbetsutskott/flode.atom"])
def test_the_atom_feeds_list_published_protocols(client, published, url):
    response = client.get(url)

    xml = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f"http://testserver{PROTOCOL}" in xml
    assert "<title>Arbetsutskottet 2021-09-27</title>" in xml


def test_the_sitemap_lists_organisations_anslagstavlor_protocols_and_paragraphs(
    client, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        index = client.get("/sitemap.xml").content.decode()
    xml = _sitemaps(client)

    assert index.count("<sitemap>") == 3
    assert "<loc>http://testserver/sitemap-paragraphs.xml</loc>" in index
    assert "<loc>http://testserver/norrbotten/</loc>" in xml
    assert "<loc>http://testserver/norrbotten/anslagstavla/</loc>" in xml
    assert f"<loc>http://testserver{PROTOCOL}</loc>" in xml
    numbers = published.paragraphs.values_list("number", flat=True)
    assert all(f"<loc>http://testserver{PROTOCOL}p{n}/</loc>" in xml for n in numbers)


def test_a_large_archive_has_a_sitemap_page_for_every_five_thousand_addresses(
    client, published, monkeypatch
):
    from meetings.public.feeds import ParagraphSitemap

    monkeypatch.setattr(ParagraphSitemap, "limit", 2)
    index = client.get("/sitemap.xml").content.decode()
    pages = published.paragraphs.count() // 2 + (published.paragraphs.count() % 2 > 0)

    assert index.count("sitemap-paragraphs.xml") == pages
    assert f"sitemap-paragraphs.xml?p={pages}</loc>" in index
    assert client.get("/sitemap-paragraphs.xml", {"p": pages}).status_code == 200


def test_the_feed_names_its_author_and_a_rattelse_updates_the_entry(client, published, secretary):
    from meetings.actions import justering, rattelse

    atom = client.get("/norrbotten/flode.atom").content.decode()
    assert "<author><name>Samordningsförbundet Norrbotten</name></author>" in atom
    justerat = re.search(r"<entry>.*?<updated>([^<]+)</updated>", atom, re.S).group(1)

    correction = rattelse.propose(
        published, text="§ 4: rätt år är 2022.", paragraph=None, by=secretary
    )
    for person in justering.approvers(published):
        person.refresh_from_db()
        rattelse.approve(correction, person, user=person.user)

    atom = client.get("/norrbotten/flode.atom").content.decode()
    updated = re.search(r"<entry>.*?<updated>([^<]+)</updated>", atom, re.S).group(1)
    assert updated > justerat


def test_feeds_of_what_does_not_exist_are_404(client, published):
    for url in (
        "/finns-inte/flode.atom",
        "/norrbotten/finns-inte/flode.atom",
        "/norrbotten/finns-inte/sammantraden.ics",
    ):
        assert client.get(url).status_code == 404, url


def test_addresses_and_ids_are_the_sites_own_whatever_the_host(client, published, settings):
    settings.SITE_URL = "https://protokoll.example.se"
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    for host in ("testserver", "other.example"):
        for url in (
            "/norrbotten/flode.atom",
            "/sitemap.xml",
            "/robots.txt",
            "/norrbotten/arbetsutskott/sammantraden.ics",
            "/oparl/v1/system",
            f"/oparl/v1/meeting/{published.pk}",
        ):
            body = client.get(url, HTTP_HOST=host).content.decode()
            assert host not in body, (url, host)
        atom = client.get("/norrbotten/flode.atom", HTTP_HOST=host).content.decode()
        assert f"<id>https://protokoll.example.se{PROTOCOL}</id>" in atom
        assert 'href="https://protokoll.example.se/norrbotten/flode.atom"' in atom
        sitemap = _sitemaps(client, HTTP_HOST=host)
        assert f"<loc>https://protokoll.example.se{PROTOCOL}</loc>" in sitemap
