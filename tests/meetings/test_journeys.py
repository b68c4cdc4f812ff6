"""Every person lands where their work is: the start page "Att göra", the justering
page that shows what changed, the notices to the secretary, controls that follow
the protocol's state."""

import datetime
import email
import email.policy
import re
import socket
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from meetings.actions import justering, publication, services
from meetings.models import Approval, AuditEvent
from tests.conftest import log_in_with_two_factor

PASSWORD = "Ett-bra-lösen-2026"


@pytest.fixture
def out(drafted, annica, fredrik, secretary, asa):
    """The example's protocol out for justering to the chair (Fredrik) and Annica;
    the secretary (Åsa) has an e-mail address."""
    from meetings.documents import sealing

    sealing.create_development_certificate()
    asa.email = "asa@example.se"
    asa.save()
    drafted.secretary = asa
    drafted.save()
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=drafted.date + datetime.timedelta(days=14),
        by=secretary,
        notify=False,
    )
    for person in (annica, fredrik):
        person.refresh_from_db()
        person.user.set_password(PASSWORD)
        person.user.save()
    mail.outbox.clear()
    return drafted


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_logging_in_lands_on_the_start_page(out, fredrik):
    response = Client().post(
        "/logga-in/", {"username": fredrik.user.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_the_chair_finds_the_protocol_awaiting_her_and_it_leaves_once_justerat(
    out, fredrik, annica
):
    page = logged_in(fredrik).get("/start/").content.decode()

    assert "Väntar på din justering" in page
    assert f'href="/justera/{out.pk}/"' in page
    assert "Läs och justera" in page
    justering.approve(out, fredrik, version=justering.content_hash(out), user=fredrik.user)
    again = logged_in(fredrik).get("/start/").content.decode()
    assert f'href="/justera/{out.pk}/"' not in again


def _links(html: str) -> list[str]:
    return sorted({h for h in re.findall(r'href="(/[^"#]*)', html) if not h.startswith("/static/")})


@pytest.mark.parametrize("role", ["chair", "member", "secretary", "administrator"])
def test_every_link_on_every_roles_start_page_opens(
    role, out, fredrik, seats, secretary, organisation
):
    from members.models import StaffRole

    if role == "chair":
        client = logged_in(fredrik)
    elif role == "member":
        deputy = seats["deputy"]
        deputy.user = User.objects.create_user("lisa")
        deputy.save()
        client = logged_in(deputy)
    elif role == "secretary":
        client = log_in_with_two_factor(Client(), secretary)
    else:
        boss = User.objects.create_user("chefen")
        StaffRole.objects.create(user=boss, organisation=organisation, role="administrator")
        client = log_in_with_two_factor(Client(), boss)
    page = client.get("/start/")
    assert page.status_code == 200

    links = _links(page.content.decode())
    assert "/start/" in links and "/ledamot/" in links
    assert ("/arbete/" in links) == (role in ("secretary", "administrator"))
    for link in links:
        if link == "/logga-ut/":
            continue
        if link.startswith("/sprak/"):  # the language switch goes back to the page
            response = client.get(link)
            assert (response.status_code, response["Location"]) == (302, "/start/"), role
            continue
        assert client.get(link).status_code == 200, (role, link)


def test_an_approval_cannot_be_given_twice(out, fredrik):
    version = justering.content_hash(out)
    justering.approve(out, fredrik, version=version, user=fredrik.user)
    first = Approval.objects.get(person=fredrik)

    client = logged_in(fredrik)
    response = client.post(f"/justera/{out.pk}/justera/", {"version": version}, follow=True)

    assert "Du har redan justerat den här versionen" in response.content.decode()
    assert list(Approval.objects.filter(person=fredrik)) == [first]
    page = client.get(f"/justera/{out.pk}/").content.decode()
    assert "Du justerade den här versionen" in page
    assert f'action="/justera/{out.pk}/justera/"' not in page  # no second Justera button


def test_after_a_returned_protocol_is_sent_again_the_approver_sees_what_changed(
    out, annica, secretary
):
    justering.request_change(
        out, annica, version=justering.content_hash(out), reason="Skriv beloppet.", user=annica.user
    )
    item = out.paragraphs.get(title="Tjänsteköp Samordnare")
    fields = {f: getattr(item, f) for f in services.PARAGRAPH_FIELDS}
    services.save_paragraph(
        item,
        revision=item.revision,
        decisions=[],
        by=secretary,
        fields={**fields, "text": "Tjänsteköpet omfattar 400 000 kr."},
    )
    justering.resend(out, by=secretary)

    page = logged_in(annica).get(f"/justera/{out.pk}/").content.decode()

    assert "Detta har ändrats sedan versionen du svarade på" in page
    assert "<ins>Tjänsteköpet omfattar 400 000 kr.</ins>" in page
    assert "<del>Förslag till annat organ: Arbetsutskottet föreslår" in page  # the decision went
    assert "begärde ändring i en tidigare version" in page
    assert "Skriv beloppet." in page  # the old request is history, not the current answer


def test_the_justerare_reads_the_pdf_of_exactly_this_version_and_the_bilagor(out, fredrik):
    from django.core.files.base import ContentFile

    bilaga = out.bilagor.get()
    bilaga.file = ContentFile(b"%PDF-1.4\n% avtalet\n", name="avtal.pdf")
    bilaga.save()
    client = logged_in(fredrik)
    version = justering.content_hash(out)

    page = client.get(f"/justera/{out.pk}/").content.decode()
    pdf = client.get(f"/justera/{out.pk}/protokoll.pdf")
    file = client.get(f"/justera/{out.pk}/bilagor/1/")

    assert f'href="/justera/{out.pk}/bilagor/1/"' in page
    assert pdf["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert version in "".join(text.split())
    assert b"".join(file.streaming_content) == b"%PDF-1.4\n% avtalet\n"
    assert client.get(f"/justera/{out.pk}/bilagor/9/").status_code == 404


# --- Notices to the secretary ------------------------------------------------


def test_a_request_for_a_change_is_told_to_the_secretary_once_and_to_the_chair(out, annica):
    justering.request_change(
        out,
        annica,
        version=justering.content_hash(out),
        reason="Fel datum i § 4.",
        user=annica.user,
    )

    # Issue 29, 7: the other approvers (here the chair) hear it went back, and why.
    assert [m.to for m in mail.outbox] == [["asa@example.se"], ["fredrik@example.se"]]
    assert "Fel datum i § 4." in mail.outbox[0].body
    assert f"http://testserver/arbete/sammantraden/{out.pk}/" in mail.outbox[0].body
    chair = mail.outbox[1]
    assert chair.subject == f"Tillbaka till sekreteraren: {out}"
    assert chair.body.startswith(
        "Annica Alatalo har skickat tillbaka protokollet till sekreteraren för en ändring:"
    )
    assert "Fel datum i § 4." in chair.body and f"http://testserver/justera/{out.pk}/" in chair.body


def test_the_reason_a_protocol_came_back_is_shown_once_on_its_page(out, annica, secretary_client):
    """Issue 29, 16: the request for a change and the comment it writes are one."""
    justering.request_change(
        out, annica, version=justering.content_hash(out), reason="Fel datum i § 4.",
        user=annica.user,
    )  # fmt: skip
    out.comments.create(person=annica, text="Och stavfel i rubriken.")

    page = secretary_client.get(f"/arbete/sammantraden/{out.pk}/").content.decode()

    assert page.count("Fel datum i § 4.") == 1
    assert "<strong>har begärt ändring</strong>" in page
    assert "Och stavfel i rubriken." in page  # any other comment still shows


def test_a_comment_is_told_to_the_secretary_and_shown_where_she_fixes_it(out, annica, secretary):
    item = out.paragraphs.get(title="Tjänsteköp Samordnare")
    logged_in(annica).post(
        f"/justera/{out.pk}/kommentar/", {"paragraph": item.pk, "text": "Beloppet saknas."}
    )

    assert [m.to for m in mail.outbox] == [["asa@example.se"]]
    assert "Beloppet saknas." in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Kommentar till Arbetsutskottet")
    staff = log_in_with_two_factor(Client(), secretary)
    editing = staff.get(reverse("workspace:paragraph", args=[out.pk, item.pk])).content.decode()
    assert "Beloppet saknas." in editing
    assert "Beloppet saknas." in staff.get("/start/").content.decode()


def test_the_last_approval_tells_the_secretary_it_is_ready_to_publish(
    out, annica, fredrik, secretary
):
    justering.approve(out, annica, version=justering.content_hash(out), user=annica.user)
    assert mail.outbox == []
    justering.approve(out, fredrik, version=justering.content_hash(out), user=fredrik.user)

    assert [m.to for m in mail.outbox] == [["asa@example.se"]]
    assert mail.outbox[0].subject == f"Justerat, klart att publicera: {out}"
    start = log_in_with_two_factor(Client(), secretary).get("/start/").content.decode()
    assert "Justerat, klart att publicera" in start
    assert f'href="/arbete/sammantraden/{out.pk}/publicera/"' in start
    out.refresh_from_db()
    publication.publish(out, by=secretary)
    assert "Justerat, klart att publicera" not in (
        log_in_with_two_factor(Client(), secretary).get("/start/").content.decode()
    )


def test_a_justerare_past_the_deadline_is_told_to_the_secretary_once_a_day(out, annica):
    late = out.justering_deadline + datetime.timedelta(days=1)

    justering.remind(today=late)
    justering.remind(today=late)  # the same day: nothing more

    to_secretary = [m for m in mail.outbox if m.to == ["asa@example.se"]]
    assert len(to_secretary) == 1
    assert "Ännu inte godkänt av: Fredrik Hansson, Annica Alatalo." in to_secretary[0].body


def test_the_notice_goes_through_a_real_smtp_server(out, annica, fredrik, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            received.append((envelope.rcpt_tos, message["Subject"], message.get_content()))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(Keep(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        justering.approve(out, annica, version=justering.content_hash(out), user=annica.user)
        justering.approve(out, fredrik, version=justering.content_hash(out), user=fredrik.user)
    finally:
        server.stop()

    assert [to for to, _subject, _body in received] == [["asa@example.se"]]
    assert received[0][1] == f"Justerat, klart att publicera: {out}"
    assert "Alla har godkänt protokollet" in received[0][2]


def test_a_lost_notice_does_not_undo_the_justering(out, annica, fredrik, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there

    justering.approve(out, annica, version=justering.content_hash(out), user=annica.user)
    done = justering.approve(out, fredrik, version=justering.content_hash(out), user=fredrik.user)

    out.refresh_from_db()
    assert done and out.is_frozen


# --- Controls follow the state -----------------------------------------------


def test_a_justerat_protocol_offers_no_change_and_explains_a_refusal(justerat, secretary):
    client = log_in_with_two_factor(Client(), secretary)
    page = client.get(reverse("workspace:meeting", args=[justerat.pk])).content.decode()

    for hidden in ("andra/", "narvaro/", "bilagor/", "punkter/ny/", "justering/", "starta/"):
        assert f"/arbete/sammantraden/{justerat.pk}/{hidden}" not in page, hidden
    assert "Publicera" in page
    refused = client.get(reverse("workspace:meeting_edit", args=[justerat.pk]))
    assert refused.status_code == 403
    assert "Protokollet är justerat och kan inte längre ändras." in refused.content.decode()


def test_before_justering_nothing_offers_publication(drafted, secretary):
    client = log_in_with_two_factor(Client(), secretary)
    page = client.get(reverse("workspace:meeting", args=[drafted.pk])).content.decode()

    assert reverse("workspace:publish", args=[drafted.pk]) not in page
    assert reverse("workspace:rattelse_create", args=[drafted.pk]) not in page


@pytest.mark.parametrize("change", ["meeting_edit", "proposal_take_up", "protocol_start"])
def test_every_content_change_voids_earlier_approvals_and_says_so(
    change, out, fredrik, secretary, styrelse
):
    justering.approve(out, fredrik, version=justering.content_hash(out), user=fredrik.user)
    mail.outbox.clear()
    client = log_in_with_two_factor(Client(), secretary)
    if change == "meeting_edit":
        client.post(
            reverse("workspace:meeting_edit", args=[out.pk]),
            {
                "body": out.body_id,
                "date": out.date,
                "start_time": "09:30",
                "end_time": "11:00",
                "place": "Kansliet",
                "is_remote": "",
                "chair": out.chair_id,
            },
        )
    elif change == "proposal_take_up":
        earlier = services.plan_meeting(
            out.body,
            by=secretary,
            date=datetime.date(2021, 9, 6),
            start_time=datetime.time(9),
            end_time=None,
            place="",
        )
        item = services.add_item(earlier, section="beslut", title="Budget")
        item.decisions.create(kind="forslag", proposed_to=out.body, text="Föreslår …")
        client.post(reverse("workspace:proposal_take_up", args=[out.pk, item.decisions.get().pk]))
    else:
        # A change that did not say so itself (the audit trail cannot be pruned to
        # make one): starting the protocol again notices and says it.
        with mock.patch("meetings.actions.services._changed"):
            services.add_item(out, section="beslut", title="Sent ärende", by=secretary)
        assert not AuditEvent.objects.filter(meeting=out, action="approvals_voided").exists()
        mail.outbox.clear()
        client.post(reverse("workspace:protocol_start", args=[out.pk]))

    assert AuditEvent.objects.filter(meeting=out, action="approvals_voided").exists()
    assert justering.approval_state(out)[0]["voided"]
    assert [m.to for m in mail.outbox] == [[fredrik.email]]


def test_publication_shows_the_public_version_first_and_asks(out, annica, fredrik, secretary):
    from meetings.models import Paragraph

    Paragraph.objects.filter(meeting=out, title="Tjänsteköp Samordnare").update(
        text="Köpet gäller [[Kim Karlsson]]."
    )
    out.refresh_from_db()
    for person in (annica, fredrik):
        justering.approve(out, person, version=justering.content_hash(out), user=person.user)
    client = log_in_with_two_factor(Client(), secretary)
    url = reverse("workspace:publish", args=[out.pk])

    page = client.get(url).content.decode()

    assert "Publicera protokollet?" in page
    assert "Köpet gäller [uppgift borttagen]." in page and "Kim Karlsson" not in page
    out.refresh_from_db()
    assert out.publish_on is None  # asking published nothing
    client.post(url, {"publish_on": ""})
    out.refresh_from_db()
    assert out.publish_on is not None


def test_a_justerat_protocol_refuses_typed_addresses_with_the_reason(justerat, secretary):
    client = log_in_with_two_factor(Client(), secretary)
    item = justerat.paragraphs.filter(number__isnull=False).first()
    page = client.get(reverse("workspace:meeting", args=[justerat.pk])).content.decode()
    # The agenda's titles no longer lead to the editor.
    assert reverse("workspace:paragraph", args=[justerat.pk, item.pk]) not in page
    for name, args in (
        ("justering_send", [justerat.pk]),
        ("meeting_cancel", [justerat.pk]),
        ("paragraph", [justerat.pk, item.pk]),
    ):
        refused = client.get(reverse(f"workspace:{name}", args=args))
        html = refused.content.decode()
        assert refused.status_code == 403, name
        assert "Det går inte just nu" in html, name
        assert "Ditt konto har inte rätt" not in html, name
    assert "Protokollet är justerat och kan inte längre ändras." in html


def test_a_cancelled_meeting_offers_no_change_refuses_writes_and_stays_listed(
    planned, secretary, week_before
):
    item = services.add_item(planned, section="beslut", title="Budget")
    services.cancel_meeting(planned, by=secretary)
    client = log_in_with_two_factor(Client(), secretary)

    page = client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()
    assert "Sammanträdet är inställt: dess dagordning och protokoll kan inte längre ändras." in page
    for offered in ("workspace:paragraph", "workspace:item_move", "workspace:item_remove"):
        assert reverse(offered, args=[planned.pk, item.pk]) not in page, offered
    refused = client.post(
        reverse("workspace:paragraph", args=[planned.pk, item.pk]),
        {
            "title": "Budget",
            "text": "Skrivet efteråt",
            "revision": item.revision,
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
        },
    )
    assert refused.status_code == 403
    assert "Sammanträdet är inställt" in refused.content.decode()
    item.refresh_from_db()
    assert item.text == ""
    again = client.get(reverse("workspace:meeting_cancel", args=[planned.pk]))
    assert again.status_code == 403
    assert "Sammanträdet är redan inställt." in again.content.decode()

    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert "Inställda sammanträden" in dashboard
    assert reverse("workspace:meeting", args=[planned.pk]) in dashboard


def test_the_deadline_offered_leaves_the_justerare_a_week_and_a_past_one_is_refused(
    drafted, annica, secretary, monkeypatch
):
    # The protocol is written a month after the meeting of 2021-09-27.
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2021, 10, 27)
    )
    client = log_in_with_two_factor(Client(), secretary)
    url = reverse("workspace:justering_send", args=[drafted.pk])
    assert 'value="2021-11-03"' in client.get(url).content.decode()

    refused = client.post(url, {"justerare": [annica.pk], "deadline": "2021-10-11"})
    assert refused.status_code == 200
    assert (
        "Den dagen har redan passerat: välj i dag eller en senare dag." in refused.content.decode()
    )
    drafted.refresh_from_db()
    assert drafted.status == "genomfort"


def test_a_planned_meeting_is_not_sent_for_justering(planned, annica, secretary):
    with pytest.raises(justering.JusteringError, match="när sammanträdet är hållet"):
        justering.send_for_justering(
            planned, justerare=[annica], deadline=planned.date, by=secretary
        )


def test_a_kallelse_that_cannot_go_out_says_why_on_the_meeting_page(
    planned, secretary, week_before
):
    planned.chair = None
    planned.save()
    client = log_in_with_two_factor(Client(), secretary)
    page = client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()
    assert reverse("workspace:kallelse_send", args=[planned.pk]) not in page
    assert "Kallelsen kan inte skickas än: Sammanträdet har ingen ordförande" in page
    assert "Välj ordförande" in page

    fredrik = planned.body.memberships.get(role="ordforande").person
    response = client.post(
        reverse("workspace:meeting_edit", args=[planned.pk]),
        {
            "body": planned.body_id,
            "date": "2021-09-27",
            "start_time": "09:00",
            "end_time": "11:00",
            "place": "Via Teams",
            "chair": fredrik.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()
    assert reverse("workspace:kallelse_send", args=[planned.pk]) in page


def test_publishing_on_a_later_day_says_so(justerat, secretary, monkeypatch):
    client = log_in_with_two_factor(Client(), secretary)
    later = datetime.date.today() + datetime.timedelta(days=5)
    response = client.post(
        reverse("workspace:publish", args=[justerat.pk]),
        {"publish_on": later.isoformat()},
        follow=True,
    )
    html = response.content.decode()
    assert f"Protokollet publiceras, och anslaget sätts upp, den {later:%Y-%m-%d}." in html
    assert f"Publiceras, och anslaget sätts upp, den {later:%Y-%m-%d}." in html
    start = client.get(reverse("start")).content.decode()
    assert "Publiceras en senare dag" in start


def test_once_sent_the_meeting_page_shows_who_approves_by_when(out, secretary):
    """Issue 29, 7: from the moment it is sent, before anyone answers."""
    page = (
        log_in_with_two_factor(Client(), secretary)
        .get(reverse("workspace:meeting", args=[out.pk]))
        .content.decode()
    )

    assert f"Justering (justeras senast {out.justering_deadline:%Y-%m-%d})" in page
    for name in ("Fredrik Hansson", "Annica Alatalo"):
        assert re.search(rf"<li>{name}:\s*har inte svarat ännu\s*</li>", page), name
