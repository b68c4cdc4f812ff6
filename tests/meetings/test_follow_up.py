"""Beslutsuppföljning: the uppdrag of justerat protocols followed to done, in the
workspace, never changing the sealed protocol."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.actions import followup
from meetings.models import Decision, FollowUp, Uppdrag
from tests.conftest import justera

TODAY = datetime.date(2021, 12, 1)


@pytest.fixture
def uppdrag(drafted, annica, fredrik, secretary):
    """Three uppdrag of the arbetsutskott's justerat protocol: one late, one due soon,
    one open, all decided in § 4."""
    from meetings.documents import sealing

    sealing.create_development_certificate()
    decision = Decision.objects.filter(paragraph__meeting=drafted).first()
    made = [
        Uppdrag.objects.create(
            decision=decision,
            description=text,
            assignee=who,
            due_date=due,
        )
        for text, who, due in (
            ("Ta fram en budget för 2022", annica, datetime.date(2021, 11, 15)),
            ("Rapportera om samverkan", fredrik, datetime.date(2021, 12, 10)),
            ("Utvärdera tjänsteköpet", None, datetime.date(2022, 6, 30)),
        )
    ]
    justera(drafted, justerare=[annica], by=secretary)
    return made


def test_where_each_uppdrag_stands_against_its_due_date(uppdrag, secretary):
    rows = followup.rows(followup.followed(secretary), TODAY)

    assert [(r["uppdrag"].description, r["state"], r["status"]) for r in rows] == [
        ("Ta fram en budget för 2022", "late", "ej påbörjat"),
        ("Rapportera om samverkan", "soon", "ej påbörjat"),
        ("Utvärdera tjänsteköpet", "open", "ej påbörjat"),
    ]


def test_a_follow_up_is_recorded_with_its_history_and_the_protocol_unchanged(
    uppdrag, secretary, drafted
):
    late = uppdrag[0]
    sealed = drafted.archive.sha256

    followup.record(late, status="pagar", note="Utkast klart", by=secretary)
    followup.record(late, status="klar", note="Beslutad i styrelsen", by=secretary)

    late.refresh_from_db()
    assert late.follow_up.status == "klar"
    assert late.follow_up.status_date == timezone.localdate()
    assert [h.status for h in late.follow_up.history.order_by("history_date")] == [
        "pagar",
        "klar",
    ]
    assert followup.state(late, TODAY) == "done"
    drafted.refresh_from_db()
    assert drafted.archive.sha256 == sealed
    assert Uppdrag.objects.get(pk=late.pk).description == "Ta fram en budget för 2022"


def test_an_uppdrag_of_a_protocol_not_justerat_is_not_followed_up(drafted, secretary, annica):
    decision = Decision.objects.filter(paragraph__meeting=drafted).first()
    draft = Uppdrag.objects.create(decision=decision, description="Utkast", assignee=annica)

    assert not followup.followed(secretary).filter(pk=draft.pk).exists()
    with pytest.raises(followup.FollowUpError, match="när protokollet är justerat"):
        followup.record(draft, status="pagar", by=secretary)
    assert FollowUp.objects.count() == 0


def test_the_list_filters_paginates_and_exports(uppdrag, secretary_client, annica):
    url = reverse("workspace:follow_ups")

    page = secretary_client.get(url, {"ansvarig": annica.pk}).content.decode()
    assert "Ta fram en budget för 2022" in page
    assert "Rapportera om samverkan" not in page

    exported = secretary_client.get(url, {"format": "csv"})
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["Organ", "Sammanträde", "§", "Uppdrag"]
    assert [row[3] for row in table[1:]] == [
        "Ta fram en budget för 2022",
        "Rapportera om samverkan",
        "Utvärdera tjänsteköpet",
    ]
    assert table[1][4:7] == ["Annica Alatalo", "2021-11-15", "ej påbörjat"]


def test_the_secretary_records_a_status_and_the_start_page_shows_what_is_late(
    uppdrag, secretary_client
):
    late = uppdrag[0]
    start = secretary_client.get(reverse("start")).content.decode()
    assert "Uppdrag som är försenade" in start
    assert "Ta fram en budget för 2022" in start

    response = secretary_client.post(
        reverse("workspace:follow_up_edit", args=[late.pk]),
        {"status": "aterrapporterad", "note": "Återrapporterad i styrelsen", "as_of": ""},
    )

    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.follow_up.status, late.follow_up.note) == (
        "aterrapporterad",
        "Återrapporterad i styrelsen",
    )
    assert (
        "Ta fram en budget för 2022" not in secretary_client.get(reverse("start")).content.decode()
    )


def test_a_date_in_the_future_is_refused_and_the_text_kept(uppdrag, secretary_client):
    response = secretary_client.post(
        reverse("workspace:follow_up_edit", args=[uppdrag[1].pk]),
        {"status": "pagar", "note": "Pågår enligt plan", "as_of": "2099-01-01"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Datumet kan inte ligga i framtiden." in html
    assert "Pågår enligt plan" in html
    assert FollowUp.objects.count() == 0


def test_another_organisations_secretary_finds_nothing(uppdrag, other_secretary_client):
    assert (
        other_secretary_client.get(
            reverse("workspace:follow_up_edit", args=[uppdrag[0].pk])
        ).status_code
        == 404
    )
    page = other_secretary_client.get(reverse("workspace:follow_ups")).content.decode()
    assert "Ta fram en budget" not in page


def test_the_list_reads_the_follow_ups_with_the_uppdrag_not_one_by_one(
    uppdrag, secretary_client, secretary
):
    url = reverse("workspace:follow_ups")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert secretary_client.get(url).status_code == 200
        return len(seen)

    without = queries()
    for u in uppdrag:
        followup.record(u, status="pagar", note="Pågår", by=secretary)
    assert queries() == without <= 12


def test_a_date_before_the_decision_is_refused_and_the_list_keeps_its_filter(
    uppdrag, secretary_client, drafted
):
    url = reverse("workspace:follow_up_edit", args=[uppdrag[1].pk])
    refused = secretary_client.post(
        f"{url}?lage=soon", {"status": "pagar", "note": "Påbörjat", "as_of": "2021-01-01"}
    )
    assert refused.status_code == 400
    assert (
        f"Datumet kan inte ligga före beslutet, {drafted.date:%Y-%m-%d}."
        in refused.content.decode()
    )
    assert FollowUp.objects.count() == 0

    saved = secretary_client.post(
        f"{url}?lage=soon&organ=", {"status": "pagar", "note": "Påbörjat", "as_of": ""}
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("workspace:follow_ups") + "?lage=soon&organ="
