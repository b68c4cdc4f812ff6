"""The public archive: nothing unpublished leaks, scheduled publication, the secretary's
publishing; what reads a published protocol is in test_public_published."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import publication, services
from meetings.models import Bilaga, Paragraph
from tests.conftest import justera

BASE = "/norrbotten/arbetsutskott/2021-09-27/"


def queries(client, url, status=200) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, url
    return len(context.captured_queries)


def test_a_protocol_not_yet_published_is_nowhere(client, justerat):
    for url in (BASE, BASE + "p4/", BASE + "protokoll.pdf", "/norrbotten/arbetsutskott/2021/"):
        assert client.get(url).status_code == 404, url
    assert "Arbetsutskottet 27 september 2021" not in client.get("/norrbotten/").content.decode()
    assert "Arbetsutskottet" not in client.get("/norrbotten/anslagstavla/").content.decode()


def test_drafts_and_protocols_under_justering_are_nowhere(client, drafted, secretary, annica):
    from meetings.actions import justering

    for url in (BASE, BASE + "p4/", BASE + "protokoll.pdf", "/norrbotten/arbetsutskott/2021/"):
        assert client.get(url).status_code == 404, url
    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=secretary, notify=False
    )
    assert client.get(BASE).status_code == 404


def test_a_scheduled_publication_appears_on_its_day(client, justerat):
    later = timezone.localdate() + datetime.timedelta(days=3)
    publication.publish(justerat, on=later, by=None)

    assert client.get(BASE).status_code == 404
    assert publication.published(later).filter(pk=justerat.pk).exists()


def test_the_daily_job_marks_a_scheduled_publication_published_on_its_day(justerat, monkeypatch):
    from django.core.management import call_command

    today = timezone.localdate()
    later = today + datetime.timedelta(days=3)
    publication.publish(justerat, on=later, by=None)
    call_command("daily")
    justerat.refresh_from_db()
    assert justerat.status == "justerat"

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: later)
    out = io.StringIO()
    call_command("daily", stdout=out)

    justerat.refresh_from_db()
    assert justerat.status == "publicerat"
    assert out.getvalue().strip() == "Publicerade: 1. Påminnelser skickade: 0. " + _(
        "Reminders of uppdrag sent: %(followed_up)s."
    ) % {"followed_up": 0}


@pytest.mark.django_db
def test_the_daily_job_lets_expired_sessions_go(settings):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    live, expired = SessionStore(), SessionStore()
    live["kept"] = expired["kept"] = True
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    call_command("daily", stdout=io.StringIO())

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.django_db
def test_the_daily_job_forgets_ended_throttle_windows():
    from django.core.management import call_command

    from meetings.models import Throttle

    now = timezone.now()
    Throttle.objects.create(key="verify|ended", uses=5, until=now - datetime.timedelta(seconds=1))
    Throttle.objects.create(key="verify|running", uses=5, until=now + datetime.timedelta(hours=1))

    call_command("daily", stdout=io.StringIO())

    assert list(Throttle.objects.values_list("key", flat=True)) == ["verify|running"]


def test_a_scheduled_day_can_change_until_it_comes(justerat):
    today = timezone.localdate()
    publication.publish(justerat, on=today + datetime.timedelta(days=5), by=None)
    publication.publish(justerat, on=today + datetime.timedelta(days=2), by=None)

    justerat.refresh_from_db()
    assert justerat.publish_on == today + datetime.timedelta(days=2)


def test_confidential_text_and_non_public_bilagor_never_show(
    client, planned, secretary, annica, settings
):
    from django.core.files.base import ContentFile

    secret = services.add_item(planned, section="beslut", title="Personalärende Anna A.")
    Paragraph.objects.filter(pk=secret.pk).update(
        is_confidential=True, public_title="Personalärende", text="Anna A. har sagt upp sig."
    )
    hidden = Bilaga(meeting=planned, paragraph=secret, number=1, title="Läkarintyg", is_public=True)
    hidden.file.save("intyg.pdf", ContentFile(b"%PDF-1.4 hemligt"), save=False)
    hidden.save()
    internal = Bilaga(
        meeting=planned,
        paragraph=planned.paragraphs.first(),
        number=2,
        title="Intern PM",
        is_public=False,
    )
    internal.file.save("pm.pdf", ContentFile(b"%PDF-1.4 internt"), save=False)
    internal.save()
    services.start_protocol(planned)
    justera(planned, justerare=[annica], by=secretary)
    planned.refresh_from_db()
    publication.publish(planned, by=None)
    number = Paragraph.objects.get(pk=secret.pk).number

    page = client.get(BASE).content.decode()
    single = client.get(f"{BASE}p{number}/").content.decode()

    for html in (page, single):
        assert f"§ {number} Personalärende" in html
        assert "Anna A." not in html
        assert "Läkarintyg" not in html
        assert "Intern PM" not in html
    assert client.get(BASE + "bilaga-1/").status_code == 404
    assert client.get(BASE + "bilaga-2/").status_code == 404


PUBLIC_PAGES = ["/", "/norrbotten/", "/norrbotten/anslagstavla/", "/norrbotten/arbetsutskott/",
                "/norrbotten/arbetsutskott/2021/", BASE, BASE + "p4/", "/sok/?q=beslut",
                "/norrbotten/flode.atom", "/norrbotten/arbetsutskott/sammantraden.ics",
                "/sitemap.xml"]  # fmt: skip


def test_the_secretary_publishes_from_the_workspace(client, secretary_client, justerat):
    from django.urls import reverse

    secretary_client.post(reverse("workspace:publish", args=[justerat.pk]), {"publish_on": ""})

    justerat.refresh_from_db()
    assert (justerat.publish_on, justerat.status) == (timezone.localdate(), "publicerat")
    assert client.get(BASE).status_code == 200


def test_a_draft_cannot_be_published(secretary_client, drafted):
    from django.urls import reverse

    response = secretary_client.post(
        reverse("workspace:publish", args=[drafted.pk]), {"publish_on": ""}, follow=True
    )

    assert "Bara ett justerat protokoll kan publiceras." in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.publish_on is None
