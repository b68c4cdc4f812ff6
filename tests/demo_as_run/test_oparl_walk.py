"""The OParl API over the demo as `make run` seeds it (justerat, sealed, published;
seeded once for the package, each test in its own savepoint): a walk from the System
validates every object against the official schemas."""

import hashlib
import json

from django.utils import timezone

from meetings.actions import publication
from meetings.models import Meeting
from members.models import Membership, Person
from tests.oparl.test_api import SITE, SYSTEM, _kinds, _path, walk


def test_a_walk_of_the_demo_validates_against_the_oparl_schemas(client, seeded):
    seen = walk(client)

    published = Meeting.objects.filter(publication.is_published()).count()
    called = (
        Meeting.objects.filter(kallelser__isnull=False)
        .exclude(publication.is_published())
        .distinct()
        .count()
    )
    counts = _kinds(seen)
    # Each object once by its id and once in its list (meetings also in their organ's).
    assert counts["Meeting"] == 3 * (published + called)
    assert counts["Person"] == 2 * Person.objects.count()
    assert counts["Membership"] >= 2 * Membership.objects.count()
    assert counts["Body"] == 2
    assert seen[SYSTEM]["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert published >= 5 and called >= 1


def test_a_published_meeting_says_what_its_public_version_says(client, seeded):
    m = Meeting.objects.filter(publication.is_published()).order_by("date").first()
    data = client.get(f"/oparl/v1/meeting/{m.pk}").json()
    public = json.loads(m.public_version.content)

    assert data["name"] == f"{m.body.name} {m.date:%Y-%m-%d}"
    assert data["start"] == f"{m.date:%Y-%m-%d}T{m.start_time:%H:%M}:00+01:00"
    assert data["organization"] == [f"{SITE}/oparl/v1/organization/{m.body_id}"]
    assert [i["name"] for i in data["agendaItem"]] == [p["title"] for p in public["paragraphs"]]
    first = data["agendaItem"][0]
    assert first["number"] == f"§ {public['paragraphs'][0]['number']}"
    assert first["web"] == f"{SITE}{m.get_absolute_url()}p{public['paragraphs'][0]['number']}/"
    protocol = data["resultsProtocol"]
    stored = m.public_version.pdf.open("rb").read()
    assert protocol["size"] == len(stored)
    assert protocol["sha512Checksum"] == hashlib.sha512(stored).hexdigest()
    assert client.get(_path(protocol["accessUrl"])).status_code == 200
    assert data["sv:anslag"]["posted"] == f"{m.publish_on:%Y-%m-%d}"
    assert data["sv:justerat"].startswith(f"{timezone.localtime(m.justerat_at):%Y-%m-%d}")
    # Each bilaga is carried by its agenda item, the meeting lists none again (issue 30, 6).
    assert "auxiliaryFile" not in data
    carried = [f for i in data["agendaItem"] for f in i.get("auxiliaryFile", [])]
    assert carried
    for f in carried:
        assert client.get(_path(f["accessUrl"])).status_code == 200


def test_pages_link_on_and_keep_the_filters(client, seeded):
    org = Meeting.objects.first().body.organisation_id
    first = client.get(
        f"/oparl/v1/body/{org}/meeting",
        {"elementsPerPage": 2, "created_until": "2099-01-01T00:00:00+01:00"},
    ).json()
    ids = [m["id"] for m in first["data"]]
    url = first["links"]["next"]
    while url:
        page = client.get(_path(url)).json()
        assert "created_until=2099" in url and "elementsPerPage=2" in url
        ids += [m["id"] for m in page["data"]]
        url = page["links"].get("next")
    assert len(ids) == len(set(ids)) == first["pagination"]["totalElements"]
    assert first["pagination"]["totalPages"] == -(-len(ids) // 2)


def _examples() -> dict[str, dict]:
    """The JSON examples of docs/oparl.md, by the heading above each."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "oparl.md").read_text()
    found = re.findall(r"## Example: ([^\n]+)\n\n```json\n(.*?)\n```", text, re.S)
    return {title: json.loads(block) for title, block in found}


def _same_shape(documented, answered, where: str) -> list[str]:
    """Where the documented example has a property the API's answer lacks, or a value
    of another kind (the example's values are shortened, its keys are not)."""
    if isinstance(documented, dict):
        if not isinstance(answered, dict):
            return [where]
        return [
            problem
            for key, value in documented.items()
            for problem in (
                _same_shape(value, answered[key], f"{where}.{key}")
                if key in answered
                else [f"{where}.{key} (missing)"]
            )
        ]
    if isinstance(documented, list):
        return _same_shape(documented[0], answered[0], f"{where}[0]") if documented else []
    return [] if type(documented) is type(answered) else [f"{where} (a {type(answered)})"]


def test_the_documented_examples_are_what_the_api_answers(client, seeded):
    """Issue 30: docs/oparl.md's examples hold the properties the API gives, with
    values of the same kind, and the words it uses (meetingState, downloadUrl)."""
    examples = _examples()
    meeting = Meeting.objects.filter(publication.is_published()).order_by("date").first()
    answered = client.get(f"/oparl/v1/meeting/{meeting.pk}").json()
    documented = examples["a published Meeting (shortened)"]
    # The example's confidential item has fewer properties than a public one.
    documented["agendaItem"] = documented["agendaItem"][:1]
    answered["agendaItem"] = [i for i in answered["agendaItem"] if i.get("result")][:1]

    assert _same_shape(documented, answered, "Meeting") == []
    assert (answered["meetingState"], answered["sv:meetingState"]) == (
        documented["meetingState"],
        documented["sv:meetingState"],
    )
    protocol = answered["resultsProtocol"]
    assert protocol["downloadUrl"] == protocol["accessUrl"] + "?ladda-ner=1"
    person = Person.objects.filter(memberships__isnull=False).first()
    answered_person = client.get(f"/oparl/v1/person/{person.pk}").json()
    assert _same_shape(examples["a Person"], answered_person, "Person") == []
