"""The public version: nothing confidential or masked reaches the public, in any format.

`secret_protocol` is a published protocol whose confidential paragraph (title, text,
decision, vote, task, reservation, bilaga) and masked spans each hold a unique token.
The walk requests every public URL a visitor can reach (links from `/`, the sitemap,
the feeds, a search for each token, every § page and extract, every bilaga) and looks
for the tokens in the HTML, in the text pypdf extracts from each PDF, in every file
embedded in a PDF and in every decompressed PDF stream.
"""

import datetime
import io
import json
import re
import zlib
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from meetings.actions import justering, publication, rattelse, services
from meetings.documents import public_version, utdrag
from meetings.documents.verification import verify
from meetings.models import (
    ArchivedProtocol,
    Bilaga,
    Decision,
    Meeting,
    Paragraph,
    Protokollsutdrag,
    PublicProtocol,
    Reservation,
    SearchEntry,
    Uppdrag,
)
from meetings.rules.masking import REMOVED, mask, validate_masks
from tests import factories
from tests.conftest import archive_unlocked, justera

BASE = "/norrbotten/arbetsutskott/2021-09-27/"

# Each secret in its own place; none may reach the public.
SECRET = {
    "title": "Qzsecrettitle",
    "text": "Qzsecrettext",
    "dnr": "Qzsecretdnr",
    "decision": "Qzsecretdecision",
    "vote": "Qzsecretvote",
    "uppdrag": "Qzsecretuppdrag",
    "motivation": "Qzsecretmotivation",
    "bilaga": "Qzsecretbilaga",
    "hidden_bilaga": "Qzhiddenbilaga",
    "masked_text": "Qzmaskedname",
    "masked_title": "Qzmaskedtitle",
    "masked_decision": "Qzmaskeddecision",
    "masked_motivation": "Qzmaskedmotivation",
    "masked_uppdrag": "Qzmaskeduppdrag",
    "rattelse": "Qzsecretrattelse",
    "masked_rattelse": "Qzmaskedrattelse",
}


def _pdf_file(text: str) -> ContentFile:
    return ContentFile(f"%PDF-1.4\n% {text}\n".encode(), name="fil.pdf")


@pytest.fixture
def secret_protocol(planned, secretary, annica, bengt):
    secret = services.add_item(planned, section="beslut", title=f"Personalärende {SECRET['title']}")
    Paragraph.objects.filter(pk=secret.pk).update(
        is_confidential=True,
        public_title="Personalärende",
        text=f"Den anställde {SECRET['text']} har sagt upp sig.",
        diarienummer=SECRET["dnr"],
    )
    decision = Decision.objects.create(
        paragraph=secret,
        kind="beslut",
        text=f"Beslutas att {SECRET['decision']}.",
        votes_for=2,
        votes_against=1,
        vote_result=f"Omröstning {SECRET['vote']}.",
    )
    Uppdrag.objects.create(decision=decision, description=f"Utred {SECRET['uppdrag']}")
    Reservation.objects.create(
        decision=decision, person=bengt, motivation=f"Därför {SECRET['motivation']}"
    )
    secret.refresh_from_db()
    services.attach_bilaga(
        secret,
        title=f"Läkarintyg {SECRET['bilaga']}",
        file=_pdf_file("intyg"),
        filename=f"{SECRET['bilaga']}.pdf",
        is_public=False,
        title_is_public=True,
    )

    open_item = services.add_item(
        planned, section="beslut", title=f"Ansökan från [[{SECRET['masked_title']}]]"
    )
    Paragraph.objects.filter(pk=open_item.pk).update(
        text=f"Deltagaren [[{SECRET['masked_text']}, född 1991]] ansöker om förlängning."
    )
    open_decision = Decision.objects.create(
        paragraph=open_item,
        kind="beslut",
        text=f"Beslutas att bevilja [[{SECRET['masked_decision']}]] förlängning.",
    )
    Uppdrag.objects.create(
        decision=open_decision, description=f"Meddela [[{SECRET['masked_uppdrag']}]]"
    )
    Reservation.objects.create(
        decision=open_decision,
        person=annica,
        motivation=f"Jag yrkade avslag för [[{SECRET['masked_motivation']}]].",
    )
    open_item.refresh_from_db()
    services.attach_bilaga(
        open_item,
        title="Ansökan (offentlig)",
        file=_pdf_file("ansokan"),
        filename="ansokan.pdf",
        is_public=True,
    )
    services.attach_bilaga(
        open_item,
        title=f"Utredning {SECRET['hidden_bilaga']}",
        file=_pdf_file("utredning"),
        filename=f"{SECRET['hidden_bilaga']}.pdf",
        is_public=False,
    )

    services.start_protocol(planned)
    justera(planned, justerare=[annica], by=secretary)
    planned.refresh_from_db()
    publication.publish(planned, by=None)
    # Two corrections, each sealed with its public version: one of the confidential
    # paragraph, one with a masked name.
    for paragraph, text in (
        (secret, f"Rättat: {SECRET['rattelse']}."),
        (open_item, f"Rättat namn: [[{SECRET['masked_rattelse']}]]."),
    ):
        correction = rattelse.propose(planned, text=text, paragraph=paragraph, by=secretary)
        for person in justering.approvers(planned):
            person.refresh_from_db()
            rattelse.approve(correction, person, user=person.user)
    return planned


# --- Reading everything a visitor can reach ----------------------------------


def _pdf_texts(data: bytes) -> list[str]:
    """Every readable thing in a PDF: its extracted text, each embedded file, and
    every stream decompressed (a font or image could carry no token, text could)."""
    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() for page in reader.pages]
    for files in reader.attachments.values():
        texts += [f.decode("utf-8", "replace") for f in files]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            texts.append(stream.decode("latin-1"))
    return texts


def _readable(response) -> list[str]:
    """The body (a PDF's every part), then every header (a file name travels in
    Content-Disposition)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    if body.startswith(b"%PDF") and b"%%EOF" in body[-64:]:
        return [body.decode("latin-1"), *_pdf_texts(body), headers]
    return [body.decode("utf-8", "replace"), headers]


PRIVATE = ("/arbete/", "/admin/", "/justera/", "/ledamot/", "/konto/", "/logga-",
           "/sprak/")  # the language switch: the same pages in English after it  # fmt: skip


def _links(text: str, base: str) -> set[str]:
    """Links of HTML, sitemaps, feeds and the open data's JSON."""
    found = set()
    links = re.findall(r'(?:href|src)="([^"#]+)', text) + re.findall(r"<loc>([^<]+)", text)
    links += [link.replace("\\/", "/") for link in re.findall(r'"(http://testserver/[^"]+)"', text)]
    for link in links:
        path = urlsplit(urljoin(base, link.replace("&amp;", "&")))
        if path.netloc in ("", "testserver") and not path.path.startswith(PRIVATE):
            found.add(path.path + (f"?{path.query}" if path.query else ""))
    return found


def walk(client, meeting) -> dict[str, list[str]]:
    """Every public URL reachable from the front page, the sitemap and the feeds,
    plus searches for each token and every § page, extract and bilaga."""
    start = {
        "/",
        "/sitemap.xml",
        "/norrbotten/flode.atom",
        "/norrbotten/arbetsutskott/flode.atom",
        "/norrbotten/arbetsutskott/sammantraden.ics",
        "/norrbotten/anslagstavla/",
        "/oparl/v1/system",
    }
    start |= {f"/sok/?q={token}" for token in SECRET.values()}
    for number in meeting.paragraphs.values_list("number", flat=True):
        start |= {f"{BASE}p{number}/", f"{BASE}p{number}/utdrag.pdf"}
    start |= {f"{BASE}bilaga-{b.number}/" for b in meeting.bilagor.all()}
    seen: dict[str, list[str]] = {}
    todo = sorted(start)
    while todo:
        url = todo.pop()
        if url in seen or len(seen) > 800:
            continue
        response = client.get(url)
        seen[url] = _readable(response) if response.status_code == 200 else []
        if url.startswith("/sok/?q="):
            # The search page repeats what was asked; it must find nothing.
            asked = url.removeprefix("/sok/?q=")
            assert 'class="search-result' not in seen[url][0], url
            seen[url] = [text.replace(asked, "") for text in seen[url]]
        for text in seen[url][:1]:
            todo += sorted(_links(text, url) - set(seen))
    return seen


def leaks(seen: dict[str, list[str]], tokens=None) -> list[tuple[str, str]]:
    return [
        (url, token)
        for url, texts in seen.items()
        for token in (SECRET.values() if tokens is None else tokens)
        if any(token.lower() in text.lower() for text in texts)
    ]


# What live rows hold that no public document does (the probe's three leaks).
LIVE = {
    "place": "Qzmaskedplace",
    "handling": "Qzmaskedhandling",
    "participant": "Qzunpublishedperson",
    "participant_title": "Qzunpublishedtitle",
}


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


def test_no_live_row_reaches_the_public_that_the_public_version_lacks(client, live_rows):
    """The called meeting's place and handling title are read from the public agenda
    its kallelse stored (masked), and the open data names nobody whom only an
    unpublished protocol names: pages, headers, calendar, feeds and OParl alike."""
    seen = walk(client, live_rows)

    assert leaks(seen, [*SECRET.values(), *LIVE.values()]) == []
    # The walk really read the coming meeting, its handling, and the open data.
    page = live_rows.get_absolute_url()
    assert "Hemma hos [uppgift borttagen], Storgatan 1" in seen[page][0]
    (handling,) = [u for u in seen if u.startswith(f"{page}handling-") and seen[u]]
    assert 'filename="handling-om-uppgift-borttagen.pdf"' in seen[handling][-1]
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


def test_a_bilaga_of_a_confidential_paragraph_defaults_to_and_must_be_non_public(
    secretary_client, planned
):
    secret = services.add_item(planned, section="beslut", title="Personalärende")
    Paragraph.objects.filter(pk=secret.pk).update(is_confidential=True, public_title="Ärende")
    url = f"/arbete/sammantraden/{planned.pk}/bilagor/"

    page = secretary_client.get(f"{url}?paragraph={secret.pk}").content.decode()
    refused = secretary_client.post(
        url,
        {
            "paragraph": secret.pk,
            "title": "Intyg",
            "is_public": "on",
            "file": _pdf_file("x"),
        },
    )

    assert 'name="is_public"' in page and 'name="is_public" checked' not in page
    assert refused.status_code == 400
    assert (
        "En bilaga till en sekretessparagraf kan inte vara offentlig." in refused.content.decode()
    )
    assert not Bilaga.objects.filter(meeting=planned).exists()


def test_masks_must_be_closed(secretary_client, planned):
    assert mask("a [[b]] c [[d") == f"a {REMOVED} c {REMOVED}"
    validate_masks("a [[b]] c")
    for bad in ("a [[b", "a ]] b", "[[a [[b]] c]]", "[[ ]]"):
        with pytest.raises(ValidationError):
            validate_masks(bad)
    item = planned.paragraphs.first()
    response = secretary_client.post(
        f"/arbete/sammantraden/{planned.pk}/punkter/{item.pk}/",
        {
            "section": item.section,
            "title": item.title,
            "text": "Namn [[Kim",
            "revision": 0,
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "En maskering är inte avslutad" in response.content.decode()
    assert "Namn [[Kim" in response.content.decode()  # what was typed stays


def test_masked_spans_are_shown_highlighted_to_the_justerare(client, drafted, annica, secretary):
    from django.contrib.auth.models import User

    from meetings.actions import justering

    item = drafted.paragraphs.get(title="Tjänsteköp Samordnare")
    Paragraph.objects.filter(pk=item.pk).update(text="Köpet gäller [[Kim K.]] från maj.")
    annica.user = User.objects.create_user("annica")
    annica.save()
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=drafted.date,
        by=secretary,
        notify=False,
    )
    client.force_login(annica.user)

    page = client.get(f"/justera/{drafted.pk}/").content.decode()

    assert '<mark class="masked">Kim K.</mark>' in page
    assert "Markerad text maskeras i den offentliga versionen" in page


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
