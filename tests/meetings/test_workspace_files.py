import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from meetings.actions import services
from meetings.models import Attendance, Bilaga, Decision, Kallelse
from tests.mailserver import refuse_connections

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def drafting(planned):
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    return planned


def upload(client, meeting, name, content, *, title="Dagordning", paragraph=None):
    paragraph = paragraph or meeting.paragraphs.get(position=3)
    return client.post(
        reverse("workspace:bilagor", args=[meeting.pk]),
        {
            "paragraph": paragraph.pk,
            "title": title,
            "is_public": "on",
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("dagordning.pdf", PDF), ("bild.png", PNG), ("avtal.docx", docx_bytes())],
)
def test_a_bilaga_is_attached_and_numbered(
    secretary_client, drafting, name, content, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    response = upload(secretary_client, drafting, name, content)

    assert response.status_code == 302
    bilaga = Bilaga.objects.get()
    assert (bilaga.number, bilaga.title, bilaga.filename) == (1, "Dagordning", name)
    assert bilaga.file.read() == content


def test_bilagor_are_numbered_on_within_the_protocol(
    secretary_client, drafting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    upload(secretary_client, drafting, "a.pdf", PDF, title="Dagordning")
    upload(secretary_client, drafting, "b.pdf", PDF, title="Viljeinriktning")

    assert list(Bilaga.objects.values_list("number", "title")) == [
        (1, "Dagordning"),
        (2, "Viljeinriktning"),
    ]


def test_a_file_whose_content_is_not_a_pdf_is_refused_under_a_pdf_name(
    secretary_client, drafting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    response = upload(secretary_client, drafting, "dagordning.pdf", b"MZ\x90\x00 not a pdf")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Filens innehåll är inte en PDF-, Word-, Excel-, PNG- eller JPEG-fil" in html
    assert 'value="Dagordning"' in html  # the title typed is kept
    assert Bilaga.objects.count() == 0
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_pdf_under_a_word_name_is_refused(secretary_client, drafting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = upload(secretary_client, drafting, "avtal.docx", PDF)

    assert response.status_code == 400
    assert "slutar på .docx men innehållet är av ett annat slag (PDF)" in response.content.decode()


def test_a_file_over_the_limit_is_refused(secretary_client, drafting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BILAGA_MAX_BYTES = 1024

    response = upload(secretary_client, drafting, "stor.pdf", PDF + b"0" * 2048)

    assert response.status_code == 400
    assert "Filen är 2,0\xa0kB; den största tillåtna är 1,0\xa0kB." in response.content.decode()
    assert Bilaga.objects.count() == 0


def test_a_bilaga_is_downloaded_through_the_workspace_only(
    secretary_client, drafting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload(secretary_client, drafting, "dagordning.pdf", PDF)

    response = secretary_client.get(reverse("workspace:bilaga_download", args=[drafting.pk, 1]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="dagordning.pdf"'


def test_the_kallelse_pdf_lists_the_agenda_with_placeholders(secretary_client, planned):
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")

    text = pdf_text(secretary_client.get(reverse("workspace:kallelse_pdf", args=[planned.pk])))

    assert "Samordningsförbundet Norrbotten" in text
    assert "Kallelse\n" in text
    assert "Måndag 27 september 2021 kl. 09.00–11.00" in text
    assert "Via Teams" in text
    assert "§ ___ Tjänsteköp Samordnare" in text
    assert "Sida 1 av 1" in text


def test_sending_the_kallelse_mails_the_members_and_deputies_and_records_it(
    secretary_client, planned, secretary, week_before
):
    response = secretary_client.post(reverse("workspace:kallelse_send", args=[planned.pk]))

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "annica@example.se",
        "bengt-åke@example.se",
        "fredrik@example.se",
        "lisa@example.se",
    ]
    message = mail.outbox[0]
    assert message.subject == "Kallelse: Arbetsutskottet 27 september 2021"
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("kallelse-arbetsutskott-2021-09-27.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    record = Kallelse.objects.get()
    assert record.sent_by == secretary
    assert [r["name"] for r in record.recipients] == [
        "Annica Alatalo",
        "Bengt-Åke Strand",
        "Fredrik Hansson",
        "Lisa Persson",
    ]
    planned.refresh_from_db()
    assert planned.status == "kallat"


def test_a_mail_server_that_is_down_delays_the_kallelse_and_the_page_says_so(
    secretary_client, planned, monkeypatch, week_before
):
    refuse_connections(monkeypatch)

    response = secretary_client.post(
        reverse("workspace:kallelse_send", args=[planned.pk]), follow=True
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kallelsen är registrerad och skickas med e-post till 4 personer" in html
    # Recorded, the meeting kallat: the mails wait for the server, each on the page.
    assert Kallelse.objects.count() == 1
    planned.refresh_from_db()
    assert planned.status == "kallat"
    assert html.count("1 försök misslyckades; nästa") == 4
    assert html.count("E-postservern gick inte att nå.") == 4
    assert html.count(">Försök igen</button>") == 4
    assert mail.outbox == []


def test_the_send_page_names_who_has_no_address(secretary_client, planned, seats):
    seats["deputy"].email = ""
    seats["deputy"].save()

    html = secretary_client.get(
        reverse("workspace:kallelse_send", args=[planned.pk])
    ).content.decode()

    assert "Lisa Persson <strong>(ingen e-postadress" in html


def test_the_draft_pdf_is_a_swedish_protocol_marked_utkast(secretary_client, drafting, styrelse):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    Decision.objects.create(
        paragraph=item,
        kind="forslag",
        proposed_to=styrelse,
        text="Arbetsutskottet föreslår styrelsen att fastställa tjänsteköpet.",
    )
    bengt = drafting.attendances.get(person__name="Bengt-Åke Strand")
    bengt.present_from = item
    bengt.save()

    text = pdf_text(secretary_client.get(reverse("workspace:draft_pdf", args=[drafting.pk])))

    assert "UTKAST" in text
    assert "Protokoll fört vid sammanträde med arbetsutskottet" in text
    assert "Bengt-Åke Strand, Region Norrbotten (från § 4)" in text
    assert "§ 4 Tjänsteköp Samordnare" in text
    assert "Förslag till styrelsen" in text
    assert "Arbetsutskottet föreslår styrelsen att fastställa tjänsteköpet." in text
    assert "Vid protokollet" in text
    assert "Justeras" in text
    assert "Sida 1 av" in text
    assert Attendance.objects.filter(meeting=drafting).count() == 5


def test_the_workspace_files_are_never_kept_by_a_cache(
    secretary_client, drafting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload(secretary_client, drafting, "dagordning.pdf", PDF)

    for name in ("bilaga_download", "draft_pdf", "kallelse_pdf"):
        args = [drafting.pk, 1] if name == "bilaga_download" else [drafting.pk]
        response = secretary_client.get(reverse(f"workspace:{name}", args=args))

        assert response.status_code == 200, name
        assert response["Cache-Control"] == "private, no-store", name
