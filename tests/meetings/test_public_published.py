"""The public archive over one published protocol, built once for the module (each
test in a savepoint of its own): stable addresses, files, caching headers, constant
queries. Cases that need a protocol of their own (unpublished, scheduled,
confidential) are in test_public."""

import datetime
import io

import pytest
from django.utils import timezone

from meetings.actions import publication
from tests.conftest import archive_unlocked, published_world_fixtures
from tests.meetings.test_public import BASE, PUBLIC_PAGES, queries

published_world_fixtures(globals())


def test_the_protocol_has_a_readable_permanent_address(client, published):
    html = client.get(BASE).content.decode()

    assert "<h1>Protokoll: Arbetsutskottet 27 september 2021</h1>" in html
    assert "§ 4 Tjänsteköp Samordnare" in html
    assert "Förslag till styrelsen" in html
    assert "Bengt-Åke Strand, Region Norrbotten" in html
    assert html.count("<h1>") == 1
    assert '<html lang="sv">' in html
    # The heading names the whole table under it: day, place, time, who (issue 29, 16).
    head = html.index("<h2>Tid, plats och närvaro</h2>")
    assert head < html.index('<th scope="row">Datum</th>') < html.index("Bengt-Åke Strand")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/norrbotten/",
        "/norrbotten/anslagstavla/",
        "/norrbotten/arbetsutskott/",
        "/norrbotten/arbetsutskott/2021/",
        BASE,
        BASE + "p4/",
        BASE + "protokoll.pdf",
    ],
)
def test_every_kind_of_public_page_answers(client, published, url):
    assert client.get(url).status_code == 200


def test_the_pdf_is_the_sealed_file_with_etag_and_a_304_on_revalidation(client, published):
    response = client.get(BASE + "protokoll.pdf")
    body = b"".join(response.streaming_content)

    assert body == published.public_version.pdf.open("rb").read()
    assert response["ETag"] == f'"{published.public_version.sha256}"'
    again = client.get(BASE + "protokoll.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # The 304 says again what a cache needs (RFC 9110 15.4.5).
    assert again["ETag"] == response["ETag"]
    assert again["Cache-Control"] == response["Cache-Control"] == "public, max-age=86400"
    assert again["Access-Control-Allow-Origin"] == "*"


def test_the_pdf_answers_byte_ranges(client, published):
    whole = published.public_version.pdf.open("rb").read()
    etag = f'"{published.public_version.sha256}"'
    url = BASE + "protokoll.pdf"

    first = client.get(url, HTTP_RANGE="bytes=0-99")
    last = client.get(url, HTTP_RANGE="bytes=-50")
    rest = client.get(url, HTTP_RANGE=f"bytes={len(whole) - 10}-")
    outside = client.get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    other_version = client.get(url, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE='"another"')
    same_version = client.get(url, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=etag)

    assert client.get(url)["Accept-Ranges"] == "bytes"
    assert (first.status_code, first.content) == (206, whole[:100])
    assert first["Content-Range"] == f"bytes 0-99/{len(whole)}"
    assert first["ETag"] == etag
    assert (last.status_code, last.content) == (206, whole[-50:])
    assert (rest.status_code, rest.content) == (206, whole[-10:])
    assert (outside.status_code, outside["Content-Range"]) == (416, f"bytes */{len(whole)}")
    assert other_version.status_code == 200
    assert b"".join(other_version.streaming_content) == whole
    assert (same_version.status_code, same_version.content) == (206, whole[:100])


def test_a_published_protocol_stays_published_on_its_day(client, published):
    from meetings.actions.justering import JusteringError

    later = timezone.localdate() + datetime.timedelta(days=200)
    with pytest.raises(JusteringError, match="Protokollet är redan publicerat, sedan"):
        publication.publish(published, on=later, by=None)

    published.refresh_from_db()
    assert published.publish_on == timezone.localdate()
    assert client.get(BASE).status_code == 200


def test_the_anslagstavla_shows_the_appeal_period(client, published):
    html = client.get("/norrbotten/anslagstavla/").content.decode()
    from meetings.rules import anslag

    posted = published.publish_on
    assert f"{posted:%Y-%m-%d}" in html
    assert f"{anslag.last_day_to_appeal(posted):%Y-%m-%d}" in html
    assert "Sista dag att överklaga" in html


def test_odd_addresses_are_404_not_errors(client, published):
    for url in (
        "/norrbotten/arbetsutskott/2021-02-30/",
        "/norrbotten/arbetsutskott/2021-09-27-9/",
        "/norrbotten/arbetsutskott/1999/",
        BASE + "p999/",
        "/finns-inte/",
        "/norrbotten/finns-inte/",
        BASE + "bilaga-7/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_run_at_most_5_queries_whatever_the_size(client, published, url):
    queries(client, url)  # once first: a search's words' lexemes are then known (search.py)
    few = queries(client, url)

    # Grow the public version to 40 paragraphs: the public pages read it.
    import json

    public = published.public_version
    data = json.loads(public.content)
    template = data["paragraphs"][3]
    for i in range(40):
        data["paragraphs"].append({**template, "position": 100 + i, "number": 100 + i})
    with archive_unlocked("meetings_publicprotocol"):
        type(public).objects.filter(pk=public.pk).update(content=json.dumps(data))

    assert queries(client, url) == few
    assert few <= 5


@pytest.mark.parametrize("url", [*PUBLIC_PAGES[:8], "/verifiera/"])
def test_every_public_page_has_one_h1_a_skip_link_and_no_script(client, published, url):
    html = client.get(url).content.decode()

    assert html.count("<h1") == 1, url
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<script" not in html


def test_a_page_seen_logged_in_is_not_cached_by_shared_caches(secretary_client, published):
    from django.test import Client

    assert "public" in Client().get(BASE)["Cache-Control"]
    assert "private" in secretary_client.get(BASE)["Cache-Control"]


def test_the_paragraph_page_offers_a_sealed_extract(client, published):

    from pypdf import PdfReader

    from meetings.documents import sealing

    assert "p4/utdrag.pdf" in client.get(BASE + "p4/").content.decode()
    response = client.get(BASE + "p4/utdrag.pdf")
    pdf = response.getvalue()

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Utdragsbestyrkande" in " ".join(text.split())
    assert "Samordningsförbundet Norrbotten, genom dess elektroniska sigill" in " ".join(
        text.split()
    )
    assert sealing.check_seal(pdf).ok


def test_a_public_page_has_an_etag_and_answers_304(client, published):
    first = client.get(BASE)
    assert first.status_code == 200 and first["ETag"]

    again = client.get(BASE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "max-age=300" in again["Cache-Control"]


def test_public_pages_are_compressed_and_private_ones_not(client, published, secretary):
    import gzip

    page = client.get(BASE, HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert "Tjänsteköp Samordnare" in gzip.decompress(page.content).decode()
    # The login form carries a CSRF token: never compressed (BREACH).
    login = client.get("/logga-in/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in login
    # Nor a page for a logged-in reader, nor a stored PDF.
    assert "Content-Encoding" not in client.get(BASE + "protokoll.pdf", HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(secretary)
    assert "Content-Encoding" not in client.get(BASE, HTTP_ACCEPT_ENCODING="gzip")
