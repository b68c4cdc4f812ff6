"""The public archive: stable addresses, nothing unpublished leaks, constant queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.actions import publication, services
from meetings.models import Bilaga, Paragraph
from tests.conftest import archive_unlocked, justera

BASE = "/norrbotten/arbetsutskott/2021-09-27/"


@pytest.fixture
def published(justerat):
    publication.publish(justerat, by=None)
    justerat.refresh_from_db()
    return justerat


def queries(client, url, status=200) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, url
    return len(context.captured_queries)


def test_the_protocol_has_a_readable_permanent_address(client, published):
    html = client.get(BASE).content.decode()

    assert "<h1>Protokoll: Arbetsutskottet 27 september 2021</h1>" in html
    assert "§ 4 Tjänsteköp Samordnare" in html
    assert "Förslag till styrelsen" in html
    assert "Bengt-Åke Strand, Region Norrbotten" in html
    assert html.count("<h1>") == 1
    assert '<html lang="sv">' in html


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


def test_a_protocol_not_yet_published_is_nowhere(client, justerat):
    for url in (BASE, BASE + "p4/", BASE + "protokoll.pdf", "/norrbotten/arbetsutskott/2021/"):
        assert client.get(url).status_code == 404, url
    assert "Arbetsutskottet 27 september 2021" not in client.get("/norrbotten/").content.decode()
    assert "Arbetsutskottet" not in client.get("/norrbotten/anslagstavla/").content.decode()


def test_drafts_and_protocols_under_justering_are_nowhere(client, drafted, secretary, annica):
    from meetings.actions import justering

    for url in (BASE, BASE + "p4/", BASE + "protokoll.pdf", "/norrbotten/arbetsutskott/2021/"):
        assert client.get(url).status_code == 404, url
    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=secretary, notify=False
    )
    assert client.get(BASE).status_code == 404


def test_a_scheduled_publication_appears_on_its_day(client, justerat):
    later = timezone.localdate() + datetime.timedelta(days=3)
    publication.publish(justerat, on=later, by=None)

    assert client.get(BASE).status_code == 404
    assert publication.published(later).filter(pk=justerat.pk).exists()


def test_the_daily_job_marks_a_scheduled_publication_published_on_its_day(justerat, monkeypatch):
    from django.core.management import call_command

    today = timezone.localdate()
    later = today + datetime.timedelta(days=3)
    publication.publish(justerat, on=later, by=None)
    call_command("daily")
    justerat.refresh_from_db()
    assert justerat.status == "justerat"

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: later)
    out = io.StringIO()
    call_command("daily", stdout=out)

    justerat.refresh_from_db()
    assert justerat.status == "publicerat"
    assert out.getvalue().strip() == "Publicerade: 1. Påminnelser skickade: 0."


@pytest.mark.django_db
def test_the_daily_job_lets_expired_sessions_go(settings):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    live, expired = SessionStore(), SessionStore()
    live["kept"] = expired["kept"] = True
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    call_command("daily", stdout=io.StringIO())

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.django_db
def test_the_daily_job_forgets_ended_throttle_windows():
    from django.core.management import call_command

    from meetings.models import Throttle

    now = timezone.now()
    Throttle.objects.create(key="verify|ended", uses=5, until=now - datetime.timedelta(seconds=1))
    Throttle.objects.create(key="verify|running", uses=5, until=now + datetime.timedelta(hours=1))

    call_command("daily", stdout=io.StringIO())

    assert list(Throttle.objects.values_list("key", flat=True)) == ["verify|running"]


def test_a_published_protocol_stays_published_on_its_day(client, published):
    from meetings.actions.justering import JusteringError

    later = timezone.localdate() + datetime.timedelta(days=200)
    with pytest.raises(JusteringError, match="Protokollet är redan publicerat, sedan"):
        publication.publish(published, on=later, by=None)

    published.refresh_from_db()
    assert published.publish_on == timezone.localdate()
    assert client.get(BASE).status_code == 200


def test_a_scheduled_day_can_change_until_it_comes(justerat):
    today = timezone.localdate()
    publication.publish(justerat, on=today + datetime.timedelta(days=5), by=None)
    publication.publish(justerat, on=today + datetime.timedelta(days=2), by=None)

    justerat.refresh_from_db()
    assert justerat.publish_on == today + datetime.timedelta(days=2)


def test_confidential_text_and_non_public_bilagor_never_show(
    client, planned, secretary, annica, settings
):
    from django.core.files.base import ContentFile

    secret = services.add_item(planned, section="beslut", title="Personalärende Anna A.")
    Paragraph.objects.filter(pk=secret.pk).update(
        is_confidential=True, public_title="Personalärende", text="Anna A. har sagt upp sig."
    )
    hidden = Bilaga(meeting=planned, paragraph=secret, number=1, title="Läkarintyg", is_public=True)
    hidden.file.save("intyg.pdf", ContentFile(b"%PDF-1.4 hemligt"), save=False)
    hidden.save()
    internal = Bilaga(
        meeting=planned,
        paragraph=planned.paragraphs.first(),
        number=2,
        title="Intern PM",
        is_public=False,
    )
    internal.file.save("pm.pdf", ContentFile(b"%PDF-1.4 internt"), save=False)
    internal.save()
    services.start_protocol(planned)
    justera(planned, justerare=[annica], by=secretary)
    planned.refresh_from_db()
    publication.publish(planned, by=None)
    number = Paragraph.objects.get(pk=secret.pk).number

    page = client.get(BASE).content.decode()
    single = client.get(f"{BASE}p{number}/").content.decode()

    for html in (page, single):
        assert f"§ {number} Personalärende" in html
        assert "Anna A." not in html
        assert "Läkarintyg" not in html
        assert "Intern PM" not in html
    assert client.get(BASE + "bilaga-1/").status_code == 404
    assert client.get(BASE + "bilaga-2/").status_code == 404


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


PUBLIC_PAGES = ["/", "/norrbotten/", "/norrbotten/anslagstavla/", "/norrbotten/arbetsutskott/",
                "/norrbotten/arbetsutskott/2021/", BASE, BASE + "p4/", "/sok/?q=beslut",
                "/norrbotten/flode.atom", "/norrbotten/arbetsutskott/sammantraden.ics",
                "/sitemap.xml"]  # fmt: skip


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


def test_the_secretary_publishes_from_the_workspace(client, secretary_client, justerat):
    from django.urls import reverse

    secretary_client.post(reverse("workspace:publish", args=[justerat.pk]), {"publish_on": ""})

    justerat.refresh_from_db()
    assert (justerat.publish_on, justerat.status) == (timezone.localdate(), "publicerat")
    assert client.get(BASE).status_code == 200


def test_a_draft_cannot_be_published(secretary_client, drafted):
    from django.urls import reverse

    response = secretary_client.post(
        reverse("workspace:publish", args=[drafted.pk]), {"publish_on": ""}, follow=True
    )

    assert "Bara ett justerat protokoll kan publiceras." in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.publish_on is None


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
    import io

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
