"""Ärendets gång: a matter (by its diarienummer) across meetings and bodies, in the
workspace and, from the public versions alone, on the public site; and
återrapportering, a later paragraph linked as the report back of an uppdrag."""

import datetime

import pytest
from django.urls import reverse

from meetings.actions import followup, publication, services
from meetings.models import Decision, FollowUp, Matter, MatterLink, Paragraph, Uppdrag
from tests.conftest import justera


def _later_meeting(au, secretary, day, *items):
    """An arbetsutskott meeting on `day` with `items` (title, diarienummer,
    confidential, public title, answers), its protocol started."""
    meeting = services.plan_meeting(au, by=secretary, date=day, start_time=datetime.time(13))
    made = []
    for title, dnr, secret, public_title, answers in items:
        p = services.add_item(meeting, section="beslut", title=title)
        p.diarienummer = dnr
        p.is_confidential = secret
        p.public_title = public_title
        p.responds_to = answers
        p.text = f"Underlag om {title.lower()}."
        p.save()
        Decision.objects.create(paragraph=p, kind="beslut", text=f"Beslut om {title.lower()}.")
        made.append(p)
    services.start_protocol(meeting)
    return meeting, made


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
    _later, (answer,) = _later_meeting(
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


def _publish(meeting, annica, secretary):
    justera(meeting, justerare=[annica], by=secretary)
    meeting.refresh_from_db()
    publication.publish(meeting, by=None)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def matter_world(justerat, au, secretary, annica):
    """The matter SF 2021/7 in three published meetings: the AU's proposal, an open
    decision answering it, a confidential follow-up; and a draft § not yet justerat."""
    proposal = Paragraph.objects.get(meeting=justerat, title="Tjänsteköp Samordnare")
    # The example's proposal is justerat without a diarienummer: the answer brings it.
    publication.publish(justerat, by=None)
    decided, (decision,) = _later_meeting(
        au,
        secretary,
        datetime.date(2021, 10, 11),
        ("Tjänsteköp Samordnare, beslut", "SF 2021/7", False, "", proposal),
    )
    _publish(decided, annica, secretary)
    secret, (_hemlig,) = _later_meeting(
        au,
        secretary,
        datetime.date(2021, 11, 8),
        ("Individärende Kalle Svensson", "SF 2021/7", True, "Individärende", None),
    )
    _publish(secret, annica, secretary)
    draft, (_coming,) = _later_meeting(
        au,
        secretary,
        datetime.date(2021, 12, 6),
        ("Utvärdering av tjänsteköpet, utkast", "SF 2021/7", False, "", None),
    )
    return {
        "matter": Matter.objects.get(key="SF2021/7"),
        "decided": decided,
        "decision": decision,
        "secret": secret,
        "draft": draft,
        "proposal": proposal,
    }


def test_the_public_reads_the_matter_s_path_from_the_public_versions(client, matter_world):
    matter = matter_world["matter"]
    url = reverse("public:matter", kwargs={"org": matter.organisation.slug, "pk": matter.pk})

    html = client.get(url).content.decode()

    # Named by its first open paragraph: the proposal, written without a diarienummer,
    # in the matter as its answer's.
    assert "<h1>Tjänsteköp Samordnare</h1>" in html
    assert "Diarienummer: SF 2021/7" in html
    assert "3 publicerade paragrafer" in html
    # In order, each with its decision; the confidential one by its public title.
    assert html.index("2021-10-11") < html.index("2021-11-08")
    assert "Beslut om tjänsteköp samordnare, beslut." in html
    assert "Individärende" in html
    assert "Kalle Svensson" not in html
    assert "Beslut om individärende" not in html
    # The draft is not public.
    assert "Utvärdering av tjänsteköpet" not in html


def test_the_paragraph_page_shows_the_path_and_a_confidential_one_does_not(client, matter_world):
    decided = matter_world["decided"]
    number = matter_world["decision"]
    number.refresh_from_db()
    html = client.get(decided.paragraph_url(number.number)).content.decode()

    assert "Ärendets gång" in html
    assert "Ärendet SF 2021/7, alla dess paragrafer" in html
    # The answer's proposal, justerat without a diarienummer, is in the path by the link.
    assert "Tjänsteköp Samordnare</a>" in html
    assert "Individärende</a>" in html
    assert "Kalle Svensson" not in html

    secret = matter_world["secret"]
    hemlig = secret.paragraphs.get(is_confidential=True)
    page = client.get(secret.paragraph_url(hemlig.number)).content.decode()
    assert "Ärendets gång" not in page
    assert "SF 2021/7" not in page


def test_a_matter_only_confidential_or_unpublished_has_no_public_page(
    client, planned, organisation
):
    p = services.add_item(planned, section="beslut", title="Ett utkast")
    p.diarienummer = "SF 2021/99"
    p.save()
    matter = Matter.objects.get()
    assert client.get(f"/{organisation.slug}/arenden/{matter.pk}/").status_code == 404
    assert client.get(f"/{organisation.slug}/arenden/999999/").status_code == 404


def test_the_matter_page_s_queries_do_not_grow_with_its_paragraphs(
    client, matter_world, django_assert_max_num_queries, au, secretary, annica
):
    matter = matter_world["matter"]
    url = f"/{matter.organisation.slug}/arenden/{matter.pk}/"
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
    more, _items = _later_meeting(
        au,
        secretary,
        datetime.date(2021, 12, 13),
        *[(f"Uppföljning {i}", "SF 2021/7", False, "", None) for i in range(5)],
    )
    _publish(more, annica, secretary)
    from meetings.public import page_cache

    page_cache.clear()
    with django_assert_max_num_queries(6):
        html = client.get(url).content.decode()
    assert "8 publicerade paragrafer" in html


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
    later, (report,) = _later_meeting(
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

    _publish(later, annica, secretary)
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
    later, (report,) = _later_meeting(
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
    _later, (report,) = _later_meeting(
        au, secretary, datetime.date(2022, 2, 14), ("Återrapport", "", False, "", None)
    )
    assert uppdrag in followup.reportable(report)

    followup.report_back(uppdrag, report, by=secretary)

    assert FollowUp.objects.get().status == "aterrapporterad"
    assert uppdrag not in followup.reportable(report)


def test_the_public_lists_the_matters_and_a_paragraph_alone_links_its_matter(
    client, matter_world, au, secretary, annica, django_assert_max_num_queries
):
    alone, (single,) = _later_meeting(
        au, secretary, datetime.date(2021, 12, 13), ("Ny lokal", "SF 2021/40", False, "", None)
    )
    _publish(alone, annica, secretary)
    single.refresh_from_db()
    matter = matter_world["matter"]
    org = matter.organisation.slug

    with django_assert_max_num_queries(6):
        html = client.get(f"/{org}/arenden/").content.decode()

    newest = Matter.objects.get(key="SF2021/40")
    assert html.index(f"/{org}/arenden/{newest.pk}/") < html.index(f"/{org}/arenden/{matter.pk}/")
    latest = '<span class="text-nowrap">senast'
    assert f"Tjänsteköp Samordnare</a> (Dnr SF 2021/7), {latest} 2021-11-08</span>" in html
    assert f"Ny lokal</a> (Dnr SF 2021/40), {latest} 2021-12-13</span>" in html
    assert "Individärende" not in html and "Utvärdering" not in html
    assert f"/{org}/arenden/" in client.get(f"/{org}/").content.decode()

    page = client.get(alone.paragraph_url(single.number)).content.decode()
    assert f'<a href="/{org}/arenden/{newest.pk}/">Ärendet SF 2021/40, alla dess paragrafer' in page
    assert "Ärendets gång" not in page  # one step: no path to show
