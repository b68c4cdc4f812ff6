import datetime
import hashlib
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.actions import justering, services
from meetings.documents import sealing
from meetings.documents.protocol_json import dumps, export_protocol
from meetings.documents.verification import verify
from meetings.models import (
    Approval,
    ArchivedProtocol,
    Attendance,
    AuditEvent,
    Decision,
    Justerare,
    Meeting,
    Paragraph,
    ProtocolFrozen,
)
from tests.meetings.test_workspace_protocol import paragraph_post

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def seal_certificate():
    # In the test's temporary folder (tests/conftest.py points the settings there).
    sealing.create_development_certificate()


def as_user(_client, person) -> Client:
    """A browser of the person's own (the secretary keeps hers)."""
    person.refresh_from_db()
    own = Client()
    own.force_login(person.user)
    return own


def version_on_page(client, meeting) -> str:
    html = client.get(reverse("justering:protocol", args=[meeting.pk])).content.decode()
    return re.search(r'name="version" value="([0-9a-f]{64})"', html).group(1)


def send(secretary_client, meeting, *people):
    return secretary_client.post(
        reverse("workspace:justering_send", args=[meeting.pk]),
        # The form takes no deadline already passed (the example's meeting was in 2021).
        {
            "justerare": [p.pk for p in people],
            "deadline": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        },
    )


def edit(meeting, text):
    item = meeting.paragraphs.get(title="Tjänsteköp Samordnare")
    services.save_paragraph(
        item,
        revision=item.revision,
        decisions=[],
        fields={
            "section": item.section,
            "title": item.title,
            "text": text,
            "diarienummer": "",
            "is_confidential": False,
            "public_title": "",
        },
    )
    justering.content_changed(meeting, user=None)


def test_a_protocol_goes_from_draft_to_sealed_archive(
    client, secretary_client, secretary, drafted, fredrik, annica
):
    meeting = drafted

    # Send: the chair and one justerare get a link; new accounts get a password link.
    response = send(secretary_client, meeting, annica)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "under_justering"
    assert sorted(m.to[0] for m in mail.outbox) == ["annica@example.se", "fredrik@example.se"]
    assert f"/justera/{meeting.pk}/" in mail.outbox[0].body
    assert "/konto/losenord/" in mail.outbox[0].body

    # Annica asks for a change: back to the secretary, with her reason visible.
    annica_client = as_user(client, annica)
    version = version_on_page(annica_client, meeting)
    annica_client.post(
        reverse("justering:request_change", args=[meeting.pk]),
        {"version": version, "reason": "Tjänsteköpet avser ett år, skriv det."},
    )
    meeting.refresh_from_db()
    assert meeting.status == "genomfort"
    page = secretary_client.get(reverse("workspace:meeting", args=[meeting.pk])).content.decode()
    assert "Tjänsteköpet avser ett år, skriv det." in page

    # The secretary edits and sends again; Fredrik approves.
    edit(meeting, "Tjänsteköpet avser ett år.")
    send(secretary_client, meeting, annica)
    fredrik_client = as_user(client, fredrik)
    fredrik_client.post(
        reverse("justering:approve", args=[meeting.pk]),
        {"version": version_on_page(fredrik_client, meeting)},
    )
    assert [row["valid"] for row in justering.approval_state(meeting)] == [True, False]

    # Another edit voids his approval, visibly, and he is asked again.
    mail.outbox.clear()
    edit(meeting, "Tjänsteköpet avser ett år, från 2021-10-08.")
    state = justering.approval_state(meeting)
    assert (state[0]["valid"], state[0]["voided"]) == (False, True)
    assert [m.to[0] for m in mail.outbox] == ["fredrik@example.se"]
    assert (
        "godkännandet upphävt"
        in fredrik_client.get(reverse("justering:protocol", args=[meeting.pk])).content.decode()
    )

    # A stale version is refused.
    stale = fredrik_client.post(
        reverse("justering:approve", args=[meeting.pk]), {"version": version}, follow=True
    )
    assert "Protokollet har ändrats sedan du öppnade det." in stale.content.decode()

    # Both approve the current version: justerat.
    for c in (as_user(client, fredrik), as_user(client, annica)):
        c.post(
            reverse("justering:approve", args=[meeting.pk]),
            {"version": version_on_page(c, meeting)},
        )
    meeting.refresh_from_db()
    assert meeting.status == "justerat"
    assert meeting.justerat_at is not None
    archive = ArchivedProtocol.objects.get(meeting=meeting)
    data = archive.pdf.open("rb").read()
    assert hashlib.sha256(data).hexdigest() == archive.sha256

    # The stored PDF: every paragraph, the justering page, the seal, PDF/A-3, the JSON.
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for paragraph in meeting.paragraphs.all():
        assert f"§ {paragraph.number} {paragraph.title}" in text
    assert "Tjänsteköpet avser ett år, från 2021-10-08." in text
    assert "Justering" in text and "Fredrik Hansson" in text and "Annica Alatalo" in text
    assert "UTKAST" not in text
    assert "Bilaga 1: Tjänsteköpsavtal" in text
    seal = sealing.check_seal(data)
    assert (seal.sealed, seal.intact, seal.trusted, seal.whole_file) == (True, True, True, True)
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)
    embedded = reader.attachments["protokoll.json"][0].decode("utf-8")
    assert embedded == dumps(export_protocol(meeting)) == archive.content
    actions = list(AuditEvent.objects.filter(meeting=meeting).values_list("action", flat=True))
    assert actions == [
        "protocol_started",
        "sent_for_justering",
        "change_requested",
        "sent_for_justering",
        "approved",
        "approvals_voided",
        "approved",
        "approved",
        "justerat",
    ]

    # The secretary downloads exactly the stored bytes.
    download = secretary_client.get(reverse("workspace:archive_pdf", args=[meeting.pk]))
    assert b"".join(download.streaming_content) == data


def test_verification_accepts_the_stored_pdf_and_rejects_one_changed_byte(justerat, tmp_path):
    data = justerat.archive.pdf.open("rb").read()
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x01

    assert verify(data).authentic
    assert "arbetsutskottet" in verify(data).message
    refused = verify(bytes(changed))
    assert not refused.authentic
    assert refused.message.startswith("Inte äkta")

    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(data)
    bad.write_bytes(bytes(changed))
    call_command("verify_protocol", str(good))
    with pytest.raises(CommandError, match="Inte äkta"):
        call_command("verify_protocol", str(bad))


def test_a_pdf_sealed_by_another_key_is_not_ours(justerat, settings, tmp_path):
    data = justerat.archive.pdf.open("rb").read()
    settings.SEAL_CERTIFICATE_FILE = str(tmp_path / "other" / "cert.pem")
    settings.SEAL_KEY_FILE = str(tmp_path / "other" / "key.pem")
    sealing.create_development_certificate("Någon annan")

    assert not verify(data).authentic


def test_every_write_path_is_refused_on_a_justerat_protocol(
    justerat, secretary_client, admin_client
):
    paragraph = justerat.paragraphs.get(title="Tjänsteköp Samordnare")
    attendance = justerat.attendances.first()
    decision = Decision.objects.filter(paragraph=paragraph).first()

    # models and services
    paragraph.text = "Ändrat i efterhand"
    with pytest.raises(ProtocolFrozen):
        paragraph.save()
    with pytest.raises(ProtocolFrozen):
        decision.delete()
    with pytest.raises(ProtocolFrozen):
        attendance.save()
    with pytest.raises(ProtocolFrozen):
        services.add_item(justerat, section="ovrigt", title="Sent ärende")
    justerat.place = "Någon annanstans"
    with pytest.raises(ProtocolFrozen):
        justerat.save()
    justerat.refresh_from_db()

    # the workspace
    url = reverse("workspace:paragraph", args=[justerat.pk, paragraph.pk])
    paragraph.refresh_from_db()
    assert secretary_client.post(url, paragraph_post(paragraph, text="x")).status_code == 403
    move = reverse("workspace:item_move", args=[justerat.pk, paragraph.pk])
    assert secretary_client.post(move, {"direction": "up"}).status_code == 403

    # the admin
    change = reverse("admin:meetings_paragraph_change", args=[paragraph.pk])
    assert admin_client.post(change, {"title": "x"}).status_code == 403
    assert (
        admin_client.get(reverse("admin:meetings_meeting_delete", args=[justerat.pk])).status_code
        == 403
    )

    paragraph.refresh_from_db()
    assert paragraph.text == ""
    assert Paragraph.objects.filter(meeting=justerat).count() == 6
    assert Meeting.objects.get(pk=justerat.pk).place == "Via Teams"


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meetings_paragraph SET text = 'x' WHERE meeting_id = %s",
        "DELETE FROM meetings_paragraph WHERE meeting_id = %s",
        "UPDATE meetings_attendance SET role_title = 'x' WHERE meeting_id = %s",
        "DELETE FROM meetings_bilaga WHERE meeting_id = %s",
        "UPDATE meetings_decision SET text = 'x' WHERE paragraph_id IN "
        "(SELECT id FROM meetings_paragraph WHERE meeting_id = %s)",
        "DELETE FROM meetings_justerare WHERE meeting_id = %s",
        "UPDATE meetings_meeting SET place = 'x' WHERE id = %s",
        "DELETE FROM meetings_meeting WHERE id = %s",
        "INSERT INTO meetings_paragraph (created, modified, meeting_id, body_id, year, position, "
        "section, title, text, diarienummer, is_confidential, public_title, is_struck, revision) "
        "SELECT now(), now(), id, body_id, 2021, 99, 'ovrigt', 'x', '', '', false, '', false, 0 "
        "FROM meetings_meeting WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql_on_a_justerat_protocol(justerat, sql):
    with (
        pytest.raises(IntegrityError, match="is justerat"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [justerat.pk])

    assert Paragraph.objects.filter(meeting=justerat).count() == 6


@pytest.mark.postgres_only
def test_the_database_lets_a_justerat_protocol_be_published(justerat):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_meeting SET status = 'publicerat' WHERE id = %s", [justerat.pk]
        )

    assert Meeting.objects.get(pk=justerat.pk).status == "publicerat"


def test_a_justerare_of_another_meeting_of_the_organisation_gets_403(
    client, drafted, secretary, annica, bengt, au
):
    from tests import factories

    justering.send_for_justering(drafted, justerare=[annica], deadline=drafted.date, by=secretary)
    other = factories.meeting(au, drafted.date.replace(day=1), status="under_justering")
    User.objects.create_user("bengt")
    bengt.user = User.objects.get(username="bengt")
    bengt.save()
    client.force_login(bengt.user)

    # Same organisation: they know the meeting is there, but have no right to it.
    assert client.get(reverse("justering:protocol", args=[drafted.pk])).status_code == 403
    assert client.post(reverse("justering:approve", args=[drafted.pk])).status_code == 403
    annica.refresh_from_db()
    client.force_login(annica.user)
    assert client.get(reverse("justering:protocol", args=[other.pk])).status_code == 403
    assert client.get(reverse("justering:protocol", args=[drafted.pk])).status_code == 200
    assert Approval.objects.count() == 0


def test_justerare_are_chosen_among_the_voting_members_present(secretary_client, drafted, asa):
    response = send(secretary_client, drafted, asa)

    assert response.status_code == 200
    drafted.refresh_from_db()
    assert drafted.status == "genomfort"
    assert Attendance.objects.filter(meeting=drafted, person=asa, capacity="ovrig").exists()


def test_anyone_can_verify_a_protocol_on_the_public_page(client, justerat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = justerat.archive.pdf.open("rb").read()
    changed = data[:-200] + bytes([data[-200] ^ 1]) + data[-199:]

    good = client.post(reverse("verify"), {"file": SimpleUploadedFile("p.pdf", data)})
    bad = client.post(reverse("verify"), {"file": SimpleUploadedFile("p.pdf", changed)})
    nothing = client.post(reverse("verify"), {})

    assert good.status_code == 200
    assert "Äkta: det justerade protokollet från sammanträdet med arbetsutskottet" in (
        good.content.decode()
    )
    assert justerat.archive.sha256 in good.content.decode()
    assert "Inte äkta" in bad.content.decode()
    assert nothing.status_code == 400


def test_a_protokollsutdrag_is_one_paragraph_certified_and_sealed(secretary_client, justerat):
    paragraph = justerat.paragraphs.get(title="Tjänsteköp Samordnare")

    response = secretary_client.get(
        reverse("workspace:utdrag_pdf", args=[justerat.pk, paragraph.pk])
    )

    assert response.status_code == 200
    data = response.content
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    # Its heading says what it is, as its running head does.
    assert text.startswith("Protokollsutdrag Protokoll fört vid sammanträde")
    assert "§ 4 Tjänsteköp Samordnare" in text
    assert "Mötets öppnande" not in text
    assert "Arbetsutskottet föreslår styrelsen att fastställa tjänsteköpet." in text
    assert "Bengt-Åke Strand, Region Norrbotten" in text
    assert "Utdragsbestyrkande" in text
    assert "Åsa Snårbacka" in text
    assert "Fredrik Hansson" in text and "Annica Alatalo" in text
    assert sealing.check_seal(data).ok


def test_there_is_no_extract_before_justering(secretary_client, drafted):
    paragraph = drafted.paragraphs.first()

    response = secretary_client.get(
        reverse("workspace:utdrag_pdf", args=[drafted.pk, paragraph.pk])
    )

    assert response.status_code == 404


def test_reminders_go_to_those_who_have_not_approved_once_a_day(
    drafted, annica, fredrik, secretary
):
    import datetime

    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=datetime.date(2021, 10, 11),
        by=secretary,
    )
    fredrik.refresh_from_db()
    justering.approve(drafted, fredrik, version=justering.content_hash(drafted), user=fredrik.user)
    mail.outbox.clear()

    early = justering.remind(today=datetime.date(2021, 10, 1))
    due = justering.remind(today=datetime.date(2021, 10, 10))
    again = justering.remind(today=datetime.date(2021, 10, 10))
    late = justering.remind(today=datetime.date(2021, 10, 12))

    assert (early, due, again, late) == (0, 1, 0, 1)
    assert [m.to[0] for m in mail.outbox] == ["annica@example.se", "annica@example.se"]
    assert "skulle ha justerats senast 2021-10-11" in mail.outbox[1].body
    # Which protocol, and the way to it.
    assert "Protokollet från arbetsutskottet 2021-09-27" in mail.outbox[0].body
    assert f"http://testserver/justera/{drafted.pk}/" in mail.outbox[0].body


def test_the_reminder_command_prints_how_many_were_sent(db, capsys):
    call_command("remind_justerare")

    assert capsys.readouterr().out == "0\n"


def test_a_justerare_without_an_account_sets_a_password_from_the_invitation(
    client, secretary_client, drafted, annica
):
    send(secretary_client, drafted, annica)
    body = next(m.body for m in mail.outbox if m.to == ["annica@example.se"])
    link = re.search(r"http://testserver(/konto/losenord/\S+/)", body).group(1)
    username = re.search(r"användarnamn är (\S+);", body).group(1)

    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "Justera-2021-hosten", "new_password2": "Justera-2021-hosten"},
    )

    login = client.post("/logga-in/", {"username": username, "password": "Justera-2021-hosten"})
    assert login.status_code == 302
    assert client.get(reverse("justering:protocol", args=[drafted.pk])).status_code == 200


def test_the_justering_page_runs_as_many_queries_for_30_paragraphs_as_for_1(
    secretary, au, seats, annica, fredrik
):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.meetings.test_workspace_access import _grow

    meeting = services.plan_meeting(
        au,
        by=secretary,
        date=datetime.date(2021, 3, 1),
        start_time=datetime.time(9, 0),
        end_time=None,
        place="",
        is_remote=False,
    )
    for p in list(meeting.paragraphs.all())[1:]:
        services.remove_item(p)
    services.start_protocol(meeting)
    _grow(meeting, 1, 1)
    justering.send_for_justering(
        meeting, justerare=[annica], deadline=meeting.date, by=secretary, notify=False
    )
    fredrik.refresh_from_db()
    browser = Client()
    browser.force_login(fredrik.user)
    url = reverse("justering:protocol", args=[meeting.pk])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert browser.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries()
    meeting.status = "genomfort"
    meeting.save()
    _grow(meeting, 30, 30)
    meeting.status = "under_justering"
    meeting.save()
    assert queries() == few


def test_a_correction_is_an_approved_sealed_addendum_and_the_protocol_stays(
    client, secretary_client, justerat, fredrik, annica
):
    from meetings.models import Rattelse

    original = justerat.archive.pdf.open("rb").read()
    paragraph = justerat.paragraphs.get(title="Tjänsteköp Samordnare")
    secretary_client.post(
        reverse("workspace:rattelse_create", args=[justerat.pk]),
        {
            "paragraph": paragraph.pk,
            "text": "Tjänsteköpet gäller från 2021-10-08, inte 2021-10-01.",
        },
    )
    correction = Rattelse.objects.get()
    assert correction.approved_at is None

    for person in (fredrik, annica):
        page = as_user(client, person).post(
            reverse("justering:approve_rattelse", args=[justerat.pk, correction.pk]), follow=True
        )
        assert page.status_code == 200

    correction.refresh_from_db()
    assert correction.approved_at is not None
    data = correction.pdf.open("rb").read()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Rättelse" in text
    assert "Tjänsteköpet gäller från 2021-10-08, inte 2021-10-01." in text
    assert "§ 4 Tjänsteköp Samordnare" in text
    assert justerat.archive.sha256 in text
    assert verify(data).authentic
    assert "rättelse" in verify(data).message
    # the protocol and its archive are as they were
    assert justerat.archive.pdf.open("rb").read() == original
    paragraph.refresh_from_db()
    assert paragraph.text == ""
    # an approved correction does not change either
    correction.text = "Något annat"
    with pytest.raises(ProtocolFrozen):
        correction.save()


def test_a_correction_is_only_for_a_justerat_protocol(secretary_client, drafted):
    from meetings.models import Rattelse

    response = secretary_client.post(
        reverse("workspace:rattelse_create", args=[drafted.pk]), {"text": "Rätta"}, follow=True
    )

    assert "Bara ett justerat protokoll rättas med en rättelse." in response.content.decode()
    assert Rattelse.objects.count() == 0


def test_a_bilaga_file_replaced_after_an_approval_voids_it(drafted, annica, fredrik, secretary):
    """Security probe M1: the approval covers each bilaga file's SHA-256."""
    import hashlib
    import json

    from django.core.files.base import ContentFile

    from meetings.actions import justering
    from meetings.documents import sealing

    sealing.create_development_certificate()
    bilaga = drafted.bilagor.get()
    bilaga.file = ContentFile(b"%PDF-1.4\n% avtalet som det lades fram\n", name="avtal.pdf")
    bilaga.save()
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=drafted.date,
        by=secretary,
        notify=False,
    )
    fredrik.refresh_from_db()
    justering.approve(drafted, fredrik, version=justering.content_hash(drafted), user=fredrik.user)
    assert [row["valid"] for row in justering.approval_state(drafted)] == [True, False]

    bilaga.file = ContentFile(b"%PDF-1.4\n% ett annat avtal\n", name="avtal.pdf")
    bilaga.save()  # as the admin's change form would

    chair = justering.approval_state(drafted)[0]
    assert chair["voided"] and not chair["valid"]
    annica.refresh_from_db()
    justering.approve(drafted, annica, version=justering.content_hash(drafted), user=annica.user)
    drafted.refresh_from_db()
    assert not drafted.is_frozen  # the chair must approve the new file first
    data = json.loads(json.dumps(justering.protocol_as_read(drafted)[0]))
    assert (
        data["bilagor"][0]["sha256"] == hashlib.sha256(b"%PDF-1.4\n% ett annat avtal\n").hexdigest()
    )


def test_verification_refuses_large_or_non_pdf_uploads_before_reading_them(client, settings, db):
    """Security probe M5: a large upload is refused by its length, unread; a file that
    is not a PDF is refused at its first chunk."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VERIFY_MAX_BYTES = 1000
    big = client.post("/verifiera/", {"file": SimpleUploadedFile("p.pdf", b"%PDF-" + b"x" * 5000)})
    assert big.status_code == 413
    assert "Filen är större än" in big.content.decode()

    not_pdf = client.post("/verifiera/", {"file": SimpleUploadedFile("p.pdf", b"PK\x03\x04zip")})
    assert not_pdf.status_code == 400
    assert "Filen är inte en PDF och inte heller ett importerat original som finns här." in (
        not_pdf.content.decode()
    )


THROTTLED = ("För många filer har kontrollerats från din adress den senaste minuten: vänta "
             "{} sekunder och försök igen.")  # fmt: skip


def test_verification_is_limited_per_client_with_a_429_and_retry_after(client, settings, db):
    """Security probe (issue 27, 5): a check costs seconds of processor time."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import Throttle

    settings.VERIFY_PER_MINUTE = 2
    settings.AXES_IPWARE_PROXY_COUNT = 0

    def check(address="203.0.113.7"):
        return client.post(
            "/verifiera/", {"file": SimpleUploadedFile("p.pdf", b"PK\x03\x04")}, REMOTE_ADDR=address
        )

    assert [check().status_code, check().status_code] == [400, 400]
    refused = check()
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 55 <= wait <= 60
    assert THROTTLED.format(wait) in refused.content.decode()
    assert check().status_code == 429  # a refused check does not lengthen the wait
    assert Throttle.objects.get().uses == 2
    # Another client is not held up; an IPv6 client is its /64.
    assert check("203.0.113.8").status_code == 400
    assert [check(f"2001:db8::{n}").status_code for n in (1, 2, 3)] == [400, 400, 429]
    # The next minute, the first client may check again.
    Throttle.objects.update(until=timezone.now())
    assert check().status_code == 400


def test_verification_limit_counts_the_client_behind_the_proxy(client, settings, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VERIFY_PER_MINUTE = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1

    def check(forwarded):
        return client.post(
            "/verifiera/",
            {"file": SimpleUploadedFile("p.pdf", b"PK")},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert check("198.51.100.1").status_code == 400
    assert check("198.51.100.2").status_code == 400
    assert check("192.0.2.9, 198.51.100.1").status_code == 429


def test_verification_takes_at_most_5_mb_and_5_checks_a_minute_by_default(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.VERIFY_MAX_BYTES, s.VERIFY_PER_MINUTE)"
    )
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    printed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
            "DEBUG": "1",
            "DATA_DIR": str(tmp_path),
        },
        cwd=ROOT,
        timeout=60,
    )

    assert printed.stdout.split() == [str(5 * 1024 * 1024), "5"], printed.stderr


def test_verification_says_which_document_it_is(client, justerat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for document, words in (
        (justerat.archive, "Äkta: det justerade protokollet"),
        (justerat.public_version, "Äkta: den offentliga versionen"),
    ):
        pdf = document.pdf.open("rb").read()
        response = client.post("/verifiera/", {"file": SimpleUploadedFile("p.pdf", pdf)})
        assert response.status_code == 200
        assert words in response.content.decode()


def test_the_justerare_the_meeting_chose_are_ticked_when_sending(
    secretary_client, drafted, annica, bengt
):
    """Issue 29, 14: the protocol names its justerare under "Val av justerare"; the
    send page starts with them ticked, whoever it was sent to before (the § is what
    the meeting decided, and a correction of it decides again); else those sent to."""
    election = drafted.paragraphs.get(title="Val av justerare")
    services.write_decisions(
        election,
        [
            services.DecisionData(
                kind="beslut",
                text="Beslutas att välja Bengt-Åke  Strand att jämte ordföranden justera.",
            )
        ],
    )
    url = reverse("workspace:justering_send", args=[drafted.pk])

    form = secretary_client.get(url).context["form"]
    assert [int(pk) for pk in form["justerare"].value()] == [bengt.pk]
    # A whole name: one whose name is only the start of it is not chosen.
    from types import SimpleNamespace

    part = SimpleNamespace(pk=0, name="Bengt-Åke Stra")
    assert justering.chosen_at_the_meeting(drafted, [part, bengt]) == [bengt.pk]
    html = secretary_client.get(url).content.decode()
    assert re.search(rf'value="{bengt.pk}"[^>]*checked', html)
    assert not re.search(rf'value="{annica.pk}"[^>]*checked', html)

    Justerare.objects.create(meeting=drafted, person=annica)  # sent to before
    assert [int(pk) for pk in secretary_client.get(url).context["form"]["justerare"].value()] == [
        bengt.pk
    ]
    services.write_decisions(
        election, [services.DecisionData(kind="beslut", text="Beslutas att välja en justerare.")]
    )
    assert secretary_client.get(url).context["form"]["justerare"].value() == [annica.pk]
