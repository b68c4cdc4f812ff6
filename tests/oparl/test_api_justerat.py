"""The OParl API over one justerat protocol, built once for the module
(tests/conftest.py, world_fixtures): lists filter by created and modified,
a scheduled publication appears on its day, lists and objects run in constant
queries, public files answer the CORS preflight."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.actions import publication
from meetings.models import ArchivedProtocol, Meeting, PublicProtocol
from tests import example
from tests.conftest import world_fixtures

# One justerat protocol whose bilaga has a file, built once for the module.
world_fixtures(
    globals(), lambda: example.justerat_world(bilaga_file=True), "justerat", "drafted", "planned"
)


def test_lists_filter_by_created_and_modified(client, justerat):
    publication.publish(justerat, by=None)
    url = f"/oparl/v1/body/{justerat.body.organisation_id}/meeting"
    everything = client.get(url).json()["pagination"]["totalElements"]
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()

    assert everything == 1
    assert client.get(url, {"modified_since": later}).json()["data"] == []
    assert client.get(url, {"created_until": later}).json()["pagination"]["totalElements"] == 1
    earlier = (justerat.created - datetime.timedelta(seconds=1)).isoformat()
    assert client.get(url, {"created_until": earlier}).json()["data"] == []
    assert len(client.get(url, {"modified_since": earlier}).json()["data"]) == 1
    refused = client.get(url, {"modified_since": "igår"})
    assert refused.status_code == 400
    assert "modified_since" in refused.json()["message"]


def test_a_scheduled_publication_is_modified_on_its_day(client, justerat):
    day = timezone.localdate() + datetime.timedelta(days=3)
    publication.publish(justerat, on=day, by=None)
    url = f"/oparl/v1/meeting/{justerat.pk}"
    assert client.get(url).status_code == 404  # not yet public

    Meeting.objects.filter(pk=justerat.pk).update(publish_on=timezone.localdate())
    data = client.get(url).json()
    lists = client.get(
        f"/oparl/v1/body/{justerat.body.organisation_id}/meeting",
        {"modified_since": timezone.localtime().replace(hour=0, minute=0, second=0).isoformat()},
    ).json()
    assert data["id"] in [m["id"] for m in lists["data"]]


def _copies(published: Meeting, n: int) -> None:
    """n more published protocols of the same body, sharing the stored files."""
    archive, public = published.archive, published.public_version
    for i in range(n):
        m = Meeting.objects.create(
            body=published.body,
            date=published.date + datetime.timedelta(days=i + 1),
            start_time=published.start_time,
            place=published.place or "Förbundets kontor",
            status=Meeting.Status.PUBLICERAT,
            justerat_at=published.justerat_at,
            publish_on=published.publish_on,
        )
        copy = ArchivedProtocol.objects.create(
            meeting=m,
            pdf=archive.pdf.name,
            sha256=hashlib.sha256(f"a{m.pk}".encode()).hexdigest(),
            content=archive.content,
            content_hash=archive.content_hash,
        )
        PublicProtocol.objects.create(
            meeting=m,
            original=copy,
            pdf=public.pdf.name,
            sha256=hashlib.sha256(f"p{m.pk}".encode()).hexdigest(),
            content=public.content,
        )


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), len(response.json().get("data", []))


@pytest.mark.parametrize(
    "path",
    [
        "body/{org}/meeting",
        "organization/{organ}/meeting",
        "body/{org}/location",
        "body/{org}/person",
        "body/{org}/membership",
        "body/{org}/organization",
        "body/{org}/agendaItem",
        "body/{org}/file",
        "body",
    ],
)
def test_a_list_page_runs_in_constant_queries(client, justerat, settings, path):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    publication.publish(justerat, by=None)
    url = "/oparl/v1/" + path.format(org=justerat.body.organisation_id, organ=justerat.body_id)
    _copies(justerat, 9)
    client.get(url)  # the first request measures the stored files (one statement more)
    few, shown = _queries(client, url)
    _copies(Meeting.objects.order_by("-date").first(), 90)
    many, shown_many = _queries(client, url)

    # At 100 the page is full and the deletions after it are not read: one query fewer.
    assert many <= few <= 12, (few, many)
    if "meeting" in path or "location" in path:
        assert (shown, shown_many) == (10, 100)
    if "file" in path:  # ten protocols and the first's bilaga, then a full page
        assert (shown, shown_many) == (11, 100)


def test_a_meeting_object_runs_in_at_most_five_queries(client, justerat, settings):
    # The bench's target for a public page (bench/run.py, queries_public_max): the
    # files' kept facts come with their rows, not in a query of their own.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    publication.publish(justerat, by=None)
    url = f"/oparl/v1/meeting/{justerat.pk}"
    client.get(url)  # the first request measures the stored files (one statement more)

    with CaptureQueriesContext(connection) as context:
        meeting = client.get(url).json()

    assert len(context.captured_queries) <= 5
    # OParl's words for the state, the Swedish beside them (issue 30, 8); items from 0 (5).
    assert (meeting["meetingState"], meeting["sv:meetingState"]) == ("durchgeführt", "publicerat")
    assert [i["order"] for i in meeting["agendaItem"]] == list(range(len(meeting["agendaItem"])))
    assert len(meeting["agendaItem"]) == justerat.paragraphs.count()
    assert meeting["resultsProtocol"]["size"] == justerat.public_version.pdf.size
    pdf = justerat.public_version.pdf.open("rb").read()
    assert meeting["resultsProtocol"]["sha512Checksum"] == hashlib.sha512(pdf).hexdigest()


def test_a_public_file_answers_the_cors_preflight(client, justerat):
    publication.publish(justerat, by=None)
    url = reverse("public:protocol_pdf", kwargs=justerat.address())
    preflight = client.options(url)
    assert (preflight.status_code, preflight.content) == (204, b"")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert client.get(url)["Access-Control-Allow-Origin"] == "*"


def test_a_file_is_shown_at_its_access_url_and_saved_from_its_download_url(client, justerat):
    """Issue 30, 4: accessUrl shows the file in the browser, downloadUrl saves it."""
    publication.publish(justerat, by=None)
    protocol = client.get(f"/oparl/v1/meeting/{justerat.pk}").json()["resultsProtocol"]

    assert protocol["downloadUrl"] == protocol["accessUrl"] + "?ladda-ner=1"
    shown = client.get(protocol["accessUrl"].removeprefix("http://testserver"))
    saved = client.get(protocol["downloadUrl"].removeprefix("http://testserver"))
    name = "protokoll-arbetsutskott-2021-09-27.pdf"
    assert shown["Content-Disposition"] == f'inline; filename="{name}"'
    assert saved["Content-Disposition"] == f'attachment; filename="{name}"'
    assert b"".join(shown.streaming_content) == b"".join(saved.streaming_content)


def test_the_body_lists_its_agenda_items_files_seats_and_no_consultations(client, justerat):
    """Issue 30, 3: the lists OParl 1.1 gives a Body, each object as its meeting
    embeds it, with paging and the filters."""
    publication.publish(justerat, by=None)
    org = justerat.body.organisation_id
    body = client.get(f"/oparl/v1/body/{org}").json()
    meeting = client.get(f"/oparl/v1/meeting/{justerat.pk}").json()

    lists = {name: client.get(body[name].removeprefix("http://testserver")).json()
             for name in ("agendaItem", "file", "consultation", "membership")}  # fmt: skip
    # In the list's stable order (the key), the same objects the meeting embeds.
    assert lists["agendaItem"]["data"] == sorted(meeting["agendaItem"], key=_key)
    carried = [f for i in meeting["agendaItem"] for f in i.get("auxiliaryFile", [])]
    assert carried and lists["file"]["data"] == [meeting["resultsProtocol"], *carried]
    assert lists["consultation"]["data"] == []
    assert len(lists["membership"]["data"]) == justerat.body.organisation.bodies.aggregate(
        n=Count("memberships"))["n"]  # fmt: skip
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    for name in ("agendaItem", "file"):
        assert client.get(body[name].removeprefix("http://testserver"),
                          {"modified_since": later}).json()["data"] == []  # fmt: skip


def _key(obj: dict) -> int:
    return int(obj["id"].rsplit("/", 1)[-1])


def test_omit_internal_leaves_out_the_lists_the_body_lists_again(client, justerat):
    """Issue 30, 7: `omit_internal=true` (OParl 1.1, 2.5): a client that keeps its copy
    from the Body's external lists reads each agenda item, file and seat once."""
    publication.publish(justerat, by=None)
    org = justerat.body.organisation_id
    url = f"/oparl/v1/body/{org}/meeting"

    full = client.get(url).json()["data"][0]
    bare_page = client.get(url, {"omit_internal": "true", "elementsPerPage": 1}).json()
    bare = bare_page["data"][0]
    person = client.get(f"/oparl/v1/body/{org}/person", {"omit_internal": "true"}).json()
    body = client.get(f"/oparl/v1/body/{org}", {"omit_internal": "true"}).json()

    assert full["agendaItem"] and "agendaItem" not in bare and "auxiliaryFile" not in bare
    assert {k: v for k, v in full.items() if k not in ("agendaItem", "auxiliaryFile")} == bare
    assert all("membership" not in p for p in person["data"])
    assert "legislativeTerm" not in body and body["legislativeTermList"]
    assert "omit_internal=true" in bare_page["links"]["first"]
    agenda = client.get(f"/oparl/v1/body/{org}/agendaItem", {"omit_internal": "true"}).json()
    assert agenda["data"] and all("auxiliaryFile" not in i for i in agenda["data"])
