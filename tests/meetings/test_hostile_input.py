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


# Security probe (issue 27, 6): odd numbers in the query string once answered 500
# ("²".isdigit() is true, int("²") raises; 9999-12-31T23:59:59+14:00 overflowed).
ODD = ["²", "١", "٢", "-1", "0", "00", "1e3", "", " ", "+2", "0x2", "1.0", "2 ", "\x00",
       "9" * 30, "99999999", "%"]  # fmt: skip
ODD_MOMENTS = ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-14:00",
               "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00", "10000-01-01T00:00:00",
               "2026-13-01T00:00:00", "2026-01-01", "²⁰²⁶-01-01T00:00:00", "", " ", "x"]  # fmt: skip


@pytest.fixture
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize("value", ODD)
def test_an_odd_page_number_shows_the_first_page_or_none(client, published, cache_on, value):
    """A list shows its first page for what is no page number (as search always did),
    and finds no page past its last; the same twice (the second from the cache)."""
    for url in ("/", "/norrbotten/anslagstavla/", "/norrbotten/arbetsutskott/2021/"):
        for _ in range(2):
            response = client.get(url, {"sida": value})
            if value in ("99999999",):
                assert response.status_code == 404, url
            else:
                assert response.status_code == 200, url
                assert "Samordningsförbundet Norrbotten" in response.content.decode()


@pytest.mark.parametrize("value", ODD)
def test_odd_search_parameters_give_a_page(client, published, cache_on, value):
    for name in ("sida", "ar", "org", "organ", "q"):
        response = client.get("/sok/", {"q": "tjänsteköp", "org": "norrbotten", name: value})
        assert response.status_code == 200, name


@pytest.mark.parametrize("value", ODD)
def test_an_odd_page_or_page_size_in_the_api_is_a_400(client, published, cache_on, value):
    if value == "":
        return  # page= with nothing: as no page (below)
    for name in ("page", "elementsPerPage"):
        for _ in range(2):
            response = client.get("/oparl/v1/body", {name: value})
            assert response.status_code == 400, (name, value)
            assert response.json()["status"] == 400


@pytest.mark.parametrize("value", ODD_MOMENTS)
def test_an_odd_moment_in_an_api_filter_is_a_400(client, published, cache_on, value):
    for name in ("created_since", "created_until", "modified_since", "modified_until"):
        response = client.get("/oparl/v1/body", {name: value})
        assert response.status_code == 400, (name, value)
        assert response.json()["status"] == 400


def test_the_api_takes_moments_within_its_range(client, published):
    for value in (
        "1900-01-01T00:00:00+00:00",
        "8999-12-31T23:59:59+14:00",
        "2026-01-01T00:00:00+01:00",
    ):
        assert client.get("/oparl/v1/body", {"created_until": value}).status_code == 200


def test_odd_values_on_every_public_query_parameter_never_answer_500(client, published, cache_on):
    """Every public URL that reads its query string, and a few that do not."""
    urls = {
        "/": ["sida"],
        "/norrbotten/": ["sida"],
        "/norrbotten/anslagstavla/": ["sida"],
        "/norrbotten/arbetsutskott/": ["sida"],
        "/norrbotten/arbetsutskott/2021/": ["sida"],
        BASE: ["sida"],
        "/sok/": ["q", "org", "organ", "ar", "sida"],
        "/sprak/en/": ["next"],
        "/sitemap.xml": ["p"],
        "/sitemap-paragraphs.xml": ["p"],
        "/norrbotten/flode.atom": ["sida"],
        "/norrbotten/arbetsutskott/sammantraden.ics": ["x"],
        "/verifiera/": ["sida"],
        "/oparl/v1/system": ["page"],
        "/oparl/v1/body": ["page", "elementsPerPage", "created_since", "modified_until"],
        "/oparl/v1/meeting": ["page", "created_until", "modified_since"],
    }
    for url, names in urls.items():
        for name in names:
            for value in ODD + ODD_MOMENTS:
                response = client.get(url, {name: value})
                assert response.status_code in (200, 302, 400, 404), (url, name, value)
