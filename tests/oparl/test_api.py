"""The OParl 1.1 API: a walk from the System through every list and object of the
demo validates against the official schemas (tests/oparl/schema, from the OParl
spec repository); nothing non-public reaches it; lists run in constant queries."""

import datetime
import json
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft4Validator

from meetings.actions import publication, services
from meetings.models import Meeting, Paragraph
from members.models import Body, Membership, Person
from tests.conftest import justera
from tests.meetings.test_public_version import SECRET, secret_protocol  # noqa: F401

SCHEMAS = Path(__file__).parent / "schema"
SITE = "http://testserver"  # SITE_URL in the tests (pyproject.toml)
SYSTEM = f"{SITE}/oparl/v1/system"


def _validator(kind: str) -> Draft4Validator:
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text())
    if kind == "Body":
        # The spec's text makes these four external lists (a URL, as organization or
        # meeting), "Objektliste … Neu in OParl 1.1"; its schema file types them as
        # arrays of objects, which a body's every file could not be.
        for name in ("agendaItem", "consultation", "file", "membership"):
            schema["properties"][name] = {"type": "string", "format": "uri"}
    return Draft4Validator(schema)


VALIDATORS = {}


def validate(obj: dict) -> None:
    """An object and every object embedded in it, each against its type's schema."""
    kind = obj["type"].rsplit("/", 1)[-1]
    if kind not in VALIDATORS:
        VALIDATORS[kind] = _validator(kind)
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATORS[kind].iter_errors(obj)
    ]
    assert not errors, (obj["id"], errors)
    # OParl 1.1 asks created and modified of every object (its changes chapter); the
    # copied schemas, from before that, do not say so.
    assert {"created", "modified"} <= set(obj), obj["id"]
    if obj.get("deleted"):
        assert set(obj) == {"id", "type", "created", "modified", "deleted"}, obj["id"]
    for value in obj.values():
        for inner in value if isinstance(value, list) else [value]:
            if isinstance(inner, dict) and "type" in inner:
                validate(inner)


def _path(url: str) -> str:
    assert url.startswith(SITE), url
    return url.removeprefix(SITE)


def _references(obj, *, skip=("accessUrl", "downloadUrl", "web", "sv:extract", "sv:verification")):
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key not in skip:
                yield from _references(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _references(value)
    elif isinstance(obj, str) and obj.startswith(f"{SITE}/oparl/"):
        yield obj


def walk(client) -> dict[str, dict]:
    """Every API URL reachable from the System (lists page by page), answered 200,
    each object checked against its schema; embedded objects are fetched by id too."""
    seen: dict[str, dict] = {}
    todo = [SYSTEM]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(_path(url))
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        data = response.json()
        seen[url] = data
        if "data" in data:  # a list page
            assert set(data) == {"data", "pagination", "links"}, url
            for obj in data["data"]:
                validate(obj)
        else:
            validate(data)
            assert data["id"] == url.split("?")[0], url
        todo += [u for u in _references(data) if u not in seen]
    return seen


def _kinds(seen: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for data in seen.values():
        for obj in data.get("data", [data]):
            kind = obj["type"].rsplit("/", 1)[-1]
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def test_no_non_public_byte_reaches_any_api_response(client, secret_protocol):  # noqa: F811
    someone = Person.objects.filter(organisation=secret_protocol.body.organisation).first()
    Person.objects.filter(pk=someone.pk).update(email="qzmail@example.se", phone="070-QZPHONE")

    seen = walk(client)

    text = "\n".join(json.dumps(d, ensure_ascii=False) for d in seen.values()).lower()
    assert [t for t in SECRET.values() if t.lower() in text] == []
    assert "qzmail" not in text and "qzphone" not in text
    meeting = seen[f"{SITE}/oparl/v1/meeting/{secret_protocol.pk}"]
    secret = [i for i in meeting["agendaItem"] if i["public"] is False]
    assert [i["name"] for i in secret] == ["Personalärende"]
    assert "resolutionText" not in secret[0] and "auxiliaryFile" not in secret[0]


def test_a_deleted_person_and_seat_answer_deleted(client, seats):
    seat = Membership.objects.select_related("person").first()
    person = seat.person
    org, pk = person.organisation_id, person.pk
    person.memberships.all().delete()
    person.delete()

    data = client.get(f"/oparl/v1/person/{pk}").json()
    assert set(data) == {"id", "type", "created", "modified", "deleted"}
    assert data["deleted"] is True
    # A full read lists what exists; a client synchronising learns what went (issue 30, 2).
    listed = client.get(f"/oparl/v1/body/{org}/person").json()["data"]
    assert [p["id"] for p in listed if p.get("deleted")] == []
    since = {"modified_since": data["modified"]}
    synced = client.get(f"/oparl/v1/body/{org}/person", since).json()["data"]
    assert [p["id"] for p in synced if p.get("deleted")] == [data["id"]]
    assert client.get(f"/oparl/v1/membership/{seat.pk}").json()["deleted"] is True
    validate(data)


def test_a_seat_deleted_or_added_moves_its_person_and_organization(client, seats):
    """Issue 30, 1: a change to an embedded object is a change to its parent (2.8)."""
    seat = Membership.objects.select_related("person", "body").first()
    person, body = seat.person, seat.body
    # A second seat keeps the person in the open data when the first goes.
    Membership.objects.create(person=person, body=Body.objects.exclude(pk=body.pk).first(),
                              role="ledamot", start=datetime.date(2019, 1, 1))  # fmt: skip
    Person.objects.filter(pk=person.pk).update(modified=timezone.now() - datetime.timedelta(days=9))
    Body.objects.filter(pk=body.pk).update(modified=timezone.now() - datetime.timedelta(days=9))
    before = timezone.now()

    seat.delete()

    person_now = client.get(f"/oparl/v1/person/{person.pk}").json()
    organization = client.get(f"/oparl/v1/organization/{body.pk}").json()
    since = {"modified_since": before.replace(microsecond=0).isoformat()}
    org = body.organisation_id
    assert person_now["id"] in [p["id"] for p in client.get(
        f"/oparl/v1/body/{org}/person", since).json()["data"]]  # fmt: skip
    assert organization["id"] in [o["id"] for o in client.get(
        f"/oparl/v1/body/{org}/organization", since).json()["data"]]  # fmt: skip
    assert of_seat(seat.pk) not in organization.get("membership", [])

    Person.objects.filter(pk=person.pk).update(modified=timezone.now() - datetime.timedelta(days=9))
    again = timezone.now()
    Membership.objects.create(
        person=person, body=body, role="ledamot", start=datetime.date(2031, 1, 1)
    )
    assert Person.objects.get(pk=person.pk).modified >= again


def of_seat(pk: int) -> str:
    return f"{SITE}/oparl/v1/membership/{pk}"


def test_a_called_meeting_shows_its_public_agenda_and_answers_deleted_when_gone(
    client, planned, secretary, week_before
):
    from meetings.actions import kallelse

    budget = services.add_item(planned, section="beslut", title="Budget 2022")
    kallelse.send(planned, by=secretary)
    data = client.get(f"/oparl/v1/meeting/{planned.pk}").json()
    validate(data)
    assert (data["meetingState"], data["sv:meetingState"]) == ("eingeladen", "kallelse skickad")
    items = {i["name"]: i["id"] for i in data["agendaItem"]}
    assert items["Budget 2022"] == f"{SITE}/oparl/v1/agendaItem/{budget.pk}"

    planned.paragraphs.all().delete()
    Meeting.objects.filter(pk=planned.pk).delete()

    gone = client.get(f"/oparl/v1/meeting/{planned.pk}").json()
    assert gone["deleted"] is True
    validate(gone)
    assert client.get(_path(items["Budget 2022"])).json()["deleted"] is True
    url = f"/oparl/v1/body/{planned.body.organisation_id}/meeting"
    assert client.get(url).json()["data"] == []  # a full read lists what exists
    listed = client.get(url, {"modified_since": gone["modified"]}).json()["data"]
    assert [m["id"] for m in listed] == [gone["id"]]


def test_an_item_taken_off_the_agenda_keeps_its_id_to_itself(
    client, planned, secretary, week_before
):
    from meetings.actions import kallelse

    first = services.add_item(planned, section="beslut", title="Budget 2022")
    second = services.add_item(planned, section="beslut", title="Verksamhetsplan")
    kallelse.send(planned, by=secretary)
    before = {
        i["id"]: i["name"]
        for i in client.get(f"/oparl/v1/meeting/{planned.pk}").json()["agendaItem"]
    }

    first_id = f"{SITE}/oparl/v1/agendaItem/{first.pk}"
    services.remove_item(first)
    # Until the next kallelse the meeting shows its agenda as sent, and so does the item.
    shown = client.get(f"/oparl/v1/meeting/{planned.pk}").json()["agendaItem"]
    assert client.get(_path(first_id)).json() in shown
    kallelse.send(planned, by=secretary)
    after = {
        i["id"]: i["name"]
        for i in client.get(f"/oparl/v1/meeting/{planned.pk}").json()["agendaItem"]
    }

    assert before[f"{SITE}/oparl/v1/agendaItem/{second.pk}"] == "Verksamhetsplan"
    assert after[f"{SITE}/oparl/v1/agendaItem/{second.pk}"] == "Verksamhetsplan"
    assert first_id not in after and first_id in before
    assert client.get(_path(first_id)).json()["deleted"] is True


def test_a_handling_removed_moves_the_meeting_and_empties_the_cache(
    client, planned, secretary, week_before, settings
):
    from django.core.files.base import ContentFile

    from meetings.actions import kallelse

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    item = services.add_item(planned, section="beslut", title="Budget 2022")
    handling = services.attach_handling(
        item,
        title="Budgetförslag",
        file=ContentFile(b"%PDF-1.4\n", name="b.pdf"),
        filename="b.pdf",
        is_public=True,
    )
    kallelse.send(planned, by=secretary)
    url = f"/oparl/v1/meeting/{planned.pk}"
    before = client.get(url).json()
    # The item carries its handling; the meeting lists only files of no item (issue 30, 6).
    assert "auxiliaryFile" not in before
    (on_item,) = [i for i in before["agendaItem"] if i["name"] == "Budget 2022"]
    assert on_item["auxiliaryFile"][0]["id"] == f"{SITE}/oparl/v1/file/handling/{handling.pk}"
    assert on_item["auxiliaryFile"][0]["date"] == f"{timezone.localtime(handling.created):%Y-%m-%d}"
    # `order` counts from 0: the item's place in the meeting's list (issue 30, 5).
    assert [i["order"] for i in before["agendaItem"]] == list(range(len(before["agendaItem"])))

    moment, pk = timezone.now(), handling.pk
    handling.delete()

    after = client.get(url).json()  # not the kept answer
    assert after["modified"] >= before["modified"]  # to the second
    (on_item,) = [i for i in after["agendaItem"] if i["name"] == "Budget 2022"]
    assert "auxiliaryFile" not in on_item
    since = client.get(
        f"/oparl/v1/body/{planned.body.organisation_id}/meeting",
        {"modified_since": moment.isoformat()},
    ).json()
    assert [m["id"] for m in since["data"]] == [after["id"]]
    assert client.get(f"/oparl/v1/file/handling/{pk}").json()["deleted"] is True
    # The Body's file list tells a synchronising client the file went (issue 30, 3).
    files = f"/oparl/v1/body/{planned.body.organisation_id}/file"
    gone_file = f"{SITE}/oparl/v1/file/handling/{pk}"
    synced = client.get(files, {"modified_since": moment.isoformat()}).json()["data"]
    assert [(f["id"], f.get("deleted")) for f in synced] == [(gone_file, True)]
    assert client.get(files).json()["data"] == []


def test_etag_and_304_with_cors(client, seats):
    first = client.get("/oparl/v1/system")
    again = client.get("/oparl/v1/system", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert "max-age=60" in again["Cache-Control"]


def test_unknown_objects_are_a_json_404(client, db):
    for url in (
        "/oparl/v1/meeting/999",
        "/oparl/v1/body/999",
        "/oparl/v1/person/999",
        "/oparl/v1/body/999/meeting",
        "/oparl/v1/agendaItem/999/1",
        "/oparl/v1/file/protocol/999",
        "/oparl/v1/file/handling/999",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        # OParl 1.1's error object (2.9), in the language of the content.
        assert response.json() == {
            "type": "https://schema.oparl.org/1.1/Error",
            "message": "Det finns inget sådant objekt i arkivet.",
            "debug": f"404 Not Found: GET {url}",
        }


def test_a_draft_or_a_protocol_under_justering_is_not_in_the_api(client, drafted):
    assert client.get(f"/oparl/v1/meeting/{drafted.pk}").status_code == 404
    org = drafted.body.organisation_id
    assert client.get(f"/oparl/v1/body/{org}/meeting").json()["data"] == []


def test_the_page_cache_keeps_each_list_page_apart_and_revalidates(
    client, seats, settings, monkeypatch
):
    from meetings.models import CachedPage

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr("meetings.public.oparl.lists.PAGE_SIZE", 1)
    org = seats["deputy"].organisation_id
    url = f"/oparl/v1/body/{org}/person"
    first = client.get(url).json()
    second = client.get(url, {"page": 2}).json()
    assert first["data"][0]["id"] != second["data"][0]["id"]

    with CaptureQueriesContext(connection) as context:
        kept = client.get(url, {"page": 2})
    assert len(context.captured_queries) == 1  # served by the shared cache
    assert kept.json() == second
    again = client.get(url, {"page": 2}, HTTP_IF_NONE_MATCH=kept["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == kept["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    # A page size or a filter is answered, never kept: their values are endless.
    assert client.get(url, {"page": 2, "elementsPerPage": 1}).json()["data"] == second["data"]
    assert sorted(CachedPage.objects.values_list("key", flat=True)) == [
        f"sv|testserver|{url}",
        f"sv|testserver|{url}?page=2",
    ]


def test_cors_preflight_methods_and_unknown_addresses_answer_json(client, db):
    preflight = client.options(
        "/oparl/v1/system",
        HTTP_ORIGIN="https://klient.example",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    posted = client.post("/oparl/v1/system")
    assert (posted.status_code, posted["Allow"]) == (405, "GET, HEAD, OPTIONS")
    assert posted["Access-Control-Allow-Origin"] == "*"
    for url in (
        "/oparl/v1/meeting/abc",
        "/oparl/v1/finns-inte",
        "/oparl/v1/",
        "/oparl/",
        "/oparl/v2/system",
        "/oparl/v1/meeting/01",
        "/oparl/v1/meeting/-1",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["type"] == "https://schema.oparl.org/1.1/Error", url
        assert response["Access-Control-Allow-Origin"] == "*"


def test_bad_paging_is_refused_with_the_reason(client, seats):
    org = seats["deputy"].organisation_id
    for query in (
        {"elementsPerPage": "0"},
        {"elementsPerPage": "abc"},
        {"page": "99"},
        {"created_until": "2026-12-01"},
        {"modified_since": "igår"},
    ):
        response = client.get(f"/oparl/v1/body/{org}/person", query)
        assert response.status_code == 400, query
        error = response.json()
        assert error["type"] == "https://schema.oparl.org/1.1/Error", query
        assert error["message"] and error["debug"].startswith("400 Bad Request: GET "), query


def test_until_takes_in_the_second_it_names(client, seats):
    org = seats["deputy"].organisation_id
    person = Person.objects.filter(organisation_id=org).order_by("created").first()
    shown = client.get(f"/oparl/v1/person/{person.pk}").json()["created"]
    listed = client.get(f"/oparl/v1/body/{org}/person", {"created_until": shown}).json()["data"]
    assert shown in [p["created"] for p in listed]


def test_participants_and_the_answering_paragraph_are_linked(
    client, justerat, au, secretary, annica
):
    publication.publish(justerat, by=None)
    data = client.get(f"/oparl/v1/meeting/{justerat.pk}").json()
    present = {a["name"] for a in data["sv:attendance"] if a["capacity"] != "franvarande"}
    named = {client.get(_path(u)).json()["name"] for u in data["participant"]}
    assert named == present

    proposal = next(i for i in data["agendaItem"] if i["name"] == "Tjänsteköp Samordnare")
    answer_meeting = services.plan_meeting(
        au, by=secretary, date=datetime.date(2021, 10, 11), start_time=datetime.time(13)
    )
    answer = services.add_item(answer_meeting, section="beslut", title="Tjänsteköp Samordnare")
    Paragraph.objects.filter(pk=answer.pk).update(
        responds_to=justerat.paragraphs.get(title="Tjänsteköp Samordnare")
    )
    services.start_protocol(answer_meeting)
    justera(answer_meeting, justerare=[annica], by=secretary)
    answer_meeting.refresh_from_db()
    publication.publish(answer_meeting, by=None)

    answering = client.get(f"/oparl/v1/meeting/{answer_meeting.pk}").json()
    item = next(i for i in answering["agendaItem"] if i["name"] == "Tjänsteköp Samordnare")
    assert item["sv:respondsTo"] == proposal["id"]
    again = client.get(_path(proposal["id"])).json()
    assert again["sv:answeredBy"] == [item["id"]]
