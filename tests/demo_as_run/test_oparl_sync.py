"""A client that keeps a copy of the API by `modified_since` (issue 30): it reads
everything once, then, after each round of changes to the demo, only what changed
since its last read; its copy then equals a fresh full read, object by object,
deletions included."""

import datetime

from django.utils import timezone

from meetings.actions import justering, kallelse, publication, rattelse, services
from meetings.models import Handling, Meeting
from members.models import Body, Membership, Person
from tests.oparl.test_api import SYSTEM, _path

# The lists of a Body a client reads to keep its copy (each page by page).
LISTS = ("organization", "person", "meeting", "membership", "agendaItem", "file", "locationList")


def _pages(client, url: str, params: dict) -> list[dict]:
    found = []
    page = client.get(_path(url), params).json()
    while True:
        found += page["data"]
        following = page["links"].get("next")
        if not following:
            return found
        page = client.get(_path(following)).json()


def read(client, since: datetime.datetime | None = None) -> list[dict]:
    """Every object of every list, or only those changed (or deleted) since."""
    params = {"modified_since": since.isoformat()} if since else {}
    bodies = _pages(client, client.get(_path(SYSTEM)).json()["body"], params)
    found = list(bodies)
    for body in client.get(_path(client.get(_path(SYSTEM)).json()["body"])).json()["data"]:
        for name in LISTS:
            found += _pages(client, body[name], params)
    return found


def full_copy(client) -> dict[str, dict]:
    copy = {}
    for obj in read(client):
        assert not obj.get("deleted"), obj["id"]  # a full read lists what exists
        copy[obj["id"]] = obj
    return copy


def synchronise(client, copy: dict[str, dict], since: datetime.datetime) -> int:
    """As a client does: each object read replaces its copy, a deleted one goes."""
    changed = read(client, since)
    for obj in changed:
        if obj.get("deleted"):
            copy.pop(obj["id"], None)
        else:
            copy[obj["id"]] = obj
    return len(changed)


def _differences(copy: dict, fresh: dict) -> dict:
    return {
        "missing": sorted(set(fresh) - set(copy)),
        "stale": sorted(set(copy) - set(fresh)),
        "outdated": sorted(i for i in set(copy) & set(fresh) if copy[i] != fresh[i]),
    }


def test_a_client_synchronising_by_modified_since_keeps_an_exact_copy(client, seeded):
    secretary = Person.objects.get(user__username="sekreterare").user
    # Everyone in the demo is named by a justerat protocol (and keeps the name): one
    # who only holds a seat, to be renamed.
    au = Body.objects.get(slug="arbetsutskott")
    newcomer = Person.objects.create(organisation=au.organisation, name="Nora Nykvist")
    Membership.objects.create(person=newcomer, body=au, role="ersattare", start=au.created.date())
    copy = full_copy(client)
    assert len(copy) > 100
    called = list(Meeting.objects.filter(status=Meeting.Status.KALLAT).order_by("date"))

    # Round 1: a person renamed, a seat deleted, an item taken off a called meeting's
    # agenda (the kallelse not yet sent again), a public handling removed.
    since = timezone.now()
    renamed = Person.objects.get(pk=newcomer.pk)
    renamed.name = "Nora Nykvist Berg"
    renamed.save()
    Membership.objects.exclude(person=renamed).order_by("pk").first().delete()
    first = called[0]
    services.remove_item(first.paragraphs.get(title="Förbundschefens rapport"))
    handling = Handling.objects.public().filter(meeting__in=called).first()
    assert handling is not None
    services.remove_handling(handling)

    # Incremental: what changed, not everything again.
    assert 0 < synchronise(client, copy, since) < len(copy) / 4
    assert _differences(copy, full_copy(client)) == {"missing": [], "stale": [], "outdated": []}

    # Round 2: the kallelse sent again, a meeting cancelled, the protocol under
    # justering approved and published, a rättelse approved, and the renamed person's
    # only seat deleted (so that they leave the open data).
    since = timezone.now()
    Membership.objects.filter(person=renamed).delete()
    kallelse.send(first, by=secretary)
    services.cancel_meeting(called[-1], by=secretary, reason="Inget att besluta.")
    out = Meeting.objects.get(status=Meeting.Status.UNDER_JUSTERING)
    version = justering.content_hash(out)
    for person in justering.approvers(out):
        if not justering.answered_version(out, person):
            justering.approve(out, person, version=version, user=person.user or secretary)
    out.refresh_from_db()
    publication.publish(out, by=secretary)
    earlier = Meeting.objects.filter(publication.is_published()).exclude(pk=out.pk).first()
    correction = rattelse.propose(
        earlier, text="Rätt belopp: 40 000 kr.", paragraph=None, by=secretary
    )
    for person in justering.approvers(earlier):
        rattelse.approve(correction, person, user=person.user or secretary)

    assert 0 < synchronise(client, copy, since) < len(copy) / 2
    assert _differences(copy, full_copy(client)) == {"missing": [], "stale": [], "outdated": []}
    assert client.get(f"/oparl/v1/person/{renamed.pk}").json()["deleted"] is True

    # Round 3: a seat again, and the person is back, in the copy as in a full read.
    since = timezone.now()
    Membership.objects.create(person=renamed, body=au, role="ersattare", start=au.created.date())

    assert 0 < synchronise(client, copy, since) < len(copy) / 4
    assert _differences(copy, full_copy(client)) == {"missing": [], "stale": [], "outdated": []}
    assert client.get(f"/oparl/v1/person/{renamed.pk}").json()["name"] == "Nora Nykvist Berg"
