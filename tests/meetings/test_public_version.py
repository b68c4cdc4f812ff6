"""The public version: nothing confidential or masked reaches the public, in any format.

`secret_protocol` is a published protocol whose confidential paragraph (title, text,
decision, vote, task, reservation, bilaga) and masked spans each hold a unique token.
The walk requests every public URL a visitor can reach (links from `/`, the sitemap,
the feeds, a search for each token, every § page and extract, every bilaga) and looks
for the tokens in the HTML, in the text pypdf extracts from each PDF, in every file
embedded in a PDF and in every decompressed PDF stream.
"""

import io
import re
import zlib
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from pypdf import PdfReader

from meetings.actions import justering, publication, rattelse, services
from meetings.models import (
    Bilaga,
    Decision,
    Paragraph,
    Reservation,
    Uppdrag,
)
from meetings.rules.masking import REMOVED, mask, validate_masks
from tests.conftest import justera

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
    return build_secret_protocol(planned, secretary, annica, bengt)


def build_secret_protocol(planned, secretary, annica, bengt):
    """`planned` with a confidential paragraph and masked spans, each holding a token
    of SECRET, justerat, published and corrected twice."""
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

    assert '<mark class="masked" title="maskeras i den offentliga versionen">Kim K.</mark>' in page
    assert "Markerad text maskeras i den offentliga versionen" in page
