"""A decision agrees with the attendance at its § (issue 29, 1): no more votes than
those voting there, a reservation or a jäv only by one of them; the editor offers
only them, and every path (the editor, the importer, the services) refuses the rest
with the field named and nothing written."""

import json

import pytest
from django.urls import reverse

from meetings.actions import protocol_import, services
from meetings.documents.protocol_json import ProtocolFormatError, export_protocol
from meetings.models import Attendance, Decision
from members.models import Person
from tests.meetings.test_workspace_protocol import paragraph_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafting(planned):
    """Two items; Bengt leaves after the first, Lisa (a deputy) serves for him from the
    second: three vote at each §, but not the same three."""
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.add_item(planned, section="beslut", title="Policy lönetillägg")
    services.start_protocol(planned)
    first, second = planned.paragraphs.filter(
        title__in=["Tjänsteköp Samordnare", "Policy lönetillägg"]
    ).order_by("position")
    bengt = planned.attendances.get(person__name="Bengt-Åke Strand")
    planned.attendances.filter(pk=bengt.pk).update(present_until=first)
    planned.attendances.filter(person__name="Lisa Persson").update(
        capacity=Attendance.Capacity.TJANSTGORANDE_ERSATTARE,
        substitutes_for=bengt.person,
        present_from=second,
    )
    return planned


def _items(meeting):
    return list(
        meeting.paragraphs.filter(
            title__in=["Tjänsteköp Samordnare", "Policy lönetillägg"]
        ).order_by("position")
    )


def _person(name):
    return Person.objects.get(name=name)


def _decision(**kwargs):
    return services.DecisionData(kind="beslut", text="Beslutas att bevilja.", **kwargs)


def test_the_rule_counts_those_voting_at_the_paragraph(drafting):
    first, second = _items(drafting)

    with pytest.raises(services.DecisionRefused) as refused:
        services.write_decisions(first, [_decision(votes_for=3, votes_against=1)])

    assert refused.value.order == 0
    assert refused.value.errors == {
        "votes_for": "4 röster är angivna, men bara 3 kunde rösta vid denna paragraf (den som är jävig deltar inte)."
    }
    assert not Decision.objects.filter(paragraph=first).exists()
    assert services.write_decisions(second, [_decision(votes_for=2, votes_against=1)])


def test_a_deputy_not_yet_serving_and_a_member_who_left_cannot_reserve(drafting):
    first, second = _items(drafting)
    lisa, bengt = _person("Lisa Persson"), _person("Bengt-Åke Strand")

    with pytest.raises(services.DecisionRefused) as early:
        services.write_decisions(first, [_decision(reservations=((lisa, "Emot."),))])
    with pytest.raises(services.DecisionRefused) as late:
        services.write_decisions(second, [_decision(), _decision(reservations=((bengt, "Emot."),))])

    assert early.value.errors == {
        "reservations": "Reservationer: Lisa Persson deltog inte i beslutet vid denna "
        "paragraf; bara den som deltog kan reservera sig."
    }
    assert (late.value.order, list(late.value.errors)) == (1, ["reservations"])
    assert "Bengt-Åke Strand" in late.value.errors["reservations"]
    assert not Decision.objects.exists()
    # Each where they do vote: both saved.
    services.write_decisions(first, [_decision(reservations=((bengt, "Emot."),))])
    services.write_decisions(second, [_decision(reservations=((lisa, "Emot."),))])
    assert Decision.objects.count() == 2


def test_jav_only_by_one_voting_there_and_no_reservation_by_one_with_jav(drafting):
    first, _second = _items(drafting)
    lisa, annica = _person("Lisa Persson"), _person("Annica Alatalo")

    with pytest.raises(services.DecisionRefused) as outside:
        services.write_decisions(first, [_decision(jav=(lisa,))])
    with pytest.raises(services.DecisionRefused) as both:
        services.write_decisions(first, [_decision(jav=(annica,), reservations=((annica, ""),))])

    assert outside.value.errors == {
        "jav": "Jäv: Lisa Persson är inte beslutande vid denna paragraf."
    }
    assert both.value.errors == {
        "reservations": "Reservationer: Annica Alatalo var jävig och deltog inte i beslutet, "
        "och kan därför inte reservera sig."
    }


def test_nothing_is_held_against_a_meeting_without_beslutande_yet(planned):
    item = services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    assert not planned.attendances.exists()

    assert services.write_decisions(
        item,
        [_decision(votes_for=9, votes_against=9, reservations=((_person("Lisa Persson"), ""),))],
    )


def test_the_editor_offers_only_those_voting_at_the_paragraph(secretary_client, drafting):
    first, second = _items(drafting)

    def offered(item):
        html = secretary_client.get(
            reverse("workspace:paragraph", args=[drafting.pk, item.pk])
        ).content.decode()
        return {
            name
            for name in ("Fredrik Hansson", "Annica Alatalo", "Bengt-Åke Strand", "Lisa Persson")
            if f'name="decisions-0-reserves_{_person(name).pk}"' in html
        }

    assert offered(first) == {"Fredrik Hansson", "Annica Alatalo", "Bengt-Åke Strand"}
    assert offered(second) == {"Fredrik Hansson", "Annica Alatalo", "Lisa Persson"}


def test_the_editor_refuses_too_many_votes_at_the_field_and_keeps_what_was_typed(
    secretary_client, drafting
):
    first, _second = _items(drafting)
    annica = _person("Annica Alatalo")
    data = paragraph_post(
        first,
        text="Texten som skrevs.",
        decisions=[
            {"kind": "beslut", "text": "Beslutas att bevilja.", "votes_for": 6, "votes_against": 2},
            {"kind": "beslut", "text": "Och att följa upp.", f"reserves_{annica.pk}": "on"},
        ],
    )

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, first.pk]), data
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        html.count(
            "8 röster är angivna, men bara 3 kunde rösta vid denna paragraf (den som är jävig deltar inte)."
        )
        == 1
    )
    assert "Texten som skrevs." in html and "Och att följa upp." in html
    assert 'name="decisions-0-votes_for" value="6"' in html
    first.refresh_from_db()
    assert (first.text, first.revision) == ("", 0)
    assert not first.decisions.exists()


def test_a_stored_reservation_the_attendance_no_longer_allows_is_shown_not_dropped(
    secretary_client, drafting
):
    first, _second = _items(drafting)
    lisa = _person("Lisa Persson")
    decision = Decision.objects.create(paragraph=first, kind="beslut", text="Beslutas.")
    decision.reservations.create(person=lisa, motivation="Emot.")

    html = secretary_client.get(
        reverse("workspace:paragraph", args=[drafting.pk, first.pk])
    ).content.decode()

    assert f'name="decisions-0-reserves_{lisa.pk}"' in html


def test_the_importer_refuses_a_reservation_by_one_not_voting_at_the_paragraph(drafting):
    first, _second = _items(drafting)
    services.write_decisions(
        first, [_decision(reservations=((_person("Bengt-Åke Strand"), "Emot."),))]
    )
    data = json.loads(json.dumps(export_protocol(drafting), default=str))
    drafting.delete()
    index = next(
        i for i, p in enumerate(data["paragraphs"]) if p["title"] == "Tjänsteköp Samordnare"
    )
    data["paragraphs"][index]["decisions"][0]["reservations"][0]["person"] = "Lisa Persson"

    with pytest.raises(ProtocolFormatError) as refused:
        protocol_import.import_protocol(data)

    assert refused.value.path == f"paragraphs[{index}].decisions[0].reservations"
    assert "Lisa Persson deltog inte i beslutet" in refused.value.message


def test_one_with_jav_takes_no_part_in_the_vote(drafting):
    first, _second = _items(drafting)
    annica = _person("Annica Alatalo")

    with pytest.raises(services.DecisionRefused) as refused:
        services.write_decisions(first, [_decision(votes_for=2, votes_against=1, jav=(annica,))])

    assert refused.value.errors == {
        "votes_for": "3 röster är angivna, men bara 2 kunde rösta vid denna paragraf "
        "(den som är jävig deltar inte)."
    }
    assert services.write_decisions(first, [_decision(votes_for=1, votes_against=1, jav=(annica,))])


def test_attendance_that_saved_decisions_contradict_is_refused_with_the_paragraph(
    secretary_client, drafting
):
    first, _second = _items(drafting)
    fredrik = _person("Fredrik Hansson")
    services.write_decisions(first, [_decision(reservations=((fredrik, "Emot."),))])
    from tests.meetings.test_workspace_protocol import attendance_post

    earlier = drafting.paragraphs.filter(position__lt=first.position).order_by("-position")[0]
    response = secretary_client.post(
        reverse("workspace:attendance", args=[drafting.pk]),
        attendance_post(drafting, **{"Fredrik Hansson": {"present_until": earlier.pk}}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        f"Vid {first.sign}: Reservationer: Fredrik Hansson deltog inte i beslutet vid denna "
        "paragraf; bara den som deltog kan reservera sig."
    ) in html.replace("&nbsp;", "\xa0")
    assert drafting.attendances.get(person=fredrik).present_until is None


def test_a_tick_for_one_no_longer_voting_is_refused_not_dropped(secretary_client, drafting):
    """The attendance changed after the page was opened: the reservation posted for
    someone no longer voting at the § is refused with the reason, and a jäv too."""
    first, _second = _items(drafting)
    lisa = _person("Lisa Persson")  # serves from the second item only
    data = paragraph_post(
        first,
        decisions=[
            {
                "kind": "beslut",
                "text": "Beslutas att bevilja.",
                f"reserves_{lisa.pk}": "on",
                f"motivation_{lisa.pk}": "Emot.",
            }
        ],
    )

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, first.pk]), data
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{first.sign} är inte sparad: se beslut 1 nedan.".replace("\xa0", "&nbsp;") in html or (
        "är inte sparad: se beslut 1 nedan." in html
    )
    assert "Reservationer: Lisa Persson deltog inte i beslutet" in html
    assert not first.decisions.exists()

    data = paragraph_post(
        first, decisions=[{"kind": "beslut", "text": "Beslutas.", "jav": [lisa.pk]}]
    )
    html = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, first.pk]), data
    ).content.decode()
    assert "Jäv: Lisa Persson är inte beslutande vid denna paragraf." in html
    assert "finns inte bland tillgängliga alternativ" not in html
