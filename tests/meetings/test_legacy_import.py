"""Legacy protocols brought in from text and PDF: parsed field by field against what
each text states, refused with the reason when they are not protocols, imported all
or nothing with their own history, the original kept and offered to the public."""

import hashlib
import io
import json
import sys
import time
from pathlib import Path

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from meetings.legacy import importing, parse, source
from meetings.models import ArchivedProtocol, Matter, Meeting, Paragraph
from members.models import Body, Organisation
from tests.meetings.legacy_score import score

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "legacy"
EXAMPLE = DATA / "au-protokoll-2021-norrbotten.txt"  # a copy of shared/examples' protocol


def pdf_of(html: Path) -> bytes:
    """One of the PDF test protocols, made from its HTML (page headers, footers,
    columns, a break mid-word) as a word processor would print it."""
    return weasyprint.HTML(filename=str(html)).write_pdf()


def legacy_file(name: str) -> tuple[str, bytes]:
    text = LEGACY / f"{name}.txt"
    if text.exists():
        return text.name, text.read_bytes()
    return f"{name}.pdf", pdf_of(LEGACY / f"{name}.html")


def parsed(name: str, data: bytes) -> parse.Parsed:
    read = source.read(name, data)
    return parse.parse(read.text, running_heads=read.running_heads)


def test_the_example_matches_every_field_its_text_states(capsys):
    got = parsed(EXAMPLE.name, EXAMPLE.read_bytes()).document
    expected = json.loads((DATA / "example_norrbotten.json").read_text())

    # The text has no head: organisation, body, date and times are not in it.
    share, misses = score(
        expected,
        got,
        (
            "organisation",
            "body",
            "meeting.date",
            "meeting.start_time",
            "meeting.end_time",
            "meeting.status",
        ),
    )
    with capsys.disabled():
        print(f"\nexample_norrbotten: {share:.1%} of the fields", *misses, sep="\n  ")
    assert share >= 0.95, misses
    assert got["chair"] == "Fredrik Hansson"
    assert got["justerare"] == ["Annica Alatalo"] and got["secretaries"] == ["Åsa Snårbacka"]
    assert [p["number"] for p in got["paragraphs"]] == list(range(32, 41))


LAYOUTS = [
    "styrelse-2023-05-31",  # Datum: 230531, §23 without a space, section headings, columns
    "styrelse-2019-02-14",  # upper-case head, "Plats och tid", absent, reservation, uppdrag
    "au-2020-03-09",  # double-spaced text as copied from a PDF, partial presence, Dnr
    "au-2022-10-17",  # PDF: running head, "1 (2)" page numbers, unnumbered opening items
    "beredningsgrupp-2024-03-12",  # PDF: title over two lines, samver-/kan, jäv, "Beslut:"
    "styrelse-2022-06-15",  # "Tid och plats" on one line, § and title on two lines
    "styrelse-2022-11-07",  # answers the arbetsutskott's § 45; justering and anslag days
]


@pytest.mark.parametrize("name", LAYOUTS)
def test_each_layout_scores_at_least_95_percent(name, capsys):
    got = parsed(*legacy_file(name)).document
    expected = json.loads((LEGACY / f"{name}.expected.json").read_text())

    share, misses = score(expected, got, ("meeting.status",))
    with capsys.disabled():
        print(f"\n{name}: {share:.1%} of the fields", *misses, sep="\n  ")
    assert share >= 0.95, misses


def test_page_heads_and_feet_are_dropped_and_words_joined():
    read = source.read(*legacy_file("beredningsgrupp-2024-03-12"))
    assert "Sida 1 av 2" not in read.text and "Justerandes signatur" not in read.text
    assert "samverkan" in read.text and "samver-" not in read.text
    assert "Samordningsförbundet Norrälv" in read.running_heads


def test_a_scanned_pdf_is_refused_as_needing_ocr():
    blank = weasyprint.HTML(string='<div style="height:5cm;background:#888"></div>').write_pdf()
    with pytest.raises(source.NotAProtocol, match="OCR"):
        source.read("skannad.pdf", blank)


def test_what_is_not_a_protocol_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="Ingen paragraf"):
        parse.parse("Inköpslista\nMjölk\nBröd\n")
    with pytest.raises(source.NotAProtocol, match="varken en PDF eller text"):
        source.read("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_dry_run_prints_the_json_and_writes_nothing(db, capsys):
    call_command("import_legacy", "--dry-run", str(LEGACY / "styrelse-2019-02-14.txt"))

    out = capsys.readouterr()
    printed = json.loads(out.out)
    document = printed["document"]
    assert printed["file"].endswith("styrelse-2019-02-14.txt")
    # The fields to check are listed beside the document, as paths into it.
    assert "paragraphs[0].section" in printed["check"]
    assert document["format"] == "paragraf.protocol"
    assert document["meeting"]["date"] == "2019-02-14"
    assert (
        document["history"]["source_sha256"]
        == hashlib.sha256((LEGACY / "styrelse-2019-02-14.txt").read_bytes()).hexdigest()
    )
    assert "kontrollera fälten" in out.err  # the fields it was unsure of
    assert Meeting.objects.count() == 0


@pytest.fixture
def vastkusten(db):
    org = Organisation.objects.create(
        name="Samordningsförbundet Västkusten", slug="vastkusten", organisation_number="222000-4321"
    )
    Body.objects.create(organisation=org, name="Styrelsen", slug="styrelse", kind="styrelse")
    Body.objects.create(organisation=org, name="Arbetsutskottet", slug="au", kind="arbetsutskott")
    return org


def test_a_bulk_import_keeps_history_and_links_whatever_the_file_order(
    vastkusten, tmp_path, capsys, client
):
    au_name, au_pdf = legacy_file("au-2022-10-17")
    (tmp_path / au_name).write_bytes(au_pdf)
    # The styrelse's protocol first: its § 62 answers the arbetsutskott's § 45.
    call_command(
        "import_legacy",
        "--publish-unreviewed",
        "--organisation",
        "vastkusten",
        str(LEGACY / "styrelse-2022-11-07.txt"),
        str(tmp_path / au_name),
    )

    assert "Importerade 2 protokoll" in capsys.readouterr().out
    styrelse = Meeting.objects.get(body__slug="styrelse")
    au = Meeting.objects.get(body__slug="au")
    answered = Paragraph.objects.get(meeting=styrelse, number=62).responds_to
    assert (answered.meeting, answered.number) == (au, 45)
    # Justerat and published on the days the text gives, not today.
    assert styrelse.justerat_at.date().isoformat() == "2022-11-10"
    assert styrelse.publish_on.isoformat() == "2022-11-11"
    assert styrelse.status == "publicerat"
    # The original kept as it came, with its SHA-256, marked as imported.
    archive = ArchivedProtocol.objects.get(meeting=au)
    assert archive.imported_from == au_name
    assert archive.sha256 == hashlib.sha256(au_pdf).hexdigest()
    assert archive.pdf.read() == au_pdf

    page = client.get("/vastkusten/au/2022-10-17/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Delårsrapport per augusti 2022" in html
    assert "Originalprotokollet (PDF, importerat)" in html
    served = client.get("/vastkusten/au/2022-10-17/protokoll.pdf")
    assert b"".join(served.streaming_content) == au_pdf
    assert "Delårsrapport" in client.get("/sok/", {"q": "delårsrapport"}).content.decode()


def test_the_imported_original_is_known_but_not_called_sealed(vastkusten, client):
    name, data = legacy_file("au-2022-10-17")
    item = importing.prepare(name, data, organisation=vastkusten)
    importing.import_documents([(name, item.parsed.document, data)])

    response = client.post(reverse("verify"), {"file": SimpleUploadedFile("p.pdf", data)})

    html = response.content.decode()
    assert "importerade originalet" in html
    assert "inte förseglat av Paragraf" in html
    assert "Äkta" not in html
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_an_imported_text_original_is_known_by_its_sha256(vastkusten, client):
    """Issue 29, 11: a protocol imported from a text file is checked at /verifiera/
    as the file it was; any other file that is no PDF is refused with the reason."""
    data = (LEGACY / "styrelse-2022-11-07.txt").read_bytes()
    item = importing.prepare("styrelse-2022-11-07.txt", data, organisation=vastkusten)
    importing.import_documents([("styrelse-2022-11-07.txt", item.parsed.document, data)])

    known = client.post(reverse("verify"), {"file": SimpleUploadedFile("p.txt", data)})
    other = client.post(reverse("verify"), {"file": SimpleUploadedFile("p.txt", data + b" ")})

    assert known.status_code == 200
    html = known.content.decode()
    assert "Känd fil: det importerade originalet av protokollet från styrelsen" in html
    assert "inte förseglat av Paragraf" in html and "Äkta" not in html
    assert other.status_code == 400
    assert (
        "Filen är inte en PDF och inte heller ett importerat original som finns här."
        in other.content.decode()
    )


def test_one_bad_file_imports_none(vastkusten, tmp_path):
    bad = tmp_path / "utan-datum.txt"
    bad.write_text("Samordningsförbundet Västkusten\nStyrelsen\n\n§ 1 Mötets öppnande\nText.\n")

    with pytest.raises(CommandError, match=r"utan-datum\.txt importerades inte; inget har ändrats"):
        call_command(
            "import_legacy",
            "--publish-unreviewed",
            "--organisation",
            "vastkusten",
            str(LEGACY / "styrelse-2022-11-07.txt"),
            str(bad),
        )

    assert Meeting.objects.count() == 0
    assert ArchivedProtocol.objects.count() == 0


def _review_post(upload, **changes) -> dict:
    """The review form as the browser sends it, with `changes` (name → value)."""
    from meetings.legacy import review

    start = review.initial(upload.document)
    data = {f"m-{k}": ("" if v is None else v) for k, v in start["meeting"].items()}
    data["m-is_remote"] = "on" if start["meeting"]["is_remote"] else ""
    data.update(
        {
            "a-TOTAL_FORMS": str(len(start["attendance"])),
            "a-INITIAL_FORMS": str(len(start["attendance"])),
        }
    )
    for i, row in enumerate(start["attendance"]):
        data.update({f"a-{i}-{k}": ("" if v is None else v) for k, v in row.items()})
    data.update(
        {
            "p-TOTAL_FORMS": str(len(start["paragraphs"])),
            "p-INITIAL_FORMS": str(len(start["paragraphs"])),
        }
    )
    for i, row in enumerate(start["paragraphs"]):
        data.update(
            {
                f"p-{i}-{k}": ("" if v is None or v is False else "on" if v is True else v)
                for k, v in row.items()
            }
        )
    data.update(
        {"b-TOTAL_FORMS": str(len(start["bilagor"])), "b-INITIAL_FORMS": str(len(start["bilagor"]))}
    )
    for i, row in enumerate(start["bilagor"]):
        data.update({f"b-{i}-{k}": ("" if v is None else v) for k, v in row.items()})
    data.update(changes)
    return data


def test_the_review_keeps_a_correction_and_refuses_a_broken_protocol_with_the_reason(
    secretary_client, organisation, au
):
    from meetings.models import LegacyUpload

    response = secretary_client.post(
        reverse("workspace:legacy_uploads"),
        {
            "organisation": organisation.pk,
            "files": SimpleUploadedFile("au.txt", (LEGACY / "au-2020-03-09.txt").read_bytes()),
        },
    )
    upload = LegacyUpload.objects.get()
    assert response["Location"] == reverse("workspace:legacy_review", args=[upload.pk])
    url = response["Location"]
    page = secretary_client.get(url).content.decode()
    assert page.count("legacy-unsure") >= 3  # body? justering, anslag, sections …

    saved = secretary_client.post(
        url, _review_post(upload, **{"m-place": "Kansliet, Kustby", "save": "1"})
    )
    assert saved.status_code == 302
    upload.refresh_from_db()
    assert upload.document["meeting"]["place"] == "Kansliet, Kustby"

    # Two paragraphs with one number: refused with the field named, nothing imported.
    broken = secretary_client.post(url, _review_post(upload, **{"p-1-number": "10", "import": "1"}))
    html = broken.content.decode()
    assert broken.status_code == 400
    assert "Protokollet kan inte importeras så här:" in html and "§ 10, nummer:" in html
    assert "paragraphs[1]" not in html  # named as the review shows it
    assert 'value="Kansliet, Kustby"' in html
    assert Meeting.objects.count() == 0


def test_a_file_that_is_no_protocol_is_refused_on_upload_with_the_reason(
    secretary_client, organisation
):
    response = secretary_client.post(
        reverse("workspace:legacy_uploads"),
        {
            "organisation": organisation.pk,
            "files": SimpleUploadedFile("lista.txt", "Inköpslista\nMjölk\n".encode()),
        },
        follow=True,
    )

    assert "lista.txt är inte ett protokoll som kan läsas: Ingen paragraf" in (
        response.content.decode()
    )


def test_an_imported_protocol_says_it_was_justerat_before_paragraf(vastkusten, client):
    name, data = legacy_file("au-2022-10-17")
    item = importing.prepare(name, data, organisation=vastkusten)
    importing.import_documents([(name, item.parsed.document, data)])

    html = client.get("/vastkusten/au/2022-10-17/").content.decode()
    assert "före Paragraf: se originalet" in html
    assert "Digitalt i Paragraf" not in html
    assert client.get("/vastkusten/au/2022-10-17/p45/utdrag.pdf").status_code == 404


def test_the_same_file_is_not_taken_in_twice(secretary_client, organisation, au):
    upload = SimpleUploadedFile("au.txt", (LEGACY / "au-2020-03-09.txt").read_bytes())
    item = importing.prepare(
        "au.txt", (LEGACY / "au-2020-03-09.txt").read_bytes(), organisation=organisation
    )
    importing.import_documents([("au.txt", item.parsed.document, item.source.raw)])

    response = secretary_client.post(
        reverse("workspace:legacy_uploads"),
        {"organisation": organisation.pk, "files": upload},
        follow=True,
    )

    assert "au.txt är redan importerad: Arbetsutskottet 2020-03-09." in response.content.decode()


def test_brackets_votes_and_motivated_reservations_are_read():
    text = (
        "Samordningsförbundet Norrälv\nStyrelsen\nDatum: 2023-06-09\nTid: 09.30-12.00\n\n"
        "Närvarande ledamöter\nMaria Lindqvist (Älvby kommun), ordförande\n"
        "Per Öberg (Forsnäs kommun)\nMats Lundgren (Arbetsförmedlingen), ersättare för Sofia Wik\n"
        "\n§ 1 Budget\nFörslag till budget.\n\nStyrelsen beslutar att fastställa budgeten. "
        "Med 4 röster för bifall och 1 röst för avslag bifaller styrelsen förslaget.\n\n"
        "Per Öberg (Forsnäs kommun) reserverar sig mot beslutet med motiveringen att "
        "budgeten är för snäv.\n"
    )
    document = parse.parse(text).document
    assert [
        (a["person"], a["party"], a["capacity"], a["substitutes_for"])
        for a in document["attendance"]
    ] == [
        ("Maria Lindqvist", "Älvby kommun", "beslutande", None),
        ("Per Öberg", "Forsnäs kommun", "beslutande", None),
        ("Mats Lundgren", "Arbetsförmedlingen", "tjanstgorande_ersattare", "Sofia Wik"),
    ]
    assert document["chair"] == "Maria Lindqvist"
    decision = document["paragraphs"][0]["decisions"][-1]
    assert (decision["vote"]["for"], decision["vote"]["against"]) == (4, 1)
    assert decision["reservations"] == [
        {"person": "Per Öberg", "motivation": "Budgeten är för snäv."}
    ]


def _fake_pdftotext(tmp_path, monkeypatch, body: str) -> None:
    script = tmp_path / "pdftotext"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setattr(source, "PDFTOTEXT", str(script))


def test_a_pdf_that_keeps_pdftotext_busy_is_refused_within_the_bound(
    secretary_client, organisation, settings, tmp_path, monkeypatch
):
    from meetings.models import LegacyUpload

    settings.LEGACY_PDF_SECONDS = 1
    # A child that keeps the pipe open, as a hung reader would: all of it is stopped.
    _fake_pdftotext(tmp_path, monkeypatch, "cat >/dev/null; sleep 30; echo late")
    started = time.monotonic()

    response = secretary_client.post(
        reverse("workspace:legacy_uploads"),
        {
            "organisation": organisation.pk,
            "files": [
                SimpleUploadedFile("seg.pdf", b"%PDF-1.4\n" + b"x" * 80_000),
                SimpleUploadedFile("au.txt", (LEGACY / "au-2020-03-09.txt").read_bytes()),
            ],
        },
        follow=True,
    )

    assert time.monotonic() - started < 5
    html = response.content.decode()
    assert (
        "seg.pdf är inte ett protokoll som kan läsas: PDF-filen kunde inte läsas inom 1 "
        "sekunder: den kan vara skadad eller gjord för att vara långsam att läsa. De andra "
        "filerna påverkas inte."
    ) in html
    assert list(LegacyUpload.objects.values_list("filename", flat=True)) == ["au.txt"]


def test_the_pdfs_of_one_upload_share_one_time_budget(
    secretary_client, organisation, settings, tmp_path, monkeypatch
):
    settings.LEGACY_PDF_SECONDS = 1
    _fake_pdftotext(tmp_path, monkeypatch, "exec sleep 30")
    started = time.monotonic()

    response = secretary_client.post(
        reverse("workspace:legacy_uploads"),
        {
            "organisation": organisation.pk,
            "files": [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4\n" + bytes([n])) for n in range(5)],
        },
        follow=True,
    )

    assert time.monotonic() - started < 5
    html = response.content.decode()
    assert html.count("kunde inte läsas inom") == 1
    assert html.count("lästes inte: filerna före den tog den tid en uppladdning får ta.") == 4


def test_pdftotext_runs_within_a_memory_bound(settings, tmp_path, monkeypatch):
    settings.LEGACY_PDF_MEMORY_MB = 256
    # Asks for 1 GB, as a crafted PDF can make pdftotext do: refused, not granted.
    _fake_pdftotext(
        tmp_path, monkeypatch, f'exec {sys.executable} -c "b = bytearray(1 << 30); print(len(b))"'
    )

    with pytest.raises(source.NotAProtocol, match=r"^Filen är inte en läsbar PDF\.$"):
        source.read("stor.pdf", b"%PDF-1.4\n")


MUNICIPAL_HEAD = """KOMMUNSTYRELSEN SAMMANTRÄDESPROTOKOLL
Justeringens plats och tid Kommunkontoret 2006-05-29
Sammanträdesdatum
2006-05-22
Plats och tid: Kommunhuset, kl. 13.00-16.00
Beslutande: Anna Ek (S), ordförande
§ 1 Mötets öppnande
Ordföranden öppnar mötet.
"""


def test_the_meetings_day_comes_from_its_own_field_not_the_justerings():
    """Issue 31, 1: a municipal head's justering day above its Sammanträdesdatum."""
    read = parse.parse(MUNICIPAL_HEAD)

    assert read.document["meeting"]["date"] == "2006-05-22"
    assert "meeting.date" not in read.unsure


def test_a_meeting_of_two_days_starts_on_the_first():
    read = parse.parse("Styrelsen\nDatum: 26-27 januari 2021\n§ 1 Mötets öppnande\nÖppnas.\n")

    assert read.document["meeting"]["date"] == "2021-01-26"


def test_days_that_disagree_or_no_field_for_the_day_are_marked():
    disagreeing = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\nTid och plats: 27 januari 2021 kl. 13.00, Kansliet\n"
        "§ 1 Mötets öppnande\nÖppnas.\n"
    )
    unlabelled = parse.parse("Styrelsen 2021-03-04\n§ 1 Mötets öppnande\nÖppnas.\n")

    assert disagreeing.document["meeting"]["date"] == "2021-01-26"
    assert "meeting.date" in disagreeing.unsure
    assert any("2021-01-26, 2021-01-27" in w for w in disagreeing.warnings)
    assert unlabelled.document["meeting"]["date"] == "2021-03-04"
    assert "meeting.date" in unlabelled.unsure


def test_a_slash_after_the_number_and_a_contents_list_are_read_as_headings():
    """Issue 31, 5: "§ 1/" keeps no "/" in its title, and a contents list before the
    § bodies does not give each § twice."""
    read = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\n"
        "§ 1/ Mötets öppnande\n§ 2/ Val av justerare\n\n"
        "§ 1/ Mötets öppnande\nOrdföranden öppnar mötet.\n"
        "§ 2/ Val av justerare\nTill justerare valdes Henry Ek.\n"
    )

    paragraphs = read.document["paragraphs"]
    assert [(p["number"], p["title"]) for p in paragraphs] == [
        (1, "Mötets öppnande"),
        (2, "Val av justerare"),
    ]
    assert "Ordföranden öppnar mötet." in paragraphs[0]["text"]
    assert "paragraphs" not in read.unsure


def test_more_group_headings_are_read_as_their_capacity():
    """Issue 31, 2: Suppleanter, Tjänstgörande suppleanter, Sekretariatet, Tjänstemän,
    Adjungerande, beyond the headings read before."""
    read = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\n"
        "Ledamöter\nAnna Ek, ordförande\n"
        "Tjänstgörande suppleanter\nBo Ek\n"
        "Suppleanter\nCilla Ek\n"
        "Sekretariatet\nDan Ek\n"
        "Tjänstemän\nEva Ek\n"
        "Adjungerande\nFia Ek\n"
        "§ 1 Mötets öppnande\nÖppnas.\n"
    )

    capacities = {a["person"]: a["capacity"] for a in read.document["attendance"]}
    assert capacities == {
        "Anna Ek": "beslutande",
        "Bo Ek": "tjanstgorande_ersattare",
        "Cilla Ek": "ersattare",
        "Dan Ek": "ovrig",
        "Eva Ek": "ovrig",
        "Fia Ek": "ovrig",
    }


def test_presence_marks_absences_and_chairing_are_not_names_or_presence():
    """Issue 31, 2: the X of a presence table, "Tjg", "ej § 2-3" (absent there, so
    present from § 4 when they are the first), "mötesordf. § 3" (marked for review)."""
    read = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\n"
        "Ledamöter\nAnna Ek   X\nBo Ek, ej § 1-2\nCilla Ek, mötesordf. § 3\nDan Ek, ej § 2\n"
        "Ersättare\nEva Ek   Tjg\n"
        "§ 1 Mötets öppnande\nÖppnas.\n§ 2 Val av justerare\nValdes.\n"
        "§ 3 Budget\nBeslutas.\n§ 4 Mötets avslutande\nAvslutas.\n"
    )

    rows = {a["person"]: a for a in read.document["attendance"]}
    assert set(rows) == {"Anna Ek", "Bo Ek", "Cilla Ek", "Dan Ek", "Eva Ek"}
    assert rows["Anna Ek"]["party"] is None
    assert (rows["Bo Ek"]["present_from"], rows["Bo Ek"]["present_until"]) == (3, None)
    assert rows["Eva Ek"]["capacity"] == "tjanstgorande_ersattare"
    index = list(rows).index
    assert f"attendance[{index('Cilla Ek')}].role_title" in read.unsure
    assert f"attendance[{index('Dan Ek')}].present_from" in read.unsure  # absent mid-meeting
    assert (rows["Cilla Ek"]["present_from"], rows["Cilla Ek"]["present_until"]) == (None, None)


def test_signatures_a_dotted_line_is_no_name_and_names_above_their_roles():
    """Issue 31, 3: "Ordförande ........" names nobody; names printed above their
    role labels take the role below them, not the secretary's above."""
    read = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\nLedamöter\nAnna Ek, ordförande\nBo Ek\n"
        "§ 1 Mötets öppnande\nÖppnas.\n\n"
        "Vid protokollet\nCilla Ek\nSekreterare\n"
        "Anna Ek                 Bo Ek\nOrdförande              Justerare\n"
    )
    dotted = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\nLedamöter\nAnna Ek, ordförande\nBo Ek\n"
        "§ 1 Mötets öppnande\nÖppnas.\n\n"
        "Ordförande .............................\n"
    )

    assert read.document["chair"] == "Anna Ek"
    assert read.document["secretaries"] == ["Cilla Ek"]
    assert read.document["justerare"] == ["Bo Ek"]
    assert dotted.document["chair"] == "Anna Ek"  # from the attendance, not the dots


def test_decisions_said_otherwise_are_found():
    """Issue 31, 4: "Nämnden beslutar", a decision inside a block of text, an att-clause
    alone, and a § whose heading is all it says (marked)."""
    read = parse.parse(
        "Nämnden\nDatum: 2021-01-26\n"
        "§ 1 Budget\nBudgeten föredras av ekonomen. Nämnden beslutar att fastställa budgeten.\n\n"
        "§ 2 Rapport\nRapporten redovisas.\n\natt lägga rapporten till handlingarna.\n\n"
        "§ 3/ Till justerare valdes Henry Ek\n\n"
        "§ 4 Taxa\nKommunstyrelsen beslutar\natt anta taxan.\n"
    )

    paragraphs = read.document["paragraphs"]
    texts = [[d["text"] for d in p["decisions"]] for p in paragraphs]
    assert texts == [
        ["Nämnden beslutar att fastställa budgeten."],
        ["att lägga rapporten till handlingarna."],
        ["Till justerare valdes Henry Ek."],
        ["Kommunstyrelsen beslutar att anta taxan."],
    ]
    assert paragraphs[0]["text"] == "Budgeten föredras av ekonomen."
    assert "paragraphs[2].title" in read.unsure


def test_a_decision_that_misses_what_its_paragraph_says_is_marked():
    """Issue 31: a § that speaks of a reservation, a vote or an uppdrag its decision
    does not hold, or that holds two decisions, is for the review."""
    read = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\n"
        "§ 1 Budget\nEfter omröstning, 4 mot 3, beslutar styrelsen enligt förslaget.\n"
        "Styrelsen beslutar att fastställa budgeten.\n\n"
        "§ 2 Rapport\nStyrelsen beslutar att lägga rapporten till handlingarna.\n"
    )

    assert "paragraphs[0].decisions" in read.unsure
    assert "paragraphs[1].decisions" not in read.unsure


def test_a_paragraph_the_original_kept_secret_is_imported_confidential(db, client, capsys):
    """Issue 31: "Sekretess enligt 26 kap. 1 § OSL" makes the § confidential (and marked
    for the review): the public reads its title only."""
    org = Organisation.objects.create(
        name="Hammarlunda kommun", slug="hammarlunda", organisation_number="212000-0001"
    )
    Body.objects.create(organisation=org, name="Socialnämnden", slug="sn", kind="other")
    blind = Path(__file__).parent / "data" / "legacy_blind" / "blind-7.txt"

    call_command(
        "import_legacy",
        "--publish-unreviewed",
        "--organisation",
        "hammarlunda",
        "--body",
        "sn",
        str(blind),
    )

    secret = Paragraph.objects.get(meeting__body__organisation=org, number=9)
    assert (secret.is_confidential, secret.public_title) == (True, "Individärende")
    page = client.get(secret.meeting.get_absolute_url()).content.decode()
    assert "Individärende" in page and "26 kap. 1 §" not in page


def test_an_uppdrag_is_due_by_the_meeting_or_day_it_names():
    """Issue 31: "till styrelsens möte den 16 mars 2021" is the uppdrag's due day, not
    part of what is to be done."""
    read = parse.parse(
        "Styrelsen\nDatum: 2021-01-26\nLedamöter\nAnna Ek, ordförande\n"
        "§ 1 Tävlingar\nStyrelsen beslutar att uppdra åt Anna Ek att ta fram en "
        "smittskyddsplan till styrelsens möte den 16 mars 2021.\n"
    )

    (uppdrag,) = read.document["paragraphs"][0]["decisions"][0]["uppdrag"]
    assert uppdrag == {
        "description": "ta fram en smittskyddsplan",
        "assignee": "Anna Ek",
        "due_date": "2021-03-16",
    }


def test_an_imported_paragraph_is_filed_under_its_matter_by_its_diarienummer(
    vastkusten, tmp_path, client
):
    """Issue 35: the diarienummer a legacy protocol gives a § ("Dnr 2018/44" on its own
    line) files it under that matter, and a later § with the same number, written
    otherwise, joins it; the public reads the path."""
    first = (LEGACY / "styrelse-2019-02-14.txt").read_text()
    later = (
        first.replace("2019-02-14", "2020-04-16")
        .replace("Dnr 2018/44", "Diarienummer: 2018/44")
        .replace("Verksamhetsplan och budget 2019", "Uppföljning av verksamhetsplanen 2019")
    )
    (tmp_path / "styrelse-2019-02-14.txt").write_text(first)
    (tmp_path / "styrelse-2020-04-16.txt").write_text(later)
    call_command(
        "import_legacy",
        "--publish-unreviewed",
        "--organisation",
        "vastkusten",
        str(tmp_path / "styrelse-2019-02-14.txt"),
        str(tmp_path / "styrelse-2020-04-16.txt"),
    )

    matter = Matter.objects.get(organisation=vastkusten, key="2018/44")
    filed = matter.links.order_by("paragraph__meeting__date")
    assert [(link.paragraph.meeting.date.isoformat(), link.paragraph.title) for link in filed] == [
        ("2019-02-14", "Verksamhetsplan och budget 2019"),
        ("2020-04-16", "Uppföljning av verksamhetsplanen 2019"),
    ]
    html = client.get(f"/vastkusten/arenden/{matter.pk}/").content.decode()
    assert "<h1>Verksamhetsplan och budget 2019</h1>" in html
    assert "Uppföljning av verksamhetsplanen 2019" in html
    assert "Diarienummer: 2018/44" in html
