"""The documents read as Swedish protocols and kallelser: the sealed original's text
(as pdftotext reads it) holds every header field and each signer's electronic
justering; the example protocol of shared/examples comes out with every fact its
source shows; and the demo's protocols and kallelser are pictured as PNG in the
test artifact directory (TEST_ARTIFACTS, default test-artifacts/) to be looked at."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from meetings.actions.protocol_import import import_protocol
from meetings.models import ArchivedProtocol
from tests.conftest import justera

EXAMPLE = Path(__file__).parent / "data" / "example_norrbotten.json"
_TEXT: dict[str, str] = {}


def pdftotext(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Words as they follow each other, whatever the layout's spacing."""
    return " ".join(text.split())


@pytest.fixture
def sealed_example(db, settings, tmp_path):
    """The example protocol imported, justerat online by the chair and Annica
    Alatalo, and sealed: the text of its original.
    Rendered once for the module (each test's database is rolled back; the text
    is all that is kept)."""
    if "original" not in _TEXT:
        settings.MEDIA_ROOT = tmp_path
        meeting = import_protocol(json.loads(EXAMPLE.read_text())).meeting
        justera(meeting, justerare=[j.person for j in meeting.justerare.all()], by=None)
        archive = ArchivedProtocol.objects.get(meeting=meeting)
        _TEXT["pdf"] = archive.pdf.read()
        _TEXT["original"] = pdftotext(_TEXT["pdf"])
    return _TEXT["original"]


HEADER = [
    ("organ", "Protokoll fört vid sammanträde med arbetsutskottet, Samordningsförbundet Norrbotten"),
    ("datum", "Datum måndag 27 september 2021"),
    ("plats och tid", "Plats och tid Via Teams, 09.00–11.00"),
    ("beslutande, the chair marked",
     "Beslutande Fredrik Hansson (ordförande), Luleå kommun Annica Alatalo, Försäkringskassan "
     "Bengt-Åke Strand, Region Norrbotten (från § 35)"),
    ("övriga deltagare, with title", "Övriga deltagare Åsa Snårbacka, Förbundschef"),
    ("utses att justera", "Utses att justera Annica Alatalo"),
    ("justeringens plats och tid", "Justeringens plats och tid Digitalt i Paragraf,"),
    ("paragrafer", "Paragrafer § 32–40"),
    ("vid protokollet", "Vid protokollet Åsa Snårbacka"),
    ("running header", "Samordningsförbundet Norrbotten Arbetsutskottet · PROTOKOLL 2021-09-27"),
    ("page numbers", "Sida 1 av 4"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "expected"), HEADER, ids=[f for f, _ in HEADER])
def test_the_sealed_original_has_the_header_field(sealed_example, field, expected):
    assert expected in flat(sealed_example)


@pytest.mark.parametrize(
    ("signer", "role"), [("Fredrik Hansson", "ordförande"), ("Annica Alatalo", "justerare")]
)
def test_the_sealed_original_shows_each_signers_electronic_justering(sealed_example, signer, role):
    text = flat(sealed_example)
    block = text[text.index("Justeras ") :]

    assert f"{signer}, {role}" in block
    # Two signers side by side: the line of each says when it was justerat online.
    assert block.count("Justerat elektroniskt 20") == 2
    assert "……" not in block and "____" not in block  # no blank lines to sign by hand


def _structure(node, out: list) -> list:
    """The structure elements' types, in the tagged PDF's logical (reading) order."""
    node = node.get_object()
    if "/S" in node:
        out.append(str(node["/S"])[1:])
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            _structure(kid, out)
    return out


def test_the_sealed_original_is_tagged_in_swedish_in_reading_order(sealed_example):
    from io import BytesIO

    from pypdf import PdfReader

    root = PdfReader(BytesIO(_TEXT["pdf"])).trailer["/Root"]

    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    order = _structure(root["/StructTreeRoot"], [])
    # The title, the header table, then the paragraphs' headings in § order.
    assert order[:4] == ["Document", "H1", "Span", "P"]
    # § 32 … § 40, each a heading: an h2 before the first section's heading, an h3
    # under one (no level skipped, issue 32).
    headings = [kind for kind in order if kind in ("H1", "H2", "H3")]
    assert order.index("Table") < order.index("H2")
    assert headings.count("H2") + headings.count("H3") >= 9 + 2  # and two sections' headings
    assert headings.index("H2") < headings.index("H3")  # H1 → H2 → H3, none skipped


# The facts of the source text (shared/examples/au-protokoll-2021-norrbotten.txt),
# in the words Paragraf prints them.
FACTS = [
    "Fredrik Hansson (ordförande), Luleå kommun",
    "Annica Alatalo, Försäkringskassan",
    "Bengt-Åke Strand, Region Norrbotten (från § 35)",
    "Åsa Snårbacka, Förbundschef",
    "§ 32 Mötets öppnande",
    "Ordförande Fredrik hälsar välkomna till möte med arbetsutskottet.",
    "Mötet genomförs via Teams pga. rådande pandemirestriktioner.",
    "§ 33 Fastställande av dagordningen",
    "Bilaga 1: Dagordning",
    "Beslutas godkänna dagordningen.",
    "§ 34 Val av justerare",
    "Beslutas att välja Annica Alatalo att tillsammans med ordförande justera protokollet.",
    "§ 35 Äskande av medel för 2022",
    "3 250 000 kr",
    "a. Viljeinriktning (Bilaga 2)",
    "b. Ansökan om medel (Bilaga 3)",
    "Bilaga 2: Viljeinriktning",
    "Bilaga 3: Ansökan om medel",
    "Arbetsutskottet beslutar att skicka ut ansökan till parterna omgående.",
    "§ 36 Inför verksamhetsplanering",
    "Bilaga 4: Inför verksamhetsplanering",
    "idéworkshop den 5/10 på Framnäs folkhögskola",
    "Hur kan vi arbeta för att stödja parterna att öka uttaget av de gemensamma Finsammedlen?",
    "Beslutas att förslaget presenteras vid idéworkshopen för att få inspel från chefsgrupperna.",
    "§ 37 Tjänsteköp Samordnare",
    "rekrytering av samordnare 50 % from 2021-10-08",
    "Förslag till styrelsen Arbetsutskottet beslutar att föreslå styrelsen att fastställa "
    "tjänsteköpet.",
    "§ 38 Policy särskilt lönetillägg vid tjänsteköp",
    "Bilaga 5: Policy särskilt lönetillägg vid tjänsteköp",
    "Avtal om tjänsteköp ska alltid fastställas av styrelsen.",
    "särskilt lönetillägg om 3000 kr per månad",
    "särskilt lönetillägg om 1500 kr per månad",
    "§ 39 Övriga frågor",
    "§ 40 Mötet avslutas",
    "Mötesordförande Fredrik tackar för visat intresse och avslutar mötet.",
    "Vid protokollet Åsa Snårbacka",
    "Justeras Fredrik Hansson, ordförande Annica Alatalo, justerare",
]


def test_the_example_protocol_carries_every_fact_of_its_source(sealed_example):
    text = flat(sealed_example)

    missing = [fact for fact in FACTS if fact not in text]

    assert missing == []


def _artifacts() -> Path:
    directory = Path(os.environ.get("TEST_ARTIFACTS", settings.BASE_DIR / "test-artifacts"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def picture(pdf: bytes, name: str) -> list[Path]:
    """Page 1 and the last page of `pdf` as PNG (60 dpi) in the artifact directory."""
    directory = _artifacts()
    source = directory / f"{name}.pdf"
    source.write_bytes(pdf)
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(source)], capture_output=True, check=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    made = []
    for page in sorted({1, pages}):
        out = directory / f"{name}-sida{page}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(source),
                str(out),
            ],
            check=True,
        )
        made.append(out.with_suffix(".png"))
    return made
