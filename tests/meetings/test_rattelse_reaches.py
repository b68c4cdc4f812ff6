"""An approved rättelse reaches where its paragraph is read (issue 29, 3): the public
§ page, a new protokollsutdrag (public and certified); the e-mail asking for its
approval links to it, and a justerare can object to it, as to a protocol."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from meetings.actions import justering, rattelse
from meetings.documents import utdrag
from meetings.models import Approval, AuditEvent, Protokollsutdrag
from tests.conftest import log_in_with_two_factor, published_world_fixtures

pytestmark = pytest.mark.django_db

BASE = "/norrbotten/arbetsutskott/2021-09-27/"

published_world_fixtures(globals())  # one published protocol, built once for the module


def _propose(meeting, secretary, number, text):
    paragraph = meeting.paragraphs.get(number=number)
    return rattelse.propose(meeting, text=text, paragraph=paragraph, by=secretary)


def _approve_by_all(correction):
    for person in justering.approvers(correction.meeting):
        person.refresh_from_db()
        rattelse.approve(correction, person, user=person.user)


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_the_paragraph_page_carries_its_approved_correction(client, published, secretary):
    _approve_by_all(_propose(published, secretary, 4, "Rätt belopp är 120 000 kronor."))
    pending = _propose(published, secretary, 4, "Ej godkänd ännu.")

    page = client.get(f"{BASE}p4/").content.decode()
    other = client.get(f"{BASE}p1/").content.decode()

    assert "Rätt belopp är 120 000 kronor." in page
    assert f'href="{BASE}rattelse-' in page
    assert "Ej godkänd ännu." not in page and pending.approved_at is None
    assert "Rätt belopp är 120 000 kronor." not in other


def test_a_new_public_extract_carries_the_correction_and_the_old_one_stays(
    client, published, secretary
):
    before = client.get(f"{BASE}p4/utdrag.pdf")
    _approve_by_all(_propose(published, secretary, 4, "Rätt belopp är 120 000 kronor."))

    after = client.get(f"{BASE}p4/utdrag.pdf")
    again = client.get(f"{BASE}p4/utdrag.pdf")

    old, new = (b"".join(r.streaming_content) for r in (before, after))
    assert "120 000 kronor" not in _text(old)
    assert "RÄTTELSE Godkänd" in _text(new) and "Rätt belopp är 120 000 kronor." in _text(new)
    assert after["ETag"] == again["ETag"] != before["ETag"]
    assert list(
        Protokollsutdrag.objects.filter(number=4)
        .order_by("rattelser")
        .values_list("rattelser", flat=True)
    ) == [0, 1]


def test_the_certified_extract_carries_the_correction_as_written(published, secretary):
    _approve_by_all(_propose(published, secretary, 4, "Rätt belopp är 120 000 kronor."))

    pdf = utdrag.staff_extract(published, 4, certified_by="Åsa Snårbacka", on=published.date)

    assert "Rätt belopp är 120 000 kronor." in _text(pdf)


def test_the_request_to_approve_links_to_the_correction(published, secretary):
    mail.outbox.clear()
    correction = _propose(published, secretary, 4, "Rätt belopp är 120 000 kronor.")

    link = f"http://testserver/justera/{published.pk}/#rattelse-{correction.pk}"
    assert mail.outbox and all(link in m.body for m in mail.outbox)
    assert "godkänn den eller invänd mot den" in mail.outbox[0].body


def test_a_justerare_objects_and_the_correction_waits(client, published, secretary, annica, asa):
    asa.email = "asa@example.se"  # vid protokollet: told of the objection
    asa.save()
    correction = _propose(published, secretary, 4, "Rätt belopp är 120 000 kronor.")
    annica.refresh_from_db()
    log_in_with_two_factor(client, annica.user)
    url = reverse("justering:object_to_rattelse", args=[published.pk, correction.pk])
    mail.outbox.clear()

    empty = client.post(url, {"reason": "  "}, follow=True)
    response = client.post(url, {"reason": "Beloppet är 125 000 kronor."})

    assert "Skriv vad som ska ändras." in empty.content.decode()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rattelse-{correction.pk}")
    objection = Approval.objects.get(rattelse=correction, decision="andring")
    assert (objection.person, objection.reason) == (annica, "Beloppet är 125 000 kronor.")
    assert AuditEvent.objects.filter(action="rattelse_objected").count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["asa@example.se"], f"Invändning mot en rättelse: {published}")
    ]
    assert "Beloppet är 125 000 kronor." in mail.outbox[0].body
    page = client.get(reverse("justering:protocol", args=[published.pk])).content.decode()
    assert "invänder: Beloppet är 125 000 kronor." in page
    # The others approving does not approve it while her objection stands ...
    fredrik = next(p for p in justering.approvers(published) if p != annica)
    fredrik.refresh_from_db()
    assert rattelse.approve(correction, fredrik, user=fredrik.user) is False
    correction.refresh_from_db()
    assert correction.approved_at is None
    # ... until she approves it after all.
    assert rattelse.approve(correction, annica, user=annica.user) is True


def test_one_who_approved_sees_the_answer_not_the_buttons(client, published, secretary):
    correction = _propose(published, secretary, 4, "Rätt belopp är 120 000 kronor.")
    chair = justering.approvers(published)[0]
    chair.refresh_from_db()
    rattelse.approve(correction, chair, user=chair.user)
    log_in_with_two_factor(client, chair.user)

    page = client.get(reverse("justering:protocol", args=[published.pk])).content.decode()

    block = page.split(f'id="rattelse-{correction.pk}"')[1].split("</div>")[0]
    assert "Du har godkänt rättelsen." in page
    assert "Godkänn rättelsen" not in block and "Invänd mot rättelsen" not in page


def test_the_request_names_the_paragraph_it_corrects(published, secretary):
    mail.outbox.clear()
    _propose(published, secretary, 4, "Rätt belopp är 120 000 kronor.")

    assert "\n\n§\xa04: Rätt belopp är 120 000 kronor.\n\n" in mail.outbox[0].body
