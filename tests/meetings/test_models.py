import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import RestrictedError
from django.utils import translation

from meetings.models import (
    Attendance,
    Bilaga,
    Decision,
    Jav,
    Justerare,
    Meeting,
    Paragraph,
    Reservation,
)
from tests import factories
from tests.factories import agenda


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def items(meeting):
    from meetings.rules import numbering

    paragraphs = agenda(meeting, "Mötets öppnande", "Dagordning", "Val av justerare", "Äskande")
    numbering.number_paragraphs(meeting)
    for p in paragraphs:
        p.refresh_from_db()
    return paragraphs


def test_every_model_has_created_and_modified_times():
    for model in apps.get_app_config("meetings").get_models():
        names = {f.name for f in model._meta.get_fields()}
        assert {"created", "modified"} <= names, model
    for model in apps.get_app_config("members").get_models():
        names = {f.name for f in model._meta.get_fields()}
        assert {"created", "modified"} <= names, model


def test_a_meeting_cannot_end_before_it_starts(au):
    refused_by_database(
        lambda: factories.meeting(
            au, datetime.date(2026, 1, 1), start=datetime.time(9), end_time=datetime.time(8)
        )
    )


def test_a_paragraph_takes_body_and_year_from_its_meeting(meeting, au):
    p = Paragraph.objects.create(meeting=meeting, position=1, section="inledning", title="X")

    assert (p.body, p.year) == (au, 2021)


def test_the_same_number_is_fine_in_another_year_or_body(au, styrelse):
    Paragraph.objects.create(
        meeting=factories.meeting(au, datetime.date(2025, 3, 1)),
        position=1,
        number=1,
        section="beslut",
        title="A",
    )
    Paragraph.objects.create(
        meeting=factories.meeting(au, datetime.date(2026, 3, 1)),
        position=1,
        number=1,
        section="beslut",
        title="B",
    )
    Paragraph.objects.create(
        meeting=factories.meeting(styrelse, datetime.date(2026, 3, 1)),
        position=1,
        number=1,
        section="beslut",
        title="C",
    )

    assert Paragraph.objects.filter(number=1).count() == 3


def test_a_number_is_positive(meeting):
    refused_by_database(
        lambda: Paragraph.objects.create(
            meeting=meeting, position=1, number=0, section="beslut", title="X"
        )
    )


def test_a_position_is_used_once_per_meeting(meeting):
    Paragraph.objects.create(meeting=meeting, position=1, section="beslut", title="X")

    refused_by_database(
        lambda: Paragraph.objects.create(meeting=meeting, position=1, section="beslut", title="Y")
    )


def test_a_confidential_paragraph_needs_a_public_title(meeting):
    refused_by_database(
        lambda: Paragraph.objects.create(
            meeting=meeting,
            position=1,
            section="beslut",
            title="Personalärende Anna A.",
            is_confidential=True,
        )
    )
    p = Paragraph(
        meeting=meeting, position=1, section="beslut", title="Personalärende", is_confidential=True
    )
    with pytest.raises(ValidationError) as error:
        p.full_clean()
    assert "public_title" in error.value.message_dict


def test_a_paragraph_links_to_a_paragraph_of_another_meeting(meeting, items, styrelse):
    later = factories.meeting(styrelse, datetime.date(2021, 10, 20))
    p = Paragraph(
        meeting=later, position=1, section="beslut", title="Tjänsteköp", responds_to=items[3]
    )
    p.full_clean()
    p.save()

    assert list(items[3].responses.all()) == [p]
    same_meeting = Paragraph(
        meeting=meeting, position=9, section="beslut", title="X", responds_to=items[3]
    )
    with pytest.raises(ValidationError):
        same_meeting.full_clean()


def test_a_serving_deputy_names_the_member_served_for(meeting, fredrik, annica, bengt):
    refused_by_database(
        lambda: Attendance.objects.create(
            meeting=meeting, person=bengt, capacity="tjanstgorande_ersattare"
        )
    )
    refused_by_database(
        lambda: Attendance.objects.create(
            meeting=meeting, person=bengt, capacity="beslutande", substitutes_for=annica
        )
    )
    refused_by_database(
        lambda: Attendance.objects.create(
            meeting=meeting,
            person=bengt,
            capacity="tjanstgorande_ersattare",
            substitutes_for=bengt,
        )
    )
    serving = Attendance.objects.create(
        meeting=meeting, person=bengt, capacity="tjanstgorande_ersattare", substitutes_for=annica
    )
    assert serving.substitutes_for == annica


def test_a_person_attends_a_meeting_once(meeting, fredrik):
    Attendance.objects.create(meeting=meeting, person=fredrik, capacity="beslutande")

    refused_by_database(
        lambda: Attendance.objects.create(meeting=meeting, person=fredrik, capacity="ersattare")
    )


def test_an_absent_person_has_no_range(meeting, items, bengt):
    refused_by_database(
        lambda: Attendance.objects.create(
            meeting=meeting, person=bengt, capacity="franvarande", present_from=items[3]
        )
    )


def test_partial_presence_is_written_as_the_protocol_writes_it(
    meeting, items, fredrik, annica, bengt, asa
):
    late = Attendance.objects.create(
        meeting=meeting, person=bengt, capacity="beslutande", present_from=items[3]
    )
    left = Attendance.objects.create(
        meeting=meeting, person=annica, capacity="beslutande", present_until=items[2]
    )
    between = Attendance.objects.create(
        meeting=meeting, person=asa, capacity="ovrig", present_from=items[1], present_until=items[2]
    )
    whole = Attendance.objects.create(meeting=meeting, person=fredrik, capacity="beslutande")

    with translation.override("sv"):
        assert late.presence_note() == "(från § 4)"
        assert left.presence_note() == "(till och med § 3)"
    with translation.override("en"):
        assert late.presence_note() == "(from § 4)"
    assert between.presence_note() == "(§ 2–3)"
    assert whole.presence_note() == ""
    assert [a.is_partial for a in (late, left, between, whole)] == [True, True, True, False]


def test_a_presence_range_stays_within_its_meeting_and_runs_forward(meeting, items, au, bengt):
    other = factories.meeting(au, datetime.date(2021, 11, 1))
    foreign = Paragraph.objects.create(meeting=other, position=1, section="beslut", title="X")
    backwards = Attendance(
        meeting=meeting,
        person=bengt,
        capacity="beslutande",
        present_from=items[3],
        present_until=items[1],
    )
    elsewhere = Attendance(
        meeting=meeting, person=bengt, capacity="beslutande", present_from=foreign
    )

    with pytest.raises(ValidationError) as backwards_error:
        backwards.full_clean()
    with pytest.raises(ValidationError) as elsewhere_error:
        elsewhere.full_clean()

    assert list(backwards_error.value.message_dict) == ["present_until"]
    assert list(elsewhere_error.value.message_dict) == ["present_from"]


def test_a_paragraph_someones_presence_refers_to_cannot_be_deleted(meeting, items, bengt):
    Attendance.objects.create(
        meeting=meeting, person=bengt, capacity="beslutande", present_from=items[3]
    )

    with pytest.raises(RestrictedError):
        items[3].delete()


def test_deleting_a_planned_meeting_takes_its_whole_protocol(meeting, items, bengt):
    Attendance.objects.create(
        meeting=meeting, person=bengt, capacity="beslutande", present_from=items[3]
    )
    Decision.objects.create(paragraph=items[1], kind="beslut", text="Dagordningen fastställs.")
    Bilaga.objects.create(meeting=meeting, paragraph=items[1], number=1, title="Dagordning")

    meeting.delete()

    assert (Paragraph.objects.count(), Attendance.objects.count(), Bilaga.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_proposal_names_the_body_and_only_a_proposal_does(items, styrelse):
    refused_by_database(
        lambda: Decision.objects.create(paragraph=items[3], kind="forslag", text="Föreslår …")
    )
    refused_by_database(
        lambda: Decision.objects.create(
            paragraph=items[3], kind="beslut", text="Beslutar …", proposed_to=styrelse
        )
    )
    proposal = Decision.objects.create(
        paragraph=items[3], kind="forslag", text="Föreslår …", proposed_to=styrelse
    )
    assert list(styrelse.proposals_received.all()) == [proposal]


def test_a_vote_has_both_for_and_against(items):
    refused_by_database(
        lambda: Decision.objects.create(
            paragraph=items[3], kind="beslut", text="Beslutar …", votes_for=4
        )
    )
    d = Decision.objects.create(
        paragraph=items[3], kind="beslut", text="Beslutar …", votes_for=4, votes_against=1
    )
    assert d.has_vote


def test_reservation_and_jav_name_a_person_once_per_decision(items, fredrik):
    d = Decision.objects.create(paragraph=items[3], kind="beslut", text="Beslutar …")
    Reservation.objects.create(decision=d, person=fredrik, motivation="Eget yrkande.")
    Jav.objects.create(decision=d, person=fredrik)

    refused_by_database(lambda: Reservation.objects.create(decision=d, person=fredrik))
    refused_by_database(lambda: Jav.objects.create(decision=d, person=fredrik))


def test_bilagor_are_numbered_once_per_protocol_from_one(meeting, items):
    Bilaga.objects.create(meeting=meeting, paragraph=items[1], number=1, title="Dagordning")

    refused_by_database(
        lambda: Bilaga.objects.create(meeting=meeting, paragraph=items[3], number=1, title="X")
    )
    refused_by_database(
        lambda: Bilaga.objects.create(meeting=meeting, paragraph=items[3], number=0, title="X")
    )


def test_a_bilaga_belongs_to_a_paragraph_of_its_own_meeting(meeting, items, au):
    other = factories.meeting(au, datetime.date(2021, 11, 1))
    b = Bilaga(meeting=other, paragraph=items[1], number=1, title="Dagordning")

    with pytest.raises(ValidationError) as error:
        b.full_clean()

    assert "paragraph" in error.value.message_dict


def test_a_person_is_justerare_of_a_meeting_once(meeting, annica):
    Justerare.objects.create(meeting=meeting, person=annica)

    refused_by_database(lambda: Justerare.objects.create(meeting=meeting, person=annica))


def test_chair_and_secretary_come_from_the_meetings_organisation(meeting, other_organisation):
    meeting.chair = factories.person(other_organisation, "Sven Svensson")

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert list(error.value.message_dict) == ["chair"]


def test_meeting_status_follows_the_protocols_life():
    assert [s.value for s in Meeting.Status] == [
        "planerat",
        "kallat",
        "genomfort",
        "under_justering",
        "justerat",
        "publicerat",
        "installt",
    ]
    assert isinstance(Meeting._meta.get_field("status"), models.CharField)
