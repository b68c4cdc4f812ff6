"""Odd and hostile input found by the security probe (its "Low" findings): each
answers with a page or a Swedish message, never a 500, and leaves nothing behind."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.actions import publication, services
from meetings.models import Bilaga, Comment, Meeting, Rattelse
from members.models import Body, Organisation
from tests import factories
from tests.conftest import justera

BASE = "/norrbotten/arbetsutskott/2021-09-27/"


@pytest.fixture
def published(justerat):
    publication.publish(justerat, by=None)
    return justerat


def test_year_zero_is_not_found(client, published):
    assert client.get("/norrbotten/arbetsutskott/0000/").status_code == 404


def test_a_nul_in_a_comment_or_change_request_is_refused_with_a_message(
    client, drafted, annica, secretary
):
    from django.contrib.auth.models import User

    from meetings.actions import justering

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
    base = f"/justera/{drafted.pk}/"

    comment = client.post(
        base + "kommentar/", {"text": "Fel\x00här", "paragraph": "x"}, follow=True
    )
    change = client.post(
        base + "andring/",
        {"reason": "Ändra\x00", "version": justering.content_hash(drafted)},
        follow=True,
    )

    for response in (comment, change):
        assert response.status_code == 200
        assert "Null-tecken är inte tillåtna." in response.content.decode()
    assert not Comment.objects.exists()
    drafted.refresh_from_db()
    assert drafted.status == Meeting.Status.UNDER_JUSTERING


def test_a_nul_in_a_correction_is_refused_with_a_message(secretary_client, published):
    url = reverse("workspace:rattelse_create", args=[published.pk])
    response = secretary_client.post(
        url, {"text": "Rätt\x00", "paragraph": "1 OR 1=1"}, follow=True
    )

    assert response.status_code == 200
    assert "Null-tecken är inte tillåtna." in response.content.decode()
    assert not Rattelse.objects.exists()


def test_a_name_is_one_line(organisation):
    body = Body(organisation=organisation, name="Styrelsen\r\nBcc: x@example.se", slug="s2")
    with pytest.raises(ValidationError, match="på en rad"):
        body.full_clean()


def test_a_body_name_with_a_line_break_cannot_break_the_kallelse(
    secretary_client, planned, week_before
):
    # As if written past the forms (raw SQL, an old import): the mail still goes.
    Body.objects.filter(pk=planned.body_id).update(name="Arbets-\r\nutskottet")

    response = secretary_client.post(reverse("workspace:kallelse_send", args=[planned.pk]))

    assert response.status_code == 302
    assert mail.outbox and "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].subject.startswith("Kallelse: Arbets- utskottet")


def test_a_carriage_return_in_the_place_is_escaped_in_the_calendar(client, au):
    factories.called(
        factories.meeting(
            au, timezone.localdate() + datetime.timedelta(days=3), place="Kansliet\rX-INJECTED:1"
        )
    )

    ics = client.get("/norrbotten/arbetsutskott/sammantraden.ics").content.decode()

    assert "LOCATION:Kansliet\\nX-INJECTED:1\r\n" in ics
    assert "\rX-INJECTED" not in ics


def test_the_second_meeting_of_a_day_links_its_own_bilaga(client, published, annica, secretary):
    second = services.plan_meeting(
        published.body,
        by=secretary,
        date=published.date,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(14, 0),
        place="Kansliet",
    )
    services.start_protocol(second)
    item = second.paragraphs.first()
    services.attach_bilaga(
        item,
        title="Andra mötets bilaga",
        filename="andra.pdf",
        is_public=True,
        file=ContentFile(b"%PDF-1.4\n% andra motet\n", name="andra.pdf"),
    )
    justera(second, justerare=[annica], by=secretary)
    second.refresh_from_db()
    publication.publish(second, by=None)

    page = client.get(BASE[:-1] + "-2/").content.decode()
    assert 'href="/norrbotten/arbetsutskott/2021-09-27-2/bilaga-1/"' in page
    served = client.get("/norrbotten/arbetsutskott/2021-09-27-2/bilaga-1/")
    assert b"".join(served.streaming_content) == b"%PDF-1.4\n% andra motet\n"
    # A PDF is shown where it is opened, and saved when asked (issue 30, 4).
    assert served["Content-Disposition"] == 'inline; filename="andra.pdf"'
    saved = client.get("/norrbotten/arbetsutskott/2021-09-27-2/bilaga-1/?ladda-ner=1")
    assert saved["Content-Disposition"] == 'attachment; filename="andra.pdf"'
    assert Bilaga.objects.filter(number=1).count() == 2


def test_the_running_header_prints_any_organisation_name(secretary_client, drafted):
    import io

    from pypdf import PdfReader

    Organisation.objects.filter(pk=drafted.body.organisation_id).update(
        name='Förbundet "Älv & Fjäll" <Nord>'
    )
    response = secretary_client.get(reverse("workspace:draft_pdf", args=[drafted.pk]))

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert 'Förbundet "Älv & Fjäll" <Nord>' in text
    assert "u0026" not in text


def test_a_full_disk_at_the_last_approval_leaves_no_file_and_says_so(
    client, drafted, annica, fredrik, secretary, settings, monkeypatch
):
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    from meetings.actions import justering
    from meetings.documents import sealing
    from meetings.models import Approval

    sealing.create_development_certificate()
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=drafted.date,
        by=secretary,
        notify=False,
    )
    annica.refresh_from_db()
    justering.approve(drafted, annica, version=justering.content_hash(drafted), user=annica.user)
    save = FileSystemStorage._save

    def full_disk_for_the_second_file(self, name, content):
        if "offentlig" in name:
            raise OSError(28, "No space left on device")
        return save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk_for_the_second_file)
    fredrik.refresh_from_db()  # the invitation made the chair an account
    client.force_login(fredrik.user)

    response = client.post(
        f"/justera/{drafted.pk}/justera/",
        {"version": justering.content_hash(drafted)},
        follow=True,
    )

    assert response.status_code == 200
    assert "kunde inte förseglas och sparas just nu" in response.content.decode()
    drafted.refresh_from_db()
    assert not drafted.is_frozen
    assert not Approval.objects.filter(person=fredrik).exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*.pdf") if "protokoll" in str(p)]
