"""Ärenden in the open-data API: each public matter a Paper, each of its published
paragraphs a Consultation linking the agenda item, its meeting and body; all read
from the public versions and valid against OParl's schemas."""

import datetime
import json

from django.utils import timezone

from meetings.public import page_cache
from tests import example
from tests.conftest import shared_rows
from tests.meetings.matter_world import build, later_meeting, publish, published_later
from tests.oparl.test_api import SITE, _kinds, _path, validate, walk


def _build() -> dict:
    w = example.justerat_world()
    return build(w.justerat, w.au, w.secretary, w.annica)


# The matter SF 2021/7 (tests/meetings/matter_world.py), built once for the module.
_world_built, matter_world = shared_rows("matter_world", _build)


def test_the_body_lists_each_public_matter_as_a_paper_with_its_consultations(
    client,
    matter_world,
):
    matter = matter_world["matter"]
    org = matter.organisation_id

    listed = client.get(f"/oparl/v1/body/{org}/paper").json()

    assert listed["pagination"]["totalElements"] == 1
    (paper,) = listed["data"]
    validate(paper)
    assert paper["id"] == f"{SITE}/oparl/v1/paper/{matter.pk}"
    assert (paper["name"], paper["reference"], paper["paperType"], paper["date"]) == (
        "Tjänsteköp Samordnare",
        "SF 2021/7",
        "Ärende",
        "2021-09-27",
    )
    assert paper["body"] == f"{SITE}/oparl/v1/body/{org}"
    assert paper["web"] == f"{SITE}/{matter.organisation.slug}/arenden/{matter.pk}/"
    steps = paper["consultation"]
    assert [c.get("role") for c in steps] == ["Förslag till beslut", "Beslut", None]
    assert [c.get("authoritative") for c in steps] == [False, True, None]
    # Each links its agenda item, which links back to it; the confidential one too.
    for step in steps:
        item = client.get(_path(step["agendaItem"])).json()
        assert item["consultation"] == step["id"]
        assert client.get(_path(step["id"])).json()["paper"] == paper["id"]
    secret = client.get(_path(steps[2]["agendaItem"])).json()
    assert (secret["name"], secret["public"]) == ("Individärende", False)
    text = json.dumps(listed, ensure_ascii=False)
    assert "Kalle Svensson" not in text and "Utvärdering av tjänsteköpet" not in text

    consultations = client.get(f"/oparl/v1/body/{org}/consultation").json()
    assert [c["id"] for c in consultations["data"]] == sorted(
        (c["id"] for c in steps), key=lambda url: int(url.rsplit("/", 1)[1])
    )
    for c in consultations["data"]:
        validate(c)


def test_the_walk_from_the_system_reaches_papers_and_consultations_all_valid(
    client,
    matter_world,
):
    seen = walk(client)

    kinds = _kinds(seen)
    assert kinds["Paper"] >= 2  # in the list and by its own address
    assert kinds["Consultation"] >= 3


def test_a_syncing_client_sees_the_paper_change_when_a_step_is_published(client, matter_world):
    au, secretary, annica = (matter_world[k] for k in ("au", "secretary", "annica"))
    matter = matter_world["matter"]
    org = matter.organisation_id
    since = timezone.localtime() + datetime.timedelta(seconds=1)
    asked = {"modified_since": since.isoformat(timespec="seconds")}
    assert client.get(f"/oparl/v1/body/{org}/paper", asked).json()["data"] == []

    later, _items = later_meeting(
        au, secretary, datetime.date(2021, 12, 13), ("Slutrapport", "SF 2021/7", False, "", None)
    )
    import time

    time.sleep(1.1)  # the next second: the filters compare to the second
    publish(later, annica, secretary)
    page_cache.clear()

    (paper,) = client.get(f"/oparl/v1/body/{org}/paper", asked).json()["data"]
    assert len(paper["consultation"]) == 4
    assert paper["modified"] >= asked["modified_since"]
    changed = client.get(f"/oparl/v1/body/{org}/consultation", asked).json()["data"]
    assert [c["meeting"] for c in changed] == [f"{SITE}/oparl/v1/meeting/{later.pk}"]


def test_a_page_of_papers_reads_in_as_many_queries_however_many(
    client, matter_world, django_assert_max_num_queries
):
    org = matter_world["matter"].organisation_id
    url = f"/oparl/v1/body/{org}/paper"
    with django_assert_max_num_queries(8):
        client.get(url)
    published_later(
        matter_world,
        datetime.date(2021, 12, 13),
        *[(f"Ärende {i}", f"SF 2021/{20 + i}", False, "", None) for i in range(4)],
    )
    page_cache.clear()
    with django_assert_max_num_queries(8):
        assert client.get(url).json()["pagination"]["totalElements"] == 5
