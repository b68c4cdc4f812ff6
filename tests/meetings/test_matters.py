"""Ärendets gång: a matter (by its diarienummer) across meetings and bodies, in the
workspace and, from the public versions alone, on the public site; and
återrapportering, a later paragraph linked as the report back of an uppdrag."""

import datetime

import pytest
from django.urls import reverse

from meetings.actions import followup, publication, services
from meetings.models import Decision, FollowUp, Matter, MatterLink, Uppdrag
from tests.conftest import justera
from tests.meetings.matter_world import build, later_meeting, publish


@pytest.fixture
def proposal(justerat):
    """The arbetsutskott's proposal (§ of the example), with a diarienummer."""
    p = justerat.paragraphs.get(title="Tjänsteköp Samordnare")
    return p


def test_a_diarienummer_files_the_paragraph_under_its_matter_however_written(
    planned, organisation, other_organisation
):
    first = services.add_item(planned, section="beslut", title="Budget 2022")
    second = services.add_item(planned, section="beslut", title="Budget 2022, fortsättning")
    first.diarienummer = "Dnr SF 2021/14"
    first.save()
    second.diarienummer = "sf  2021/14"
    second.save()

    matter = Matter.objects.get()
    assert (matter.organisation, matter.reference, matter.key) == (
        organisation,
        "SF 2021/14",
        "SF2021/14",
    )
    assert set(matter.links.values_list("paragraph__title", flat=True)) == {
        "Budget 2022",
        "Budget 2022, fortsättning",
    }

    second.diarienummer = "SF 2021/15"
    second.save()
    assert MatterLink.objects.get(paragraph=second).matter.reference == "SF 2021/15"
    first.diarienummer = ""
    first.save()
    assert not MatterLink.objects.filter(paragraph=first).exists()
    assert Matter.objects.count() == 2  # a matter stays, with no paragraph now


def test_an_answer_without_its_own_diarienummer_follows_the_paragraph_it_answers(
    planned, au, secretary
):
    proposal = services.add_item(planned, section="beslut", title="Tjänsteköp")
    _later, (answer,) = later_meeting(
        au, secretary, datetime.date(2021, 10, 11), ("Tjänsteköp", "", False, "", proposal)
    )
    assert not MatterLink.objects.exists()

    proposal.diarienummer = "SF 2021/3"
    proposal.save()  # the answer, saved before, follows

    assert MatterLink.objects.get(paragraph=answer).matter.reference == "SF 2021/3"


def _paragraph_form(paragraph, **fields) -> dict:
    """The paragraph's page's form as the browser posts it, with `fields`."""
    paragraph.refresh_from_db()
    return {
        "section": paragraph.section,
        "title": paragraph.title,
        "text": paragraph.text,
        "diarienummer": paragraph.diarienummer,
        "public_title": paragraph.public_title,
        "revision": paragraph.revision,
        "decisions-TOTAL_FORMS": 0,
        "decisions-INITIAL_FORMS": 0,
        "stay": "",
        **fields,
    }


def test_a_matter_only_confidential_or_unpublished_has_no_public_page(
    client, planned, organisation
):
    p = services.add_item(planned, section="beslut", title="Ett utkast")
    p.diarienummer = "SF 2021/99"
    p.save()
    matter = Matter.objects.get()
    assert client.get(f"/{organisation.slug}/arenden/{matter.pk}/").status_code == 404
    assert client.get(f"/{organisation.slug}/arenden/999999/").status_code == 404


@pytest.fixture
def matter_world(justerat, au, secretary, annica):
    """The matter SF 2021/7 (tests/meetings/matter_world.py), for a test of its own."""
    return build(justerat, au, secretary, annica)


@pytest.fixture
def uppdrag(drafted, fredrik, annica, secretary):
    """An uppdrag of the arbetsutskott protocol, justerat."""
    decision = Decision.objects.filter(paragraph__meeting=drafted).first()
    with_uppdrag = Uppdrag.objects.create(
        decision=decision,
        description="Ta fram en utvärdering av tjänsteköpet",
        assignee=fredrik,
        due_date=datetime.date(2022, 3, 1),
    )
    justera(drafted, justerare=[annica], by=secretary)
    return with_uppdrag


@pytest.fixture
def justerat(uppdrag, drafted):
    drafted.refresh_from_db()
    return drafted


def test_a_later_paragraph_reports_back_an_uppdrag_and_both_show_it(
    client, secretary_client, uppdrag, justerat, au, secretary, annica
):
    publication.publish(justerat, by=None)
    later, (report,) = later_meeting(
        au, secretary, datetime.date(2022, 2, 14), ("Återrapport tjänsteköp", "", False, "", None)
    )
    page = reverse("workspace:paragraph", kwargs={"pk": later.pk, "item": report.pk})
    form = secretary_client.get(page).content.decode()
    assert "Ta fram en utvärdering av tjänsteköpet" in form

    # Posted with the paragraph's own form: what was typed in it is saved too.
    linked = secretary_client.post(
        page, _paragraph_form(report, text="Förbundschefen redovisar.", report_uppdrag=uppdrag.pk)
    )

    assert linked.status_code == 302
    assert linked["Location"] == f"{page}#aterrapportering"
    report.refresh_from_db()
    assert report.text == "Förbundschefen redovisar."
    follow_up = FollowUp.objects.get(uppdrag=uppdrag)
    assert (follow_up.status, follow_up.report, follow_up.status_date) == (
        "aterrapporterad",
        report,
        datetime.date(2022, 2, 14),
    )
    shown = secretary_client.get(page).content.decode()
    proposal = uppdrag.decision.paragraph
    assert (
        f"Återrapportering av uppdrag från §\u00a0{proposal.number}/2021 (Arbetsutskottet)" in shown
    )
    report.refresh_from_db()
    listed = secretary_client.get(reverse("workspace:follow_ups")).content.decode()
    assert f"i §\u00a0{report.number}, Arbetsutskottet 2022-02-14" in listed
    # Not yet public: the report's protocol is a draft.
    assert (
        "Återrapporterat"
        not in client.get(justerat.paragraph_url(proposal.number)).content.decode()
    )

    publish(later, annica, secretary)
    report.refresh_from_db()
    from meetings.public import page_cache

    page_cache.clear()
    origin = client.get(justerat.paragraph_url(proposal.number)).content.decode()
    assert f"Uppdraget återrapporterades i §\u00a0{report.number}/2022" in origin
    assert later.paragraph_url(report.number) in origin
    reporting = client.get(later.paragraph_url(report.number)).content.decode()
    assert f"Återrapportering av uppdrag från §\u00a0{proposal.number}/2021" in reporting
    assert justerat.paragraph_url(proposal.number) in reporting


def test_a_report_back_is_refused_for_a_justerat_protocol_and_an_uppdrag_of_another(
    secretary, secretary_client, uppdrag, justerat, au, annica
):
    later, (report,) = later_meeting(
        au, secretary, datetime.date(2022, 2, 14), ("Återrapport", "", False, "", None)
    )
    url = reverse("workspace:paragraph", kwargs={"pk": later.pk, "item": report.pk})
    refused = secretary_client.post(
        url, _paragraph_form(report, text="Skrivet.", report_uppdrag="999999"), follow=True
    )
    assert "Välj det uppdrag som paragrafen återrapporterar." in refused.content.decode()
    assert not FollowUp.objects.exists()
    report.refresh_from_db()
    assert report.text == "Skrivet."  # the paragraph is saved all the same

    followup.report_back(uppdrag, report, by=secretary)
    withdrawn = secretary_client.post(
        url, _paragraph_form(report, text="Skrivet.", withdraw_report=FollowUp.objects.get().pk)
    )
    assert withdrawn.status_code == 302
    assert (FollowUp.objects.get().report, FollowUp.objects.get().status) == (None, "pagar")

    followup.report_back(uppdrag, report, by=secretary)
    with pytest.raises(followup.FollowUpError):
        followup.record(uppdrag, status="pagar", by=secretary)
    justera(later, justerare=[annica], by=secretary)
    later.refresh_from_db()
    with pytest.raises(followup.FollowUpError, match="justerat"):
        followup.withdraw_report(FollowUp.objects.get(), by=secretary)


def test_a_diarienummer_typed_with_its_label_is_kept_without_it(planned):
    p = services.add_item(planned, section="beslut", title="Budget")
    p.diarienummer = "Dnr  SF 2026/21"
    p.save()
    p.refresh_from_db()
    assert p.diarienummer == "SF 2026/21"  # the protocol prints "Dnr" before it


def test_an_uppdrag_marked_done_can_still_be_reported_back(
    secretary, uppdrag, au, justerat, annica
):
    followup.record(uppdrag, status="klar", note="Klart.", by=secretary)
    _later, (report,) = later_meeting(
        au, secretary, datetime.date(2022, 2, 14), ("Återrapport", "", False, "", None)
    )
    assert uppdrag in followup.reportable(report)

    followup.report_back(uppdrag, report, by=secretary)

    assert FollowUp.objects.get().status == "aterrapporterad"
    assert uppdrag not in followup.reportable(report)


def test_a_matter_not_public_is_no_paper(client, planned, organisation):
    from meetings.actions import services
    from meetings.models import Matter

    p = services.add_item(planned, section="beslut", title="Ett utkast")
    p.diarienummer = "SF 2021/99"
    p.save()
    matter = Matter.objects.get()

    assert client.get(f"/oparl/v1/body/{organisation.pk}/paper").json()["data"] == []
    assert client.get(f"/oparl/v1/paper/{matter.pk}").status_code == 404
    assert client.get(f"/oparl/v1/consultation/{matter.links.get().pk}").status_code == 404
