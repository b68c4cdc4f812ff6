"""The public version walked (see test_public_version): one `secret_protocol`, built
once for the module (each test in a savepoint of its own), whose every secret and
masked span must stay out of everything a visitor can reach."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from meetings.actions import rattelse, services
from meetings.documents import public_version, utdrag
from meetings.documents.verification import verify
from meetings.models import (
    ArchivedProtocol,
    Meeting,
    Protokollsutdrag,
    PublicProtocol,
    SearchEntry,
)
from meetings.rules.masking import REMOVED
from tests import example, factories
from tests.conftest import archive_unlocked, shared_rows
from tests.meetings.test_public_version import (
    BASE,
    LIVE,
    SECRET,
    _pdf_file,
    _pdf_texts,
    build_secret_protocol,
    leaks,
    walk,
)


def _build():
    w = example.planned_world(other=False)  # as the fixtures: one förbund
    w.secret_protocol = build_secret_protocol(w.planned, w.secretary, w.annica, w.bengt)
    return w


_world_built, world = shared_rows("world", _build)


def _piece(name):
    @pytest.fixture(name=name)
    def fixture(world):
        return getattr(world, name)

    return fixture


_secret_protocol = _piece("secret_protocol")
_au, _secretary = _piece("au"), _piece("secretary")
_annica, _fredrik, _bengt = _piece("annica"), _piece("fredrik"), _piece("bengt")


def test_no_live_row_reaches_the_public_that_the_public_version_lacks(client, live_rows):
    """The called meeting's place and handling title are read from the public agenda
    its kallelse stored (masked), and the open data names nobody whom only an
    unpublished protocol names: pages, headers, calendar, feeds and OParl alike."""
    seen = walk(client, live_rows)

    assert leaks(seen, [*SECRET.values(), *LIVE.values()]) == []
    # The walk really read the coming meeting, its handling, and the open data.
    page = live_rows.get_absolute_url()
    assert "Hemma hos [uppgift borttagen], Storgatan 1" in seen[page][0]
    handlings = [u for u in seen if u.startswith(f"{page}handling-") and seen[u]]
    (handling,) = [u for u in handlings if "?" not in u]  # and its ?ladda-ner=1, saved
    assert 'filename="handling-om-uppgift-borttagen.pdf"' in seen[handling][-1]
    assert [u for u in handlings if u != handling] == [f"{handling}?ladda-ner=1"]
    people = [u for u in seen if re.fullmatch(r"/oparl/v1/body/\d+/person", u)]
    assert people and '"Annica Alatalo"' in seen[people[0]][0]
    oparl_meeting = f"/oparl/v1/meeting/{live_rows.pk}"
    assert "Hemma hos [uppgift borttagen]" in seen[oparl_meeting][0]
    assert "handling-om-uppgift-borttagen.pdf" in seen[oparl_meeting][0]
    assert "Hemma hos [uppgift borttagen]" in seen["/norrbotten/arbetsutskott/sammantraden.ics"][0]
    assert len([u for u in seen if u.startswith("/oparl/")]) > 20
    # Nor is the participant of the unpublished protocol an open-data person.
    from members.models import Person

    hidden = Person.objects.get(name=LIVE["participant"])
    assert client.get(f"/oparl/v1/person/{hidden.pk}").status_code == 404


def test_the_public_version_holds_no_digest_of_the_original(client, secret_protocol):
    """The original's version (a plain SHA-256 of its content) would let anyone
    confirm guesses of the masked words: the public gets a keyed link instead,
    which the original's key reproduces."""
    archive = ArchivedProtocol.objects.get(meeting=secret_protocol)
    seen = walk(client, secret_protocol)

    assert leaks(seen, [archive.content_hash]) == []
    link = public_version.original_link(archive.public_link_key, archive.content_hash)
    assert len(archive.public_link_key) == 64 and link != archive.content_hash
    public_pdf = " ".join(seen[f"{BASE}protokoll.pdf"])
    assert link in public_pdf.replace("\n", "")
    # The original prints its version and the key that reproduces the link.
    original = " ".join(_pdf_texts(archive.pdf.open("rb").read())).replace("\n", "")
    assert archive.content_hash in original and archive.public_link_key in original


def test_no_confidential_or_masked_token_reaches_any_public_response(client, secret_protocol):
    seen = walk(client, secret_protocol)

    assert leaks(seen) == []
    # The walk really read the protocol, its PDF, § pages, extracts and a bilaga,
    # and the public versions of both corrections.
    assert seen.get(f"{BASE}protokoll.pdf")
    for correction in secret_protocol.rattelser.all():
        texts = seen.get(f"{BASE}rattelse-{correction.pk}.pdf")
        assert texts and "Rättelse" in " ".join(texts)
    extracts = [u for u in seen if u.endswith("utdrag.pdf") and seen[u]]
    assert len(extracts) == secret_protocol.paragraphs.count() - 1  # not the confidential one
    assert any(u.endswith("/bilaga-2/") and seen[u] for u in seen)
    assert len(seen) > 30


def test_nor_through_the_page_cache(client, secret_protocol, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    first = walk(client, secret_protocol)
    second = walk(client, secret_protocol)  # now served from the cache

    assert leaks(first) == [] and leaks(second) == []
    assert second[BASE] == first[BASE]


def test_the_public_version_shows_what_is_public(client, secret_protocol):
    page = client.get(BASE).content.decode()
    number = secret_protocol.paragraphs.get(is_confidential=True).number

    assert f"§ {number} Personalärende" in page
    assert "Paragrafen innehåller uppgifter som omfattas av sekretess och publiceras inte." in page
    assert f"Deltagaren {REMOVED} ansöker om förlängning." in page
    assert f"Ansökan från {REMOVED}" in page
    assert "Bilaga 2: Ansökan (offentlig)" in page
    assert "Bilaga 3 <span" in page  # listed, without its title, not linked
    assert f"{BASE}bilaga-3/" not in page
    pdf_text = "\n".join(_pdf_texts(client.get(BASE + "protokoll.pdf").getvalue()))
    assert "Detta är den offentliga versionen av det justerade protokollet." in pdf_text
    assert "Originalet förvaras hos Samordningsförbundet Norrbotten" in pdf_text


def test_the_original_is_complete_and_both_verify(secret_protocol):
    original = ArchivedProtocol.objects.get(meeting=secret_protocol)
    public = PublicProtocol.objects.get(meeting=secret_protocol)
    original_pdf = original.pdf.open("rb").read()
    public_pdf = public.pdf.open("rb").read()

    original_text = "\n".join(_pdf_texts(original_pdf))
    corrections = (SECRET["rattelse"], SECRET["masked_rattelse"])
    for token in set(SECRET.values()) - set(corrections):
        assert token in original.content
        assert token.lower() in original_text.lower()
    # Each correction as written is sealed whole; its public version verifies as such.
    written = []
    for correction in secret_protocol.rattelser.all():
        sealed, public_copy = (
            correction.pdf.open("rb").read(),
            correction.public_pdf.open("rb").read(),
        )
        written += _pdf_texts(sealed)
        assert verify(sealed).kind == "rattelse" and verify(sealed).authentic
        public_verdict = verify(public_copy)
        assert public_verdict.authentic and public_verdict.kind == "rattelse_public"
        assert public_verdict.message.startswith("Äkta: den offentliga versionen av en rättelse")
    assert all(token in "\n".join(written) for token in corrections)
    assert verify(original_pdf).kind == "original" and verify(original_pdf).authentic
    verdict = verify(public_pdf)
    assert verdict.authentic and verdict.kind == "public"
    assert verdict.message.startswith("Äkta: den offentliga versionen av det justerade protokollet")
    for data in (original_pdf, public_pdf):
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 1
        assert not verify(bytes(changed)).authentic


def test_the_embedded_json_is_the_redacted_export_with_the_same_numbers(secret_protocol):
    original = json.loads(ArchivedProtocol.objects.get(meeting=secret_protocol).content)
    public = json.loads(PublicProtocol.objects.get(meeting=secret_protocol).content)
    pdf = PdfReader(PublicProtocol.objects.get(meeting=secret_protocol).pdf.open("rb"))

    assert json.loads(pdf.attachments["protokoll.json"][0]) == public
    assert public["redacted"] is True and "redacted" not in original
    assert [p["number"] for p in public["paragraphs"]] == [
        p["number"] for p in original["paragraphs"]
    ]
    secret = next(p for p in public["paragraphs"] if p["is_confidential"])
    assert secret["title"] == "Personalärende" and secret["decisions"] == []
    assert public_version.redact(original) == public


def test_search_holds_only_public_text(secret_protocol, client):
    entries = SearchEntry.objects.filter(meeting=secret_protocol)
    text = " ".join(e.title + " " + e.body for e in entries)

    assert entries.count() == secret_protocol.paragraphs.count()
    assert "Personalärende" in text and REMOVED in text
    assert not [t for t in SECRET.values() if t.lower() in text.lower()]
    assert "Personalärende" in client.get("/sok/?q=Personalärende").content.decode()


def test_the_public_extract_is_made_once_and_refused_for_a_confidential_paragraph(
    client, secret_protocol
):
    number = secret_protocol.paragraphs.get(
        is_confidential=False, title__startswith="Ansökan"
    ).number
    secret = secret_protocol.paragraphs.get(is_confidential=True).number

    first = client.get(f"{BASE}p{number}/utdrag.pdf")
    pdf = first.getvalue()
    second = client.get(f"{BASE}p{number}/utdrag.pdf").getvalue()

    assert first.status_code == 200
    assert pdf == second
    assert Protokollsutdrag.objects.count() == 1
    assert verify(pdf).kind == "utdrag"
    assert client.get(f"{BASE}p{secret}/utdrag.pdf").status_code == 404
    assert REMOVED in "\n".join(_pdf_texts(pdf))


def test_staff_extract_of_the_original_keeps_the_confidential_text(secret_protocol):
    number = secret_protocol.paragraphs.get(is_confidential=True).number

    pdf = utdrag.staff_extract(
        secret_protocol, number, certified_by="Åsa Snårbacka", on=datetime.date(2021, 10, 1)
    )
    assert SECRET["text"] in "\n".join(_pdf_texts(pdf))


def test_protocols_archived_before_public_versions_get_one_by_command(client, secret_protocol):
    public = PublicProtocol.objects.get(meeting=secret_protocol)
    sha = public.sha256
    # As on an installation from before public versions.
    with archive_unlocked("meetings_publicprotocol"):
        public.delete()
    SearchEntry.objects.filter(meeting=secret_protocol).delete()
    assert client.get(BASE).status_code == 404  # no public version: not public at all

    call_command("make_public_versions", stdout=io.StringIO())

    again = PublicProtocol.objects.get(meeting=secret_protocol)
    assert again.sha256 != sha and again.original.meeting == secret_protocol
    assert client.get(BASE).status_code == 200
    assert SearchEntry.objects.filter(meeting=secret_protocol).exists()
    assert leaks(walk(client, secret_protocol)) == []


def test_a_correction_is_public_only_approved_and_as_its_public_version(client, secret_protocol):
    approved = list(secret_protocol.rattelser.order_by("pk"))
    pending = rattelse.propose(secret_protocol, text="Ännu inte godkänd.", paragraph=None, by=None)

    page = client.get(BASE).content.decode()
    served = client.get(f"{BASE}rattelse-{approved[0].pk}.pdf")

    assert all(f'href="{BASE}rattelse-{r.pk}.pdf"' in page for r in approved)
    assert client.get(f"{BASE}rattelse-{pending.pk}.pdf").status_code == 404
    assert b"".join(served.streaming_content) == approved[0].public_pdf.open("rb").read()
    assert served["ETag"] == f'"{approved[0].public_sha256}"'
    # Of the confidential paragraph only its number and public title.
    assert "omfattas av sekretess" in "\n".join(
        _pdf_texts(approved[0].public_pdf.open("rb").read())
    )


@pytest.fixture
def live_rows(secret_protocol, au, secretary):
    """Beside the published protocol: a called meeting whose place (a row written
    before the field refused masking) and public handling mask a name, and a
    protocol not yet published with a participant added by name and title."""
    coming = services.plan_meeting(
        au,
        by=secretary,
        date=timezone.localdate() + datetime.timedelta(days=20),
        start_time=datetime.time(13, 0),
        place="Kansliet",
    )
    Meeting.objects.filter(pk=coming.pk).update(place=f"Hemma hos [[{LIVE['place']}]], Storgatan 1")
    coming.refresh_from_db()
    item = services.add_item(coming, section="beslut", title="Ansökan om medel")
    services.attach_handling(
        item,
        title=f"Handling om [[{LIVE['handling']}]]",
        file=_pdf_file("handling"),
        filename="underlag.pdf",
        is_public=True,
    )
    factories.called(coming)
    draft = services.plan_meeting(
        au, by=secretary, date=datetime.date(2021, 10, 25), start_time=datetime.time(9, 0)
    )
    services.start_protocol(draft)
    services.add_participant(
        draft, name=LIVE["participant"], role_title=f"Konsult {LIVE['participant_title']}"
    )
    return coming
