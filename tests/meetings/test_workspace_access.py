"""Every workspace URL, for a secretary of another förbund: 404, as if nothing were
there. The URLs come from the resolver, so a new one cannot be forgotten."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from meetings import urls
from meetings.actions import services
from meetings.legacy import importing
from meetings.models import Attendance, Bilaga, Decision, LegacyUpload, Paragraph, Uppdrag
from members.models import Person
from minutes_site.outbox import sending

OWN_DATA_ONLY = {
    "dashboard",
    "follow_ups",
    "meeting_create",
    "legacy_uploads",
}  # they show the visitor's own meetings


def workspace_urls(meeting, paragraph, decision, bilaga, handling, upload, mail) -> list[str]:
    values = {
        "pk": meeting.pk,
        "item": paragraph.pk,
        "decision": decision.pk,
        "number": bilaga.number,
        "rattelse_id": 1,
        "handling_id": handling.pk,
        "upload": upload.pk,
        "mail": mail.pk,
        "uppdrag": Uppdrag.objects.get(decision=decision).pk,
    }
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in OWN_DATA_ONLY:
            continue
        names = pattern.pattern.converters.keys()
        missing = set(names) - set(values)
        assert not missing, f"no test value for {missing} in {pattern.name}"
        found.append(reverse(f"workspace:{pattern.name}", kwargs={n: values[n] for n in names}))
    return found


@pytest.fixture
def everything(planned, styrelse):
    item = services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    decision = Decision.objects.create(
        paragraph=item, kind="forslag", proposed_to=styrelse, text="Föreslår …"
    )
    Uppdrag.objects.create(decision=decision, description="Utred vidare")
    bilaga = Bilaga.objects.create(meeting=planned, paragraph=item, number=1, title="Avtal")
    handling = services.attach_handling(
        item,
        title="Underlag",
        file=ContentFile(b"%PDF-1.4\n", name="u.pdf"),
        filename="u.pdf",
        is_public=True,
    )
    legacy = Path(__file__).parent / "data" / "legacy" / "au-2020-03-09.txt"
    read = importing.prepare(
        legacy.name, legacy.read_bytes(), organisation=planned.body.organisation
    )
    upload = LegacyUpload.objects.create(
        organisation=planned.body.organisation,
        filename=legacy.name,
        sha256=read.source.sha256,
        source_text=read.source.text,
        document=read.parsed.document,
    )
    (notice,) = sending.post(
        [EmailMessage("Kallelse", "Text", to=["annica@example.se"])], about=planned, kind="kallelse"
    )
    return planned, item, decision, bilaga, handling, upload, notice


def test_every_workspace_url_is_checked():
    names = {p.name for p in urls.urlpatterns}

    assert len(names) == len(urls.urlpatterns) == 40


def test_another_organisations_secretary_gets_404_everywhere(other_secretary_client, everything):
    addresses = workspace_urls(*everything)

    for url in addresses:
        assert other_secretary_client.get(url).status_code in (404, 405), url
        assert other_secretary_client.post(url, {"title": "x"}).status_code == 404, url
    meeting = everything[0]
    assert meeting.paragraphs.count() == 6
    assert meeting.attendances.count() == 5


def test_the_secretary_reaches_every_workspace_url(
    secretary_client, everything, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    bilaga = everything[3]
    bilaga.file.save("avtal.pdf", __import__("io").BytesIO(b"%PDF-1.4\n"))
    everything[4].file.save("u.pdf", ContentFile(b"%PDF-1.4\n"))

    meeting, item = everything[0], everything[1]
    # There is no sealed PDF and no extract before justering.
    not_yet = {
        reverse("workspace:archive_pdf", args=[meeting.pk]),
        reverse("workspace:public_version_pdf", args=[meeting.pk]),
        reverse("workspace:utdrag_pdf", args=[meeting.pk, item.pk]),
        reverse("workspace:rattelse_pdf", args=[meeting.pk, 1]),
        # An uppdrag is followed up once its protocol is justerat.
        reverse("workspace:follow_up_edit", args=[Uppdrag.objects.get().pk]),
    }
    # Publication is offered once justerat; before that the page says why not.
    # So is cancelling, once the meeting is held (its protocol is begun).
    refused = {
        reverse(
            "workspace:publish", args=[meeting.pk]
        ): "Bara ett justerat protokoll kan publiceras.",
        reverse(
            "workspace:meeting_cancel", args=[meeting.pk]
        ): "Bara ett sammanträde som inte har hållits kan ställas in.",
    }
    for url in workspace_urls(*everything):
        response = secretary_client.get(url)
        if url in refused:
            assert response.status_code == 403
            assert refused[url] in response.content.decode()
        elif url in not_yet:
            assert response.status_code == 404
        else:
            assert response.status_code in (200, 405), url


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, everything):
    for url in workspace_urls(*everything):
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith("/logga-in/"), url


def _grow(meeting, paragraphs: int, attendees: int):
    """Give the meeting this many numbered paragraphs and attendees, in one INSERT
    each: the rows are what the pages read, and adding 29 items one by one through
    the services (each hashing the protocol anew) cost a second a test."""
    last = meeting.paragraphs.aggregate(position=Max("position"), number=Max("number"))
    Paragraph.objects.bulk_create(
        Paragraph(
            meeting=meeting,
            body_id=meeting.body_id,  # as Paragraph.save mirrors them
            year=meeting.date.year,
            section="beslut",
            title=f"Ärende {i}",
            position=(last["position"] or 0) + 1 + i,
            number=(last["number"] or 0) + 1 + i,
        )
        for i in range(paragraphs - meeting.paragraphs.count())
    )
    organisation = meeting.body.organisation
    people = Person.objects.bulk_create(
        Person(organisation=organisation, name=f"Ledamot {i}")
        for i in range(attendees - meeting.attendances.count())
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, capacity="beslutande", order=100 + i)
        for i, person in enumerate(people)
    )
    for p in meeting.paragraphs.all()[:3]:
        Decision.objects.create(paragraph=p, kind="beslut", text="Beslutas att …")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


PAGES = ["meeting", "meeting_edit", "item_add", "paragraph", "attendance", "bilagor",
         "kallelse_send", "draft_pdf", "kallelse_pdf"]  # fmt: skip


@pytest.mark.parametrize("page", [*PAGES, "dashboard"])
def test_a_page_runs_as_many_queries_for_30_paragraphs_as_for_1(
    secretary_client, au, seats, secretary, page
):
    def meeting_with(n):
        m = services.plan_meeting(
            au,
            by=secretary,
            date=datetime.date(2021, 3, n),
            start_time=datetime.time(9, 0),
            end_time=None,
            place="",
            is_remote=False,
        )
        for p in list(m.paragraphs.all())[1:]:
            services.remove_item(p)
        return m

    small = meeting_with(1)
    services.start_protocol(small)
    _grow(small, 1, 1)
    if page == "dashboard":
        url = reverse("workspace:dashboard")
        few = _queries(secretary_client, url)
        for day in range(2, 31):
            meeting_with(day)
        assert _queries(secretary_client, url) == few
        return
    kwargs = {"pk": small.pk}
    if page == "paragraph":
        kwargs["item"] = small.paragraphs.first().pk
    few = _queries(secretary_client, reverse(f"workspace:{page}", kwargs=kwargs))

    _grow(small, 30, 30)
    many = _queries(secretary_client, reverse(f"workspace:{page}", kwargs=kwargs))

    assert many == few
    assert few <= 20


@pytest.mark.parametrize("status", ["planerat", "genomfort"])
def test_the_meeting_page_runs_at_most_ten_queries(secretary_client, planned, status):
    # The bench's target for a secretary's page (bench/run.py, queries_secretary_max):
    # the session, the user and the second factor are three of them.
    if status == "genomfort":
        services.start_protocol(planned)
    _grow(planned, 10, 10)

    assert _queries(secretary_client, reverse("workspace:meeting", args=[planned.pk])) <= 10
